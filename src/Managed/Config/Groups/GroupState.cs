using SessionInterop.Crypto;
using SessionInterop.Crypto.Groups;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;
using ChangeType = SessionInterop.Protocol.Protos.GroupUpdateMemberChangeMessage.Types.Type;
using InfoType = SessionInterop.Protocol.Protos.GroupUpdateInfoChangeMessage.Types.Type;

namespace SessionInterop.Config.Groups;

/// <summary>One store into the group's swarm (configs carry their seqno, to confirm after the store).</summary>
internal sealed record GroupStore(int Namespace, byte[] Data, long TtlMs, long Seqno = 0);

/// <summary>
/// What an admin action needs sent, in this order: unrevokes, the stores (as one sequence: keys,
/// info, members, messages, then the kicked notice), revokes, and 1:1 messages (invites, promotions).
/// </summary>
internal sealed record GroupOutbound(IReadOnlyList<GroupStore> Stores, IReadOnlyList<byte[]> Unrevoke, IReadOnlyList<byte[]> Revoke,
    IReadOnlyList<(SessionId To, Content Content, long TimestampMs)> Direct);

/// <summary>Something that happened in a group, for the app (in the order of the poll).</summary>
internal abstract record GroupEvent;
internal sealed record GroupMessageEvent(string Hash, DecodedMessage Message) : GroupEvent;
/// <summary>Signed by an admin: members added, removed or promoted.</summary>
internal sealed record GroupMembersChanged(ChangeType Type, IReadOnlyList<SessionId> Members, SessionId By, long TimestampMs) : GroupEvent;
/// <summary>The name, as the admins' Info config now says.</summary>
internal sealed record GroupRenamed(string Name) : GroupEvent;
/// <summary>The description, as the admins' Info config now says ("" when cleared).</summary>
internal sealed record GroupDescribed(string Description) : GroupEvent;
internal sealed record GroupMemberLeft(SessionId Member) : GroupEvent;
internal sealed record GroupKicked : GroupEvent;
internal sealed record GroupDestroyed : GroupEvent;

/// <summary>
/// One closed group as a member or admin sees it (protocol-groups.md §6): its keys, Info and Members
/// configs, and the flows on top — create, invite, add, remove with rekey, promote, rename, leave —
/// as pure state transitions that say what to store where. No I/O: the caller polls namespaces
/// -11, 11, 12, 13, 14 (<see cref="PollNamespaces"/>), hands the results to <see cref="ApplyPoll"/>, and
/// sends what the actions return. Not thread-safe.
/// </summary>
internal sealed class GroupState : IDisposable
{
    public const long ConfigTtlMs = 30L * 24 * 3600 * 1000;
    public const long MessageTtlMs = 14L * 24 * 3600 * 1000;
    /// <summary>Messages no known key opens are kept this long (storage time) for the key that may still come.</summary>
    public const long UnopenedKeepMs = 24L * 3600 * 1000;
    /// <summary>At most this many such messages and bytes are kept (the newest): a member who joined without history must not hoard the old ones.</summary>
    public const int UnopenedMax = 64, UnopenedMaxBytes = 256 * 1024;
    /// <summary>What the official apps poll, in their processing order: keys, info, members, removal notices, messages.</summary>
    public static readonly IReadOnlyList<int> PollNamespaces = [12, 13, 14, -11, 11];

    private readonly Identity _me;
    private readonly byte[] _groupPk;

    private GroupState(Identity me, SessionId id, Identity? admin, byte[]? authData,
        byte[]? keysDump = null, byte[]? infoDump = null, byte[]? membersDump = null)
    {
        id.Require(SessionIdPrefix.Group);
        _me = me;
        Id = id;
        _groupPk = id.Key.ToArray();
        AuthData = authData;
        Keys = new GroupKeys(_groupPk, admin, me, keysDump);
        Info = new GroupInfoConfig(Keys, _groupPk, infoDump);
        Members = new GroupMembersConfig(Keys, _groupPk, membersDump);
    }

    public SessionId Id { get; }
    public GroupKeys Keys { get; private set; }
    public GroupInfoConfig Info { get; private set; }
    public GroupMembersConfig Members { get; private set; }
    /// <summary>Members: the 100-byte subaccount auth value from the invite.</summary>
    public byte[]? AuthData { get; }
    public bool IsAdmin => Keys.IsAdmin;
    public bool Kicked { get; private set; }
    /// <summary>Removed from the group, or the group was deleted: nothing more is read or sent.</summary>
    public bool Ended => Kicked || Info.IsDestroyed;
    public string Name => Info.Name ?? "";

