using SessionInterop.Client.Groups;
using SessionInterop.Config;
using SessionInterop.Config.Groups;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using SessionInterop.State;

namespace SessionInterop.Client;

// Closed groups, the sending half: what a group action must send goes into the outbox as rows of
// the group (so it survives a restart and goes in order), and is signed when it is sent — storage
// signatures are only valid for ±60 s of the request's timestamp. A row is one sequence batch:
// unrevokes, the stores (keys, Info, Members, messages, kicked notice), then revokes. The 1:1
// invites and promotions are ordinary rows to the member's inbox, encrypted when queued.
public sealed partial class SessionClient
{
    private static readonly byte[] KUnrevoke = Bt.K("u"), KStores = Bt.K("s"), KRevoke = Bt.K("r");

    /// <summary>Queues an admin action's sends; the group's row first, then the 1:1 messages (different destinations).</summary>
    private void QueueOutbound(GroupEntry entry, GroupOutbound outbound, long nowMs)
    {
        if (outbound.Stores.Count > 0 || outbound.Unrevoke.Count > 0 || outbound.Revoke.Count > 0)
        {
            Enqueue(entry.State.Id.ToString(), OutboxKind.GroupInternal, EncodeGroupRow(outbound.Unrevoke, outbound.Stores, outbound.Revoke), nowMs);
            entry.PushQueued = true;
            ClientLog.GroupPushQueued(_log, entry.State.Id.ToShortString(), "an admin action", string.Join(",", outbound.Stores.Select(s => s.Namespace)));
        }
        foreach (var (to, content, ts) in outbound.Direct)
        {
            string data = MessageCodec.EncodeForRecipient(_identity, to, content, ts);
            Enqueue(to.ToString(), OutboxKind.GroupDirect, System.Text.Encoding.ASCII.GetBytes(data), ts);
        }
        WakeOutbox();
    }

    private ulong QueueGroupStores(GroupEntry entry, IReadOnlyList<GroupStore> stores, OutboxKind kind, long timestampMs)
    {
        ulong id = Enqueue(entry.State.Id.ToString(), kind, EncodeGroupRow([], stores, []), timestampMs);
        WakeOutbox();
        return id;
    }

    private ulong Enqueue(string destination, OutboxKind kind, byte[] payload, long timestampMs)
    {
        ulong id = StorageCall(() => _store.EnqueueSend(destination, (int)kind, payload, timestampMs, NowMs()));
        Interlocked.Increment(ref _pendingSends);
        return id;
    }

    private static byte[] EncodeGroupRow(IReadOnlyList<byte[]> unrevoke, IReadOnlyList<GroupStore> stores, IReadOnlyList<byte[]> revoke) =>
        Bt.Encode(new BtDict
        {
            [KUnrevoke] = new BtList(unrevoke.Select(t => (object)t)),
            [KStores] = new BtList(stores.Select(s => (object)new BtList([(long)s.Namespace, s.Data, s.TtlMs, s.Seqno]))),
            [KRevoke] = new BtList(revoke.Select(t => (object)t)),
        });

    private static (List<byte[]> Unrevoke, List<GroupStore> Stores, List<byte[]> Revoke) DecodeGroupRow(byte[] payload)
    {
        BtDict d = Bt.DecodeDict(payload);
        static List<byte[]> Tokens(object? v) => (v as BtList ?? []).OfType<byte[]>().ToList();
        var stores = (d.Get(KStores) as BtList ?? []).OfType<BtList>()
            .Select(s => new GroupStore((int)(long)s[0], (byte[])s[1], (long)s[2], (long)s[3])).ToList();
        return (Tokens(d.Get(KUnrevoke)), stores, Tokens(d.Get(KRevoke)));
    }

    /// <summary>Sends one group row as a sequence batch to the group's swarm; returns the last store's hash.</summary>
    private async Task<string> DeliverToGroupAsync(OutboxEntry entry, CancellationToken token)
    {
        try { return await SendGroupRowAsync(entry, token).ConfigureAwait(false); }
        catch (Exception e) when (entry.Kind == (int)OutboxKind.GroupInternal && e is not OperationCanceledException
            && Engine.Failure.Of(e).Kind is not (Engine.FailureKind.Network or Engine.FailureKind.Storage))
        {
            // The row is given up: the next poll may queue the configs that still need a push.
            lock (_groupLock) { if (_groups.TryGetValue(entry.Destination, out GroupEntry? group)) group.PushQueued = false; }
            throw;
        }
    }

