using Microsoft.Extensions.Logging;
using System.Text;
using SessionInterop.Client.Engine;
using SessionInterop.Client.Groups;
using SessionInterop.Config.Groups;
using SessionInterop.Crypto;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using SessionInterop.State;
using ChangeType = SessionInterop.Protocol.Protos.GroupUpdateMemberChangeMessage.Types.Type;

namespace SessionInterop.Client;

// Closed groups, the receiving half: the group job polls each joined group's five namespaces
// (keys, Info, Members, removal notices, messages) as one batch from one swarm member, with that
// member's own last hashes, hands them to GroupState and records the new state, the cursors, the
// seen message hashes and the events in one transaction: exactly once, across restarts.
public sealed partial class SessionClient
{
    private const string GroupJob = "groups";

    /// <summary>
    /// The batch retrieves in the reverse of the processing order (messages first, keys last): an
    /// admin stores keys before the configs and messages they open, so whatever this poll sees of
    /// 11, 13 or 14 has its key in the 12 retrieved after it. The other order races with a rekey
    /// (a message newer than the keys read would be undecryptable and lost).
    /// </summary>
    private static readonly int[] s_retrieveOrder = GroupState.PollNamespaces.Reverse().ToArray();
    private TimeSpan _groupInterval;

    private async Task<TimeSpan> GroupStepAsync(IGroupNetwork network, CancellationToken token)
    {
        if (AppIsBehind) return _options.MinPollInterval;
        List<string> ids;
        lock (_groupLock)
            ids = _groups.Where(g => g.Value.Status == StateStore.GroupJoined && !g.Value.State.Ended).Select(g => g.Key).ToList();
        int fresh = 0;
        Exception? failed = null;
        foreach (string id in ids)
        {
            // One group failing (its swarm unreachable) must not keep the others from being polled.
            try { fresh += await PollGroupAsync(network, id, token).ConfigureAwait(false); }
            catch (Exception e) when (e is not OperationCanceledException && Failure.Of(e).Kind is not FailureKind.Storage) { failed ??= e; }
        }
        if (failed is not null) throw failed;   // the runner backs off and reports it
        _groupInterval = fresh > 0 || _groupInterval == TimeSpan.Zero ? _options.MinPollInterval : Next(_groupInterval);
        return _groupInterval;
    }

    /// <summary>Polls one group; returns how many events it produced.</summary>
    private async Task<int> PollGroupAsync(IGroupNetwork network, string groupId, CancellationToken token)
    {
        Func<string, long, IReadOnlyList<byte[]>> build;
        byte[]? groupKey;
        lock (_groupLock)
        {
            if (!_groups.TryGetValue(groupId, out GroupEntry? entry)) return 0;
            groupKey = entry.State.Keys.Admin?.Ed25519SecretKey.ToArray();
            MemberAuth? auth = groupKey is null && entry.State.AuthData is { } a ? new MemberAuth(_identity, a) : null;
            if (groupKey is null && auth is null) return 0;
            build = (node, now) => s_retrieveOrder.Select(ns => groupKey is not null
                ? StorageRpc.Retrieve(groupId, ns, _store.LastHash(NodeKey(groupId, node), ns), now, groupKey)
                : StorageRpc.RetrieveAsMember(groupId, ns, _store.LastHash(NodeKey(groupId, node), ns), now, auth!)).ToList();
        }
        IReadOnlyList<SnodeReply> replies;
        string node;
        try { (replies, node) = await network.GroupBatchAsync(groupId, build, sequence: false, token).ConfigureAwait(false); }
        finally { if (groupKey is not null) Interop.LibSodium.Zero(groupKey); }

        var polled = new Dictionary<int, IReadOnlyList<(string Hash, byte[] Data, long TimestampMs)>>();
        var lastHashes = new Dictionary<int, string>();
        var seen = new List<(string Key, long ExpiresMs)>();
        long now = NowMs();
        for (int i = 0; i < s_retrieveOrder.Length && i < replies.Count; i++)
        {
            int ns = s_retrieveOrder[i];
            // A removed member's token is revoked: 11-14 answer 401 while -11 still tells it why.
            if (replies[i].Status is < 200 or >= 300) continue;
            RetrieveResult result = StorageResponseParser.ParseRetrieve(replies[i].Body) ?? throw NetworkFailures.BadResponse("malformed retrieve reply");
            if (result.Messages.Count == 0) continue;
            lastHashes[ns] = result.Messages[^1].Hash;
            var list = new List<(string, byte[], long)>();
            foreach (RetrievedMessage m in result.Messages)
            {
                // Messages (11) are read once whichever member gave them; configs and keys merge idempotently.
                string key = StateStore.HashKey(m.Hash);
                if (ns == 11 && (_store.HasSeen(key) || seen.Any(s => s.Key == key))) continue;
                byte[] data;
                try { data = Convert.FromBase64String(m.Data); }
                catch (FormatException) { continue; }
                if (ns == 11) seen.Add((key, SeenUntil(m.TimestampMs)));
                list.Add((m.Hash, data, m.TimestampMs));
            }
            polled[ns] = list;
        }
        if (lastHashes.Count == 0) return 0;

        lock (_groupLock)
        {
            if (!_groups.TryGetValue(groupId, out GroupEntry? entry) || entry.Status != StateStore.GroupJoined) return 0;
            GroupState g = entry.State;
            List<GroupEvent> happened = g.ApplyPoll(polled, now);
            if (_log.IsEnabled(LogLevel.Debug))   // every poll: build the summary only when it is logged
                ClientLog.GroupPolled(_log, g.Id.ToShortString(), node[..8], string.Join(" ", polled.Select(p => $"{p.Key}:{p.Value.Count}")),
                    g.Info.Seqno, g.Info.State, g.Members.Seqno, g.Members.State, g.Keys.CurrentGeneration, happened.Count);
            List<SessionEvent> events = happened.Select(e => ToSessionEvent(groupId, e, now)).OfType<SessionEvent>().ToList();
            // Sends this poll made necessary go into the outbox first: a crash before the save repeats the poll, not loses it.
            QueueFollowUps(entry, now);
            byte[] dump = entry.State.Dump();
            try
            {
                _store.SaveGroupPoll(new StoredGroup(groupId, entry.Status, entry.Inviter, dump, entry.Responded), NodeKey(groupId, node),
                    lastHashes, seen, events, now);
            }
            finally { Interop.LibSodium.Zero(dump); }
            if (happened.Any(e => e is GroupKicked or GroupRenamed or GroupDestroyed)) RecordGroupInConfig(entry);
            return events.Count;
        }
    }