    /// <summary>
    /// Messages (namespace 11) that no known key opened, oldest first. Swarm members replicate
    /// asynchronously, so a member can hold a message sent after a rekey before it holds the key
    /// message: such a message is kept and opened when a new key arrives, not lost.
    /// </summary>
    private readonly List<(string Hash, byte[] Data, long TimestampMs)> _unopened = [];
    public int UnopenedCount => _unopened.Count;

    public void Dispose() => Keys.Admin?.Dispose();

    private Identity Admin => Keys.Admin ?? throw Errors.WrongState("group.not_admin", "only an admin can do this");

    // ------------------------------------------------------------------ persistence

    /// <summary>
    /// Everything to resume after a restart: id, the admin seed or the member's auth value, the
    /// keys/Info/Members dumps and the kicked flag. Holds secrets: the State layer seals it at rest.
    /// </summary>
    public byte[] Dump()
    {
        var d = new BtDict
        {
            [Bt.K("i")] = Id.AsSpan().ToArray(),
            [Bt.K("k")] = Keys.Dump(),
            [Bt.K("m")] = Members.Dump(),
            [Bt.K("n")] = Info.Dump(),
        };
        if (Keys.Admin is { } admin) d[Bt.K("K")] = admin.Seed.ToArray();
        if (AuthData is not null) d[Bt.K("s")] = AuthData;
        if (Kicked) d[Bt.K("x")] = 1L;
        if (_unopened.Count > 0)
            d[Bt.K("u")] = new BtList(_unopened.Select(u => (object)new BtList([System.Text.Encoding.UTF8.GetBytes(u.Hash), u.Data, u.TimestampMs])));
        return Bt.Encode(d);
    }

    /// <summary>Resumes a group from <see cref="Dump"/>; the admin seed must still give the group's key.</summary>
    public static GroupState Load(Identity me, byte[] dump)
    {
        BtDict d = Bt.DecodeDict(dump);
        if (d.Get("i") is not byte[] { Length: SessionId.ByteLength } idBytes || idBytes[0] != (byte)SessionIdPrefix.Group
            || d.Get("k") is not byte[] keys || d.Get("n") is not byte[] info || d.Get("m") is not byte[] members)
            throw Errors.BadStateData("group.bad_dump", "the stored group is not a group dump");
        SessionId id = SessionId.FromBytes(idBytes);
        Identity? admin = d.Get("K") is byte[] { Length: 32 } seed ? Identity.FromSeed(seed) : null;
        if (admin is not null && !admin.Ed25519PublicKey.SequenceEqual(id.Key))
        {
            admin.Dispose();
            throw Errors.BadStateData("group.bad_dump", "the stored admin key is not this group's");
        }
        var state = new GroupState(me, id, admin, d.Get("s") as byte[], keys, info, members) { Kicked = d.Get("x") is long x && x != 0 };
        foreach (BtList u in (d.Get("u") as BtList ?? []).OfType<BtList>())
            if (u is [byte[] hash, byte[] data, long ts]) state._unopened.Add((System.Text.Encoding.UTF8.GetString(hash), data, ts));
        return state;
    }

    // ------------------------------------------------------------------ admin: create, invite, add

    /// <summary>Creates a group (§6.3): the creator is admin; every other member gets an invite.</summary>
    public static (GroupState State, GroupOutbound Outbound) Create(Identity me, string myName, string name,
        IReadOnlyList<(SessionId Id, string Name)> members, long nowMs)
    {
        byte[] seed = Primitives_RandomSeed();
        Identity group;
        try { group = Identity.FromSeed(seed); }
        finally { Interop.LibSodium.Zero(seed); }
        var state = new GroupState(me, SessionId.FromKey(SessionIdPrefix.Group, group.Ed25519PublicKey), group, null);
        state.Info.SetName(name);
        state.Info.CreatedSeconds = nowMs / 1000;
        state.Members.Set(new GroupMember(me.SessionId) { Name = myName, Admin = true });
        foreach (var (id, memberName) in members.Where(m => m.Id != me.SessionId))
            state.Members.Set(new GroupMember(id) { Name = memberName, Invite = MemberStatus.NotSent });
        return (state, state.Invite(members.Select(m => m.Id).Where(id => id != me.SessionId).ToList(), nowMs, historyShared: false));
    }

