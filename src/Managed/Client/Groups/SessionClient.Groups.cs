using System.Text;
using SessionInterop.Config.Groups;
using SessionInterop.Crypto;
using SessionInterop.State;

namespace SessionInterop.Client;

/// <summary>A member of a closed group as the app sees it (status: 0 joined, 1 invited, 2 invite failed, 3 invite not sent, 4 removal pending).</summary>
public sealed record GroupMemberInfo(string SessionId, string Name, bool Admin, int Status);

// Closed groups (issue 17), the app's side: create, accept/decline invites, add, remove, promote,
// rename, leave and the member list. The protocol work is GroupState's (Config/Groups); here each
// action changes the group, saves it (sealed) and queues what it must send in the outbox, in one
// place, on the caller's thread. One lock guards every group: GroupState is not thread-safe and
// the poll job, the outbox and the app all touch it.
public sealed partial class SessionClient
{
    private readonly object _groupLock = new();
    private readonly Dictionary<string, GroupEntry> _groups = [];

    /// <summary>One group in memory: its state, status (StateStore.Group*), inviter, and whether our inviteResponse is queued.</summary>
    private sealed class GroupEntry(GroupState state, int status, string inviter, bool responded)
    {
        public GroupState State = state;
        public int Status = status;
        public string Inviter = inviter;
        public bool Responded = responded;
        /// <summary>An admin's config push is in the outbox: no second one until it is stored.</summary>
        public bool PushQueued;
    }

    private void OpenGroups()
    {
        foreach (StoredGroup g in _store.Groups())
        {
            try { _groups[g.Id] = new GroupEntry(GroupState.Load(_identity, g.Dump), g.Status, g.Inviter, g.Responded); }
            finally { Interop.LibSodium.Zero(g.Dump); }
        }
    }

    private void DisposeGroups()
    {
        lock (_groupLock)
        {
            foreach (GroupEntry g in _groups.Values) g.State.Dispose();
            _groups.Clear();
        }
    }

    /// <summary>
    /// Creates a closed group with us as admin and invites the members; returns its id ("03…"). The
    /// group's keys, configs and the invites are in the outbox when this returns.
    /// </summary>
    public string CreateGroup(string name, IReadOnlyList<string> members)
    {
        Live();
        ArgumentNullException.ThrowIfNull(members);
        string groupName = CheckGroupName(name);
        List<SessionId> ids = ParseMembers(members, allowEmpty: true);
        long now = NowMs();
        lock (_groupLock)
        {
            var (state, outbound) = GroupState.Create(_identity, MyName(), groupName, ids.Select(id => (id, "")).ToList(), now);
            var entry = new GroupEntry(state, StateStore.GroupJoined, SessionId, responded: true);
            _groups[state.Id.ToString()] = entry;
            SaveGroup(entry, []);
            QueueOutbound(entry, outbound, now);
            RecordGroupInConfig(entry);
            return state.Id.ToString();
        }
    }

    /// <summary>Accepts an invite (GROUP_INVITE): the group is polled from now on; our acceptance is sent once its keys arrived.</summary>
    public void AcceptGroupInvite(string groupId)
    {
        Live();
        lock (_groupLock)
        {
            GroupEntry entry = Group(groupId);
            if (entry.Status != StateStore.GroupInvited) throw Errors.WrongState("group.not_invited", "there is no pending invite to this group");
            entry.Status = StateStore.GroupJoined;
            SaveGroup(entry, []);
            RecordGroupInConfig(entry);
        }
        Wake(GroupJob);
    }

    /// <summary>Declines an invite: the group is forgotten (the apps send nothing back).</summary>
    public void DeclineGroupInvite(string groupId)
    {
        Live();
        lock (_groupLock)
        {
            GroupEntry entry = Group(groupId);
            if (entry.Status != StateStore.GroupInvited) throw Errors.WrongState("group.not_invited", "there is no pending invite to this group");
            StorageCall(() => { _store.DeleteGroup(groupId); return 0; });
            _groups.Remove(groupId);
            _config.Edit(c => c.Groups.EraseGroup(entry.State.Id.ToString()));   // else another device (or this one) adopts it again
            entry.State.Dispose();
        }
    }