    private async Task<string> SendGroupRowAsync(OutboxEntry entry, CancellationToken token)
    {
        if (_network is not IGroupNetwork network) throw Errors.Network("network.no_groups", "this network cannot reach group swarms");
        var (unrevoke, stores, revoke) = DecodeGroupRow(entry.Payload);
        Func<long, List<byte[]>> sign;
        byte[]? groupKey;
        lock (_groupLock)
        {
            if (!_groups.TryGetValue(entry.Destination, out GroupEntry? group))
                throw Errors.NotFound("group.unknown", "the group is no longer known");
            groupKey = group.State.Keys.Admin?.Ed25519SecretKey.ToArray();
            sign = Signer(group.State, groupKey, unrevoke, stores, revoke);
        }
        IReadOnlyList<SnodeReply> replies;
        try { (replies, _) = await network.GroupBatchAsync(entry.Destination, (_, now) => sign(now), sequence: true, token).ConfigureAwait(false); }
        finally { if (groupKey is not null) Interop.LibSodium.Zero(groupKey); }
        int first = unrevoke.Count > 0 ? 1 : 0;
        if (first == 1) CheckReply(replies, 0);
        var hashes = new List<string>();
        for (int i = 0; i < stores.Count; i++)
        {
            SnodeReply r = CheckReply(replies, first + i);
            hashes.Add(StorageResponseParser.ParseStore(r.Body)?.Hash ?? throw NetworkFailures.BadResponse("store reply without a hash"));
        }
        if (revoke.Count > 0) CheckReply(replies, first + stores.Count);
        lock (_groupLock)
        {
            if (_groups.TryGetValue(entry.Destination, out GroupEntry? group))
            {
                for (int i = 0; i < stores.Count; i++) group.State.Confirm(stores[i], hashes[i]);
                GroupState g = group.State;
                ClientLog.GroupRowStored(_log, g.Id.ToShortString(), entry.RequestId, string.Join(",", stores.Select(s => $"{s.Namespace}#{s.Seqno}")),
                    g.Info.Seqno, g.Info.State, g.Members.Seqno, g.Members.State);
                if (entry.Kind == (int)OutboxKind.GroupInternal) group.PushQueued = false;
                SaveGroup(group, []);
            }
        }
        return hashes.LastOrDefault() ?? "";
    }

    private static SnodeReply CheckReply(IReadOnlyList<SnodeReply> replies, int i)
    {
        if (i >= replies.Count) throw NetworkFailures.BadResponse("the sequence stopped before every request");
        SnodeReply r = replies[i];
        if (r.Status is < 200 or >= 300) throw NetworkFailures.Rejected(r.Status, r.Body);
        return r;
    }

    /// <summary>
    /// Builds the batch's requests at the moment of sending: an admin signs with the group key, a
    /// member with its subaccount (groupKey: the admin's copy, which the caller zeroes).
    /// </summary>
    private Func<long, List<byte[]>> Signer(GroupState state, byte[]? groupKey, List<byte[]> unrevoke, List<GroupStore> stores, List<byte[]> revoke)
    {
        string gid = state.Id.ToString();
        MemberAuth? auth = groupKey is null ? new MemberAuth(_identity, state.AuthData ?? throw Errors.WrongState("group.no_auth", "no member authentication for this group")) : null;
        return now =>
        {
            var requests = new List<byte[]>();
            if (unrevoke.Count > 0) requests.Add(StorageRpc.Revoke(gid, unrevoke, revoke: false, now, groupKey));
            foreach (GroupStore s in stores)
            {
                string data = Convert.ToBase64String(s.Data);
                requests.Add(groupKey is not null
                    ? StorageRpc.Store(gid, s.Namespace, data, s.TtlMs, now, groupKey)
                    : StorageRpc.StoreAsMember(gid, s.Namespace, data, s.TtlMs, now, auth!));
            }
            if (revoke.Count > 0) requests.Add(StorageRpc.Revoke(gid, revoke, revoke: true, now, groupKey));
            return requests;
        };
    }
}