    private static byte[] Primitives_RandomSeed()
    {
        var seed = new byte[32];
        Primitives.RandomBytes(seed);
        return seed;
    }

    /// <summary>Adds members (§6.7; always with a rekey, as desktop does since SES3299) and invites them.</summary>
    public GroupOutbound AddMembers(IReadOnlyList<(SessionId Id, string Name)> members, long nowMs)
    {
        _ = Admin;
        foreach (var (id, name) in members)
            Members.Set(Members.GetOrConstruct(id) with { Name = name, Invite = MemberStatus.NotSent, Removed = 0 });
        return Invite(members.Select(m => m.Id).ToList(), nowMs, historyShared: false);
    }

    private GroupOutbound Invite(IReadOnlyList<SessionId> invitees, long nowMs, bool historyShared)
    {
        Identity admin = Admin;
        Keys.Rekey(MemberIds());
        var messages = new List<GroupStore>();
        if (invitees.Count > 0)
            messages.Add(Message(GroupUpdates.MemberChange(admin, ChangeType.Added, invitees, nowMs, historyShared), nowMs));
        var direct = invitees.Select(id => (id, GroupUpdates.Invite(admin, id, Name, nowMs), nowMs)).ToList();
        foreach (SessionId id in invitees) Members.Set(Members.Get(id)! with { Invite = MemberStatus.Sent });
        return new GroupOutbound([.. ConfigStores(nowMs), .. messages], invitees.Select(id => Subaccount.Token(admin, id)).ToList(), [], direct);
    }

    private List<SessionId> MemberIds() => Members.All().Select(m => m.SessionId).ToList();

    /// <summary>The pending key message, then Info and Members when they changed (keys first: nobody may see a config it cannot open).</summary>
    public List<GroupStore> ConfigStores(long nowMs)
    {
        var stores = new List<GroupStore>();
        if (!IsAdmin) return stores;
        if (Keys.PendingMessage is { } keys) stores.Add(new GroupStore(12, keys, ConfigTtlMs));
        foreach (ConfigObject config in new ConfigObject[] { Info, Members })
        {
            if (!config.NeedsPush) continue;
            ConfigPush push = config.Push(nowMs);
            stores.AddRange(push.Messages.Select(m => new GroupStore(config.Namespace, m, ConfigTtlMs, push.Seqno)));
        }
        return stores;
    }

    /// <summary>A store succeeded: configs become clean.</summary>
    public void Confirm(GroupStore store, string hash)
    {
        if (store.Namespace == 13) Info.ConfirmPushed(store.Seqno, [hash]);
        else if (store.Namespace == 14) Members.ConfirmPushed(store.Seqno, [hash]);
    }

    // ------------------------------------------------------------------ admin: remove, promote, rename

    /// <summary>
    /// Removes members (§6.8): the kicked notice on -11 at the current generation, their tokens
    /// revoked, their entries erased, a rekey without them, and a REMOVED message to the others.
    /// </summary>
    public GroupOutbound Remove(IReadOnlyList<SessionId> removed, long nowMs, bool announce = true)
    {
        Identity admin = Admin;
        byte[] notice = KickedNotice.Build(admin, removed, Keys.CurrentGeneration);
        foreach (SessionId id in removed) Members.Erase(id);
        Keys.Rekey(MemberIds());
        var stores = ConfigStores(nowMs);
        if (announce) stores.Add(Message(GroupUpdates.MemberChange(admin, ChangeType.Removed, removed, nowMs), nowMs));
        stores.Add(new GroupStore(-11, notice, ConfigTtlMs));
        return new GroupOutbound(stores, [], removed.Select(id => Subaccount.Token(admin, id)).ToList(), []);
    }

    /// <summary>Promotes a member (§6.9): PROMOTED to the group, the seed 1:1 to the new admin.</summary>
    public GroupOutbound Promote(SessionId member, long nowMs)
    {
        Identity admin = Admin;
        Members.SetPromoted(member);
        Members.Set(Members.Get(member)! with { Promotion = MemberStatus.Sent });
        var stores = ConfigStores(nowMs);
        stores.Add(Message(GroupUpdates.MemberChange(admin, ChangeType.Promoted, [member], nowMs), nowMs));
        return new GroupOutbound(stores, [], [], [(member, GroupUpdates.Promote(admin, Name), nowMs)]);
    }