    /// <summary>Admins: adds and invites members (a rekey, as the apps do).</summary>
    public void AddGroupMembers(string groupId, IReadOnlyList<string> members)
    {
        List<SessionId> ids = ParseMembers(members, allowEmpty: false);
        AdminAction(groupId, (g, now) => g.AddMembers(ids.Select(id => (id, "")).ToList(), now));
    }

    /// <summary>Admins: removes members; the group is rekeyed without them and their access revoked.</summary>
    public void RemoveGroupMembers(string groupId, IReadOnlyList<string> members)
    {
        List<SessionId> ids = ParseMembers(members, allowEmpty: false);
        AdminAction(groupId, (g, now) =>
        {
            if (ids.Any(id => id == _identity.SessionId)) throw Errors.InvalidArgument("group.remove_self", "leave the group instead of removing yourself");
            if (ids.Any(id => g.Members.Get(id) is null)) throw Errors.InvalidArgument("group.not_member", "not a member of this group");
            return g.Remove(ids, now);
        });
    }

    /// <summary>Admins: makes a member an admin (they receive the group's key 1:1).</summary>
    public void PromoteGroupAdmin(string groupId, string member)
    {
        SessionId id = ParseMembers([member], allowEmpty: false)[0];
        AdminAction(groupId, (g, now) => g.Members.Get(id) is null
            ? throw Errors.InvalidArgument("group.not_member", "not a member of this group")
            : g.Promote(id, now));
    }

    /// <summary>Admins: renames the group.</summary>
    public void RenameGroup(string groupId, string name)
    {
        string groupName = CheckGroupName(name);
        AdminAction(groupId, (g, now) => g.Rename(groupName, now));
    }

    /// <summary>Admins: sets the group's description (at most 2,000 bytes of UTF-8; "" clears it).</summary>
    public void SetGroupDescription(string groupId, string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        AdminAction(groupId, (g, now) => g.Describe(description, now));
    }

    /// <summary>Admins: deletes the group for every member (GROUP_UPDATE DESTROYED); it is no longer polled. Permanent.</summary>
    public void DeleteGroup(string groupId) => AdminAction(groupId, (g, now) => g.Destroy(now));

    /// <summary>Leaves a group: the apps' two member-left messages are sent, then the group is no longer polled.</summary>
    public void LeaveGroup(string groupId)
    {
        Live();
        long now = NowMs();
        lock (_groupLock)
        {
            GroupEntry entry = Group(groupId);
            if (entry.Status != StateStore.GroupJoined) throw Errors.WrongState("group.not_joined", "this group is not joined");
            if (entry.State.Keys.EncryptionKey is not null && !entry.State.Ended)
                QueueGroupStores(entry, entry.State.Leave(now), OutboxKind.GroupInternal, now);
            entry.Status = StateStore.GroupGone;
            SaveGroup(entry, []);
            RecordGroupInConfig(entry);
        }
    }

    /// <summary>The group's members as its Members config says (empty until the first poll of an accepted invite).</summary>
    public IReadOnlyList<GroupMemberInfo> GroupMembers(string groupId)
    {
        Live();
        lock (_groupLock)
        {
            return Group(groupId).State.Members.All().Select(m => new GroupMemberInfo(m.SessionId.ToString(), m.Name, m.Admin,
                m.Removed != 0 ? 4 : (int)m.Invite)).ToList();
        }
    }

    /// <summary>Queues a text message to a joined group (Send with a "03" id); REQUEST_DONE follows as for 1:1.</summary>
    private ulong SendToGroup(string groupId, string text)
    {
        CheckTextSize(text);   // an empty text is refused by Messages.Text
        CheckQueueRoom();
        lock (_groupLock)
        {
            GroupEntry entry = Group(groupId);
            if (entry.Status != StateStore.GroupJoined || entry.State.Ended) throw Errors.WrongState("group.not_joined", "this group is not joined (or was deleted)");
            if (entry.State.Keys.EncryptionKey is null) throw Errors.WrongState("group.no_keys", "the group's keys have not arrived yet");
            long ts = NextSendTimestamp();
            GroupStore store = entry.State.Message(Protocol.Messages.Text(text), ts);
            return QueueGroupStores(entry, [store], OutboxKind.GroupMessage, ts);
        }
    }

    // ------------------------------------------------------------------ helpers