    /// <summary>The per-member cursor key of a group (node_last_hash is shared with the inbox and configs).</summary>
    private static string NodeKey(string groupId, string node) => groupId + ":" + node;

    /// <summary>
    /// A member accepts (inviteResponse) once the keys let it write; an admin pushes the keys and
    /// configs a poll changed (an accepted invite, a member who left, a rekey after a merge).
    /// </summary>
    private void QueueFollowUps(GroupEntry entry, long now)
    {
        GroupState g = entry.State;
        if (!entry.Responded && !g.IsAdmin && g.Keys.EncryptionKey is not null)
        {
            QueueGroupStores(entry, [g.AcceptResponse(now)], OutboxKind.GroupInternal, now);
            entry.Responded = true;
        }
        if (g.IsAdmin && !entry.PushQueued && (g.Keys.PendingMessage is not null || g.Info.NeedsPush || g.Members.NeedsPush))
        {
            List<GroupStore> stores = g.ConfigStores(now);
            if (stores.Count > 0)
            {
                QueueGroupStores(entry, stores, OutboxKind.GroupInternal, now);
                entry.PushQueued = true;
                ClientLog.GroupPushQueued(_log, g.Id.ToShortString(), "a poll", string.Join(",", stores.Select(s => s.Namespace)));
            }
        }
    }