    /// <summary>Renames (§6.12): Info n, and a signed NAME change message.</summary>
    public GroupOutbound Rename(string name, long nowMs)
    {
        Identity admin = Admin;
        Info.SetName(name);
        var stores = ConfigStores(nowMs);
        stores.Add(Message(GroupUpdates.InfoChange(admin, InfoType.Name, nowMs, name: Name), nowMs));
        return new GroupOutbound(stores, [], [], []);
    }

    /// <summary>Changes the description (§6.12): Info <c>o</c> only — the apps send no control message for it.</summary>
    public GroupOutbound Describe(string? description, long nowMs)
    {
        _ = Admin;
        Info.SetDescription(string.IsNullOrEmpty(description) ? null : description);
        return new GroupOutbound(ConfigStores(nowMs), [], [], []);
    }

    /// <summary>Deletes the group for everyone (§6.11): Info <c>!</c> (permanent), pushed with the keys and Members.</summary>
    public GroupOutbound Destroy(long nowMs)
    {
        _ = Admin;
        Info.Destroy();
        return new GroupOutbound(ConfigStores(nowMs), [], [], []);
    }

    // ------------------------------------------------------------------ members: invite, accept, promotion, leave

    /// <summary>An admin's group known only by its seed (another device's UserGroups <c>K</c>); the seed must give the group's key.</summary>
    public static GroupState FromAdminSeed(Identity me, SessionId groupId, ReadOnlySpan<byte> seed)
    {
        var admin = Identity.FromSeed(seed);
        if (!admin.Ed25519PublicKey.SequenceEqual(groupId.Key))
        {
            admin.Dispose();
            throw Errors.InvalidArgument("group.wrong_admin_key", "the seed is not this group's key");
        }
        return new GroupState(me, groupId, admin, null);
    }

    /// <summary>A member's group from a verified invite (§6.5); nothing is known until the first poll.</summary>
    public static GroupState FromInvite(Identity me, SessionId groupId, byte[] authData) => new(me, groupId, null, authData);

    /// <summary>The promotion arrived (§6.9): the seed must give this group's key; configs become writable.</summary>
    public void ApplyPromotion(byte[] seed)
    {
        var admin = Identity.FromSeed(seed);
        if (!admin.Ed25519PublicKey.SequenceEqual(_groupPk))
        {
            admin.Dispose();
            throw Errors.InvalidArgument("group.wrong_admin_key", "the promotion's seed is not this group's key");
        }
        byte[] keys = Keys.Dump(), info = Info.Dump(), members = Members.Dump();
        Keys = new GroupKeys(_groupPk, admin, _me, keys);
        Info = new GroupInfoConfig(Keys, _groupPk, info);
        Members = new GroupMembersConfig(Keys, _groupPk, members);
        if (Members.Get(_me.SessionId) is not null) Members.SetPromotionAccepted(_me.SessionId);
    }

    /// <summary>Accepting (§6.5 step 4): the inviteResponse the member stores in 11 once it has a key.</summary>
    public GroupStore AcceptResponse(long nowMs) => Message(GroupUpdates.InviteResponse(true), nowMs);

    /// <summary>Leaving (§6.10): the notification, then the message that makes an admin remove us.</summary>
    public IReadOnlyList<GroupStore> Leave(long nowMs) =>
        [Message(GroupUpdates.MemberLeftNotification(), nowMs), Message(GroupUpdates.MemberLeft(), nowMs + 1)];

    // ------------------------------------------------------------------ everyone: messages and polls

    /// <summary>An encrypted group message for namespace 11.</summary>
    public GroupStore Message(Content content, long timestampMs)
    {
        byte[] key = Keys.EncryptionKey ?? throw Errors.WrongState("group.no_keys", "the group's keys have not arrived yet");
        return new GroupStore(11, GroupMessages.Encrypt(_me, Id, key, content, timestampMs), MessageTtlMs);
    }