    private void AdminAction(string groupId, Func<GroupState, long, GroupOutbound> action)
    {
        Live();
        long now = NowMs();
        lock (_groupLock)
        {
            GroupEntry entry = Group(groupId);
            if (entry.Status != StateStore.GroupJoined || !entry.State.IsAdmin) throw Errors.WrongState("group.not_admin", "only an admin of a joined group can do this");
            if (entry.State.Info.IsDestroyed) throw Errors.WrongState("group.destroyed", "the group was deleted");
            // On failure nothing changes: the action runs on a copy, which replaces the group only when it succeeded.
            byte[] dump = entry.State.Dump();
            GroupState copy;
            try { copy = GroupState.Load(_identity, dump); }
            finally { Interop.LibSodium.Zero(dump); }
            GroupOutbound outbound;
            try { outbound = action(copy, now); }
            catch { copy.Dispose(); throw; }
            entry.State.Dispose();
            entry.State = copy;
            SaveGroup(entry, []);
            QueueOutbound(entry, outbound, now);
            RecordGroupInConfig(entry);
        }
        Wake(GroupJob);
    }

    private GroupEntry Group(string groupId)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        if (!Crypto.SessionId.TryParse(groupId, out SessionId id) || id.Prefix != SessionIdPrefix.Group)
            throw Errors.InvalidArgument("group.bad_id", "not a group id (\"03…\")");
        return _groups.TryGetValue(id.ToString(), out GroupEntry? entry) ? entry : throw Errors.NotFound("group.unknown", "no such group");
    }

    private static bool IsGroupId(string to) => to.Length == 66 && to.StartsWith("03", StringComparison.Ordinal);

    private static string CheckGroupName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Trim().Length == 0) throw Errors.InvalidArgument("group.no_name", "a group needs a name");
        if (Encoding.UTF8.GetByteCount(name) > SessionInterop.Config.UserText.MaxNameBytes) throw Errors.TooLarge("group.name_too_long", $"a group name has at most {SessionInterop.Config.UserText.MaxNameBytes} bytes");
        return name;
    }

    private List<SessionId> ParseMembers(IReadOnlyList<string> members, bool allowEmpty)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (!allowEmpty && members.Count == 0) throw Errors.InvalidArgument("group.no_members", "give at least one member");
        var ids = new List<SessionId>();
        foreach (string m in members)
        {
            if (!Crypto.SessionId.TryParse(m, out SessionId id) || id.Prefix != SessionIdPrefix.Standard)
                throw Errors.InvalidArgument("group.bad_member", "members are Session IDs (\"05…\")");
            if (!ids.Contains(id) && id != _identity.SessionId) ids.Add(id);
        }
        if (!allowEmpty && ids.Count == 0) throw Errors.InvalidArgument("group.no_members", "give at least one other member");
        return ids;
    }

    /// <summary>
    /// After a UserGroups merge: groups another device of this account created or joined (its
    /// <c>g</c> entries: the admin seed or the member's auth value) become ours too and are polled;
    /// a group we know changes as it did there (accepted, promoted); a joined group whose entry
    /// another device erased (it left) is left here too. Kicked or destroyed entries are not adopted.
    /// </summary>
    private void AdoptGroupsFromConfig()
    {
        List<SessionInterop.Config.GroupInfo> entries = _config.Read(c => c.Groups.Groups().ToList());
        lock (_groupLock)
        {
            foreach (SessionInterop.Config.GroupInfo info in entries)
            {
                if (_groups.TryGetValue(info.GroupId, out GroupEntry? known)) FollowOtherDevice(known, info);
                else AdoptGroup(info, NowMs());
            }
            foreach (SessionInterop.Config.GroupInfo info in entries) Interop.LibSodium.Zero(info.SecretKey);   // copies of admin keys
            var listed = entries.Select(e => e.GroupId).ToHashSet();
            foreach (var (id, entry) in _groups.Where(g => g.Value.Status == StateStore.GroupJoined && !listed.Contains(g.Key)).ToList())
            {
                entry.Status = StateStore.GroupGone;   // left on another device
                ClientLog.GroupFollowed(_log, entry.State.Id.ToShortString(), "left it");
                SaveGroup(entry, []);
            }
        }
        Wake(GroupJob);
    }

    /// <summary>
    /// A group known from a UserGroups entry (under the group lock): joined, or invited (with a
    /// GROUP_INVITE; sender unknown) when the entry says so. False when the entry cannot be used.
    /// </summary>
    private bool AdoptGroup(SessionInterop.Config.GroupInfo info, long now)
    {
        if (info.Removed != 0) return false;
        if (!Crypto.SessionId.TryParse(info.GroupId, out SessionId gid) || gid.Prefix != SessionIdPrefix.Group) return false;
        GroupState state;
        try
        {
            if (info.SecretKey.Length == 64) state = GroupState.FromAdminSeed(_identity, gid, info.SecretKey.AsSpan(0, 32));
            else if (info.AuthData.Length == Crypto.Groups.Subaccount.AuthBytes) state = GroupState.FromInvite(_identity, gid, info.AuthData);
            else return false;
        }
        catch (SessionException e)
        {
            ClientLog.DroppedMessage(_log, e.Code);
            return false;
        }
        bool invited = info.Invited && !state.IsAdmin;
        var entry = new GroupEntry(state, invited ? StateStore.GroupInvited : StateStore.GroupJoined, "", responded: !invited);
        SessionEvent[] events = invited
            ? [SessionEvent.Create(EventType.GroupInvite, timestampMs: now, conversation: info.GroupId, text: Encoding.UTF8.GetBytes(info.Name))]
            : [];
        _groups[info.GroupId] = entry;
        ClientLog.GroupAdopted(_log, gid.ToShortString(), state.IsAdmin, invited);
        SaveGroup(entry, events);   // the event reaches the queue when this commits
        return true;
    }

    /// <summary>A group this device knows changed on another device: accepted there, or we were promoted there.</summary>
    private void FollowOtherDevice(GroupEntry entry, SessionInterop.Config.GroupInfo info)
    {
        bool changed = false;
        if (entry.Status == StateStore.GroupInvited && !info.Invited)
        {
            entry.Status = StateStore.GroupJoined;
            entry.Responded = true;   // the accepting device sent the inviteResponse
            changed = true;
            ClientLog.GroupFollowed(_log, entry.State.Id.ToShortString(), "accepted the invite");
        }
        if (!entry.State.IsAdmin && info.SecretKey.Length == 64)
        {
            byte[] seed = info.SecretKey[..32];
            try
            {
                entry.State.ApplyPromotion(seed);
                changed = true;
                ClientLog.GroupFollowed(_log, entry.State.Id.ToShortString(), "got the admin key");
            }
            catch (SessionException e) { ClientLog.DroppedMessage(_log, e.Code); }
            finally { Interop.LibSodium.Zero(seed); }
        }
        if (changed) SaveGroup(entry, []);
    }

    private string MyName() => _config.Read(c => c.Profile.Name) ?? "";

    private void SaveGroup(GroupEntry entry, IReadOnlyList<SessionEvent> events)
    {
        byte[] dump = entry.State.Dump();
        try
        {
            StorageCall(() =>
            {
                _store.SaveGroup(new StoredGroup(entry.State.Id.ToString(), entry.Status, entry.Inviter, dump, entry.Responded), events);
                return 0;
            });
        }
        finally { Interop.LibSodium.Zero(dump); }
    }

    /// <summary>
    /// The account's other devices learn the group from the UserGroups config's <c>g</c> entry
    /// (the admin seed or the member's auth value, the name, invited while not accepted); a left
    /// group's entry is erased.
    /// </summary>
    private void RecordGroupInConfig(GroupEntry entry)
    {
        GroupState g = entry.State;
        string id = g.Id.ToString();
        _config.Edit(c =>
        {
            if (entry.Status == StateStore.GroupGone) { c.Groups.EraseGroup(id); return; }
            SessionInterop.Config.GroupInfo existing = c.Groups.GetGroup(id) ?? new SessionInterop.Config.GroupInfo(id) { JoinedAtSeconds = NowMs() / 1000 };
            c.Groups.SetGroup(existing with
            {
                Name = g.Name,
                SecretKey = g.Keys.Admin is { } admin ? admin.Ed25519SecretKey.ToArray() : [],
                AuthData = g.AuthData ?? [],
                Invited = entry.Status == StateStore.GroupInvited,
                Removed = g.Kicked ? 1 : g.Info.IsDestroyed ? 2 : 0,   // r: 1 kicked, 2 destroyed (user_groups.cpp)
            });
        });
    }
}