    private SessionEvent? ToSessionEvent(string groupId, GroupEvent e, long now)
    {
        SessionEvent Update(GroupUpdateKind kind, string text, string sender = "", long ts = 0) =>
            SessionEvent.Create(EventType.GroupUpdate, timestampMs: ts == 0 ? now : ts, value: (long)kind, conversation: groupId,
                sender: sender, text: Encoding.UTF8.GetBytes(text));
        switch (e)
        {
            case GroupMessageEvent { Message: var m } when m.Content.DataMessage is { HasBody: true } data:
                var message = SessionEvent.Create(EventType.Message, timestampMs: m.TimestampMs, conversation: groupId,
                    sender: m.Sender.ToString(), messageId: ((GroupMessageEvent)e).Hash, text: Encoding.UTF8.GetBytes(data.Body));
                return m.Sender == _identity.SessionId ? message with { Details = new() { Flags = EventFlags.Outgoing } } : message;
            case GroupMembersChanged c:
                string who = string.Join(", ", c.Members);
                return c.Type switch
                {
                    ChangeType.Added => Update(GroupUpdateKind.MembersAdded, "added: " + who, c.By.ToString(), c.TimestampMs),
                    ChangeType.Removed => Update(GroupUpdateKind.MembersRemoved, "removed: " + who, c.By.ToString(), c.TimestampMs),
                    ChangeType.Promoted => Update(GroupUpdateKind.MembersPromoted, "promoted to admin: " + who, c.By.ToString(), c.TimestampMs),
                    _ => null,
                };
            case GroupRenamed r: return Update(GroupUpdateKind.Renamed, r.Name);
            case GroupDescribed d: return Update(GroupUpdateKind.DescriptionChanged, d.Description);
            case GroupMemberLeft l: return Update(GroupUpdateKind.MemberLeft, "left: " + l.Member, l.Member.ToString());
            case GroupKicked: return Update(GroupUpdateKind.Kicked, "you were removed from the group");
            case GroupDestroyed: return Update(GroupUpdateKind.Destroyed, "the group was deleted");
            default: return null;
        }
    }

    // ------------------------------------------------------------------ 1:1 messages about groups

    /// <summary>
    /// An invite or a promotion in the 1:1 inbox (null for anything else). An invite is checked
    /// (admin signature over our id and its time, auth value under the group key) and kept as a
    /// pending group before its GROUP_INVITE event is recorded (a repeated invite changes nothing);
    /// nothing is joined until the app accepts. A promotion's seed must give the group's key.
    /// </summary>
    private IReadOnlyList<SessionEvent>? GroupDirectEvents(RetrievedMessage message, DecodedMessage decoded)
    {
        if (decoded.Content.DataMessage?.GroupUpdateMessage is not { } update) return null;
        if (update.InviteMessage is { } invite)
        {
            if (!GroupUpdates.VerifyInvite(invite, _identity, decoded.TimestampMs, out SessionId gid)) return [];
            string id = gid.ToString();
            // Every device of the account reads this invite; one may already have accepted it (the
            // UserGroups entry says so): then it is joined here too, without a second GROUP_INVITE.
            // An invite is written to UserGroups only when accepted: two devices writing "invited"
            // and "accepted" at once could merge to "invited" and undo the acceptance.
            SessionInterop.Config.GroupInfo? known = _config.Read(c => c.Groups.GetGroup(id));
            lock (_groupLock)
            {
                if (_groups.ContainsKey(id)) return [];   // already known (a repeated invite, or our own group)
                bool adopted = known is { Invited: false } && AdoptGroup(known, NowMs());
                if (known is not null) Interop.LibSodium.Zero(known.SecretKey);   // a copy of an admin key
                if (adopted) return [];
                var state = GroupState.FromInvite(_identity, gid, invite.MemberAuthData.ToByteArray());
                byte[] dump = state.Dump();
                try { _store.AddInvitedGroup(id, decoded.Sender.ToString(), dump); }
                finally { Interop.LibSodium.Zero(dump); }
                _groups[id] = new GroupEntry(state, StateStore.GroupInvited, decoded.Sender.ToString(), responded: false);
            }
            return [SessionEvent.Create(EventType.GroupInvite, timestampMs: decoded.TimestampMs, conversation: id,
                sender: decoded.Sender.ToString(), messageId: message.Hash, text: Encoding.UTF8.GetBytes(invite.Name))];
        }
        if (update.PromoteMessage is { } promote)
        {
            byte[] seed = promote.GroupIdentitySeed.ToByteArray();
            try
            {
                using Identity groupKey = Identity.FromSeed(seed);
                string id = Crypto.SessionId.FromKey(SessionIdPrefix.Group, groupKey.Ed25519PublicKey).ToString();
                lock (_groupLock)
                {
                    if (!_groups.TryGetValue(id, out GroupEntry? entry) || entry.State.IsAdmin) return [];
                    entry.State.ApplyPromotion(seed);
                    SaveGroup(entry, []);
                    RecordGroupInConfig(entry);
                }
                return [SessionEvent.Create(EventType.GroupUpdate, timestampMs: decoded.TimestampMs, value: (long)GroupUpdateKind.PromotedMe,
                    conversation: id, sender: decoded.Sender.ToString(), messageId: message.Hash, text: Encoding.UTF8.GetBytes("you are now an admin"))];
            }
            catch (SessionException) { return []; }
            finally { Interop.LibSodium.Zero(seed); }
        }
        return [];
    }
}