    /// <summary>
    /// Applies one poll (messages per namespace, each (hash, data, storage timestamp)) in the
    /// apps' order: keys, info, members, removal notices, messages. Returns what happened.
    /// Undecryptable or forged messages are dropped.
    /// </summary>
    public List<GroupEvent> ApplyPoll(IReadOnlyDictionary<int, IReadOnlyList<(string Hash, byte[] Data, long TimestampMs)>> polled, long nowMs)
    {
        var events = new List<GroupEvent>();
        IReadOnlyList<(string Hash, byte[] Data, long TimestampMs)> Of(int ns) => polled.TryGetValue(ns, out var list) ? list : [];

        bool newKey = false;
        foreach (var (hash, data, ts) in Of(12))
        {
            try { newKey |= Keys.Load(hash, data, ts); }
            catch (SessionException) { }   // forged or malformed: ignored
        }
        string nameBefore = Name, descriptionBefore = Info.Description ?? "";
        bool destroyedBefore = Info.IsDestroyed;
        Info.Merge(Of(13).Select(m => (m.Hash, m.Data)), nowMs);
        Members.Merge(Of(14).Select(m => (m.Hash, m.Data)), nowMs);
        if (Name != nameBefore && nameBefore.Length > 0 && Name.Length > 0) events.Add(new GroupRenamed(Name));   // the first Info is no rename
        if ((Info.Description ?? "") != descriptionBefore && nameBefore.Length > 0) events.Add(new GroupDescribed(Info.Description ?? ""));
        if (Info.IsDestroyed && !destroyedBefore) events.Add(new GroupDestroyed());
        if (IsAdmin && Members.Get(_me.SessionId) is { Promotion: not MemberStatus.None }) Members.SetPromotionAccepted(_me.SessionId);

        if (!IsAdmin && !Kicked && Of(-11).Any(m => KickedNotice.RemovesMe(m.Data, _me, _groupPk, Keys.CurrentGeneration)))
        {
            Kicked = true;
            events.Add(new GroupKicked());
        }

        // Kept messages first (they are older), when a key arrived that may open them.
        _unopened.RemoveAll(u => u.TimestampMs + UnopenedKeepMs < nowMs);
        var retry = newKey ? _unopened.ToList() : [];
        if (newKey) _unopened.Clear();
        foreach (var (hash, data, ts) in retry.Concat(Of(11)))
        {
            DecodedMessage message;
            try { message = GroupMessages.Decrypt(Keys.Keys(), Id, data); }
            catch (SessionException e)
            {
                if (e.Code == "crypto.decrypt_failed") KeepUnopened(hash, data, ts);   // its key may still come
                continue;   // forged or malformed: dropped
            }
            if (message.Content.HasSigTimestamp && (long)message.Content.SigTimestamp != message.TimestampMs) continue;
            if (message.Content.DataMessage?.GroupUpdateMessage is { } update) HandleUpdate(update, message, events);
            else events.Add(new GroupMessageEvent(hash, message));
        }
        if (IsAdmin && Keys.NeedsRekey) Keys.Rekey(MemberIds());
        return events;
    }

    private void KeepUnopened(string hash, byte[] data, long timestampMs)
    {
        if (_unopened.Any(u => u.Hash == hash)) return;
        _unopened.Add((hash, data, timestampMs));
        _unopened.Sort((a, b) => a.TimestampMs.CompareTo(b.TimestampMs));
        while (_unopened.Count > UnopenedMax || _unopened.Sum(u => u.Data.Length) > UnopenedMaxBytes) _unopened.RemoveAt(0);
    }

    private void HandleUpdate(GroupUpdateMessage update, DecodedMessage message, List<GroupEvent> events)
    {
        long ts = message.TimestampMs;
        if (update.MemberChangeMessage is { } change && GroupUpdates.VerifyMemberChange(change, Id, ts))
        {
            var ids = change.MemberSessionIds.Select(s => SessionId.TryParse(s, out SessionId id) && id.Prefix == SessionIdPrefix.Standard ? id : default)
                .Where(id => !id.IsEmpty).ToList();
            events.Add(new GroupMembersChanged(change.Type, ids, message.Sender, ts));
        }
        else if (update.InfoChangeMessage is not null) { }   // the Info config is the truth; renames are reported from it
        else if (update.InviteResponse is { IsApproved: true } && IsAdmin && Members.Get(message.Sender) is not null)
            Members.SetInviteAccepted(message.Sender);
        else if (update.MemberLeftMessage is not null)
        {
            events.Add(new GroupMemberLeft(message.Sender));
            if (IsAdmin && Members.Get(message.Sender) is not null) Members.SetRemoved(message.Sender, withMessages: false);
        }
    }
}
