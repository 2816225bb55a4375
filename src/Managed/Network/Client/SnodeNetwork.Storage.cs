using Sodium;

namespace SessionInterop.Network.Client;

// Storage RPC calls of the facade (protocol-network.md §4) with their retry rules (§3.4, §5.9, §9).
internal sealed partial class SnodeNetwork
{
    /// <summary>Unsigned store to a public-inbox namespace (n % 10 == 0), e.g. a 1:1 message to namespace 0.</summary>
    public Task<StoreResult> StoreAsync(string accountId05, int ns, string base64Data, long ttlMs, CancellationToken cancellationToken)
    {
        if (!StorageRpc.IsPublicInbox(ns))
            throw Errors.InvalidArgument("network.auth_required", $"namespace {ns} requires a signed store");
        return StoreCoreAsync(ReadOnlyMemory<byte>.Empty, accountId05, ns, base64Data, ttlMs, cancellationToken);
    }

    /// <summary>Signed store (config and other authenticated namespaces), with the account's Ed25519 secret key (64 bytes).</summary>
    public Task<StoreResult> StoreAsync(ReadOnlyMemory<byte> edSecretKey64, string accountId, int ns, string base64Data, long ttlMs, CancellationToken cancellationToken)
    {
        CheckKeyMatchesAccount(edSecretKey64, accountId);
        return StoreCoreAsync(edSecretKey64, accountId, ns, base64Data, ttlMs, cancellationToken);
    }

    /// <summary>Signed retrieve of messages after <paramref name="lastHash"/> from one random swarm member.</summary>
    public Task<RetrieveResult> RetrieveAsync(ReadOnlyMemory<byte> edSecretKey64, string accountId05, int ns, string? lastHash, CancellationToken cancellationToken) =>
        RetrieveAsync(edSecretKey64, accountId05, ns, _ => lastHash, null, cancellationToken);

    /// <summary>
    /// Signed retrieve from one swarm member, sending that member's own last hash
    /// (<paramref name="lastHashAt"/>, by the member's Ed25519 hex; null = from its start): each
    /// member keeps its own insertion order, so a hash is only meaningful where it was received
    /// (protocol-network.md §4.4.2). <paramref name="preferredNode"/> (e.g. the member that said
    /// "more") is asked first; otherwise a random member. The result names the member that answered.
    /// </summary>
    public async Task<RetrieveResult> RetrieveAsync(ReadOnlyMemory<byte> edSecretKey64, string accountId05, int ns,
        Func<string, string?> lastHashAt, string? preferredNode, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(lastHashAt);
        CheckKeyMatchesAccount(edSecretKey64, accountId05);
        StorageRpc.Retrieve(accountId05, ns, null, 0, edSecretKey64.Span); // validate arguments before any I/O
        var (reply, node) = await SendToSwarmAsync(accountId05,
            (target, now) => StorageRpc.Retrieve(accountId05, ns, lastHashAt(target.Ed25519Hex), now, edSecretKey64.Span),
            cancellationToken, preferredNode: preferredNode).ConfigureAwait(false);
        RetrieveResult result = StorageResponseParser.ParseRetrieve(reply.Body) ?? throw NetworkFailures.BadResponse("malformed retrieve reply");
        return result with { NodeEd25519Hex = node.Ed25519Hex };
    }

    /// <summary>Signed delete of messages by hash.</summary>
    public async Task<DeleteResult> DeleteAsync(ReadOnlyMemory<byte> edSecretKey64, string accountId, IReadOnlyList<string> hashes, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        CheckKeyMatchesAccount(edSecretKey64, accountId);
        StorageRpc.Delete(accountId, hashes, edSecretKey64.Span);
        var (reply, _) = await SendToSwarmAsync(accountId,
            _ => StorageRpc.Delete(accountId, hashes, edSecretKey64.Span), cancellationToken).ConfigureAwait(false);
        return StorageResponseParser.ParseDelete(reply.Body) ?? throw NetworkFailures.BadResponse("malformed delete reply");
    }

    /// <summary>
    /// One <c>batch</c> of signed retrieves (one per namespace, ≤ 20) to a single swarm member, as desktop
    /// polls. Results come back in the order of <paramref name="cursors"/>.
    /// </summary>
    public async Task<IReadOnlyList<RetrieveResult>> RetrieveManyAsync(ReadOnlyMemory<byte> edSecretKey64, string accountId, IReadOnlyList<NamespaceCursor> cursors, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        CheckKeyMatchesAccount(edSecretKey64, accountId);
        byte[] Build(long now) => StorageRpc.Batch(cursors.Select(c => StorageRpc.Retrieve(accountId, c.Namespace, c.LastHash, now, edSecretKey64.Span)).ToArray());
        Build(0);
        var (reply, node) = await SendToSwarmAsync(accountId, Build, cancellationToken, isBatch: true).ConfigureAwait(false);
        IReadOnlyList<SnodeReply> subs = StorageResponseParser.ParseBatch(reply.Body) ?? throw NetworkFailures.BadResponse("malformed batch reply");
        if (subs.Count != cursors.Count)
            throw NetworkFailures.BadResponse("batch reply has the wrong number of results");
        var results = new List<RetrieveResult>(subs.Count);
        foreach (SnodeReply sub in subs)
        {
            if (sub.Status is < 200 or >= 300)
                throw NetworkFailures.Rejected(sub.Status, sub.Body);
            RetrieveResult r = StorageResponseParser.ParseRetrieve(sub.Body) ?? throw NetworkFailures.BadResponse("malformed retrieve reply");
            results.Add(r with { NodeEd25519Hex = node.Ed25519Hex });
        }
        return results;
    }

    /// <summary>Signed delete_all for one namespace, or every namespace when <paramref name="ns"/> is null.</summary>
    public async Task<DeleteResult> DeleteAllAsync(ReadOnlyMemory<byte> edSecretKey64, string accountId, int? ns, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        CheckKeyMatchesAccount(edSecretKey64, accountId);
        StorageRpc.DeleteAll(accountId, ns, 0, edSecretKey64.Span);
        var (reply, _) = await SendToSwarmAsync(accountId,
            now => StorageRpc.DeleteAll(accountId, ns, now, edSecretKey64.Span), cancellationToken).ConfigureAwait(false);
        return StorageResponseParser.ParseDelete(reply.Body) ?? throw NetworkFailures.BadResponse("malformed delete_all reply");
    }

    /// <summary>Signed expire of messages to <paramref name="expiryMs"/>; <paramref name="mode"/> is "", "shorten" or "extend".</summary>
    public async Task ExpireAsync(ReadOnlyMemory<byte> edSecretKey64, string accountId, IReadOnlyList<string> hashes, long expiryMs, string mode, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        CheckKeyMatchesAccount(edSecretKey64, accountId);
        StorageRpc.Expire(accountId, hashes, expiryMs, mode, edSecretKey64.Span);
        await SendToSwarmAsync(accountId,
            _ => StorageRpc.Expire(accountId, hashes, expiryMs, mode, edSecretKey64.Span), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The account's swarm members (cached; fetched with get_swarm when unknown or too small).</summary>
    public async Task<IReadOnlyList<ServiceNode>> GetSwarmAsync(string accountId, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        StorageRpc.ParseAccountId(accountId);
        await EnsurePoolAsync(cancellationToken).ConfigureAwait(false);
        return await GetSwarmMembersAsync(accountId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StoreResult> StoreCoreAsync(ReadOnlyMemory<byte> key, string accountId, int ns, string base64Data, long ttlMs, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        StorageRpc.Store(accountId, ns, base64Data, ttlMs, 0, key.Span);
        var (reply, _) = await SendToSwarmAsync(accountId,
            now => StorageRpc.Store(accountId, ns, base64Data, ttlMs, now, key.Span), cancellationToken).ConfigureAwait(false);
        return StorageResponseParser.ParseStore(reply.Body) ?? throw NetworkFailures.BadResponse("malformed store reply");
    }

    /// <summary>
    /// Sends one storage RPC to a random member of the account's swarm and applies the retry rules:
    /// 421 → adopt the swarm in the body and retry; 406 → resync the clock once and retry;
    /// 400/401/403/404 → fail at once; other statuses and path failures → strike and retry elsewhere.
    /// <paramref name="buildRpc"/> gets the network time so signatures are fresh on every attempt.
    /// </summary>
    internal Task<(SnodeReply Reply, ServiceNode Node)> SendToSwarmAsync(string accountId, Func<long, byte[]> buildRpc, CancellationToken cancellationToken, bool isBatch = false) =>
        SendToSwarmAsync(accountId, (_, now) => buildRpc(now), cancellationToken, isBatch);

    /// <summary>As above, with a request built per target member (per-member last hashes), and a member to ask first.</summary>
    internal async Task<(SnodeReply Reply, ServiceNode Node)> SendToSwarmAsync(string accountId, Func<ServiceNode, long, byte[]> buildRpc,
        CancellationToken cancellationToken, bool isBatch = false, string? preferredNode = null)
    {
        await EnsurePoolAsync(cancellationToken).ConfigureAwait(false);
        bool clockCorrected = false;
        Exception? last = null;
        var tried = new HashSet<ServiceNode>();
        IReadOnlyList<ServiceNode>? redirected = null; // a 421's swarm: for this request only
        for (int attempt = 0; attempt < _options.MaxAttempts; attempt++)
        {
            IReadOnlyList<ServiceNode> swarm;
            try
            {
                swarm = redirected ?? await GetSwarmMembersAsync(accountId, cancellationToken).ConfigureAwait(false);
            }
            catch (SessionException ex) when (ex.IsTransient)
            {
                last = ex;
                continue;
            }
            ServiceNode target = PickMember(swarm, tried, preferredNode);
            tried.Add(target);

            SnodeReply reply;
            try
            {
                reply = await SendToSnodeAsync(target, buildRpc(target, _clock.NowMs), cancellationToken).ConfigureAwait(false);
            }
            catch (SessionException ex) when (ex.IsTransient)
            {
                last = ex;
                continue;
            }

            // Inside a batch, 421 and 406 arrive as sub-results under an outer 200; act on them the same way.
            if (isBatch && reply.Status is >= 200 and < 300 && StorageResponseParser.ParseBatch(reply.Body) is { } subs
                && subs.FirstOrDefault(r => r.Status is 421 or 406 or 425) is { } blocking)
                reply = blocking;

            NetworkLog.RpcStatus(_logger, reply.Status, target);
            switch (reply.Status)
            {
                case >= 200 and < 300:
                    return (reply, target);
                case 421:
                    redirected = Misdirected(accountId, target, reply.Body) ?? redirected;
                    last = NetworkFailures.SwarmUnreachable("the node was not in the account's swarm (421)");
                    break;
                case 406 or 425 when !clockCorrected:
                    clockCorrected = true;
                    await CorrectClockAsync(target, cancellationToken).ConfigureAwait(false);
                    break;
                case 406 or 425:
                    throw NetworkFailures.ClockOutOfSync("the network rejects our timestamps even after a clock resync");
                case 404:
                    throw Errors.NotFound("network.not_found", "storage RPC answered 404");
                case 400 or 401 or 403:
                    throw NetworkFailures.Rejected(reply.Status, reply.Body);
                default:
                    StrikeNode(target, $"RPC status {reply.Status}");
                    last = Errors.Network("network.rpc_failed", $"storage RPC failed with status {reply.Status}");
                    break;
            }
        }
        SetState(ConnectionState.Disconnected);
        throw NetworkFailures.SwarmUnreachable($"no swarm member answered after {_options.MaxAttempts} attempts", last);
    }

    // The preferred member when it is still in the swarm and untried; else a random untried member,
    // among those with the fewest strikes (a member that just timed out is asked last).
    private ServiceNode PickMember(IReadOnlyList<ServiceNode> swarm, HashSet<ServiceNode> tried, string? preferredNode)
    {
        ServiceNode[] fresh = swarm.Where(n => !tried.Contains(n)).ToArray();
        ServiceNode[] from = fresh.Length > 0 ? fresh : swarm.ToArray();
        if (preferredNode is not null && from.FirstOrDefault(n => n.Ed25519Hex.Equals(preferredNode, StringComparison.OrdinalIgnoreCase)) is { } preferred)
            return preferred;
        lock (_gate)
        {
            int fewest = from.Min(n => _pool.StrikesOf(n));
            ServiceNode[] best = from.Where(n => _pool.StrikesOf(n) == fewest).ToArray();
            return best[_random.Next(best.Length)];
        }
    }

    private async Task<IReadOnlyList<ServiceNode>> GetSwarmMembersAsync(string accountId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_swarms.Get(accountId, _pool, _time.GetUtcNow()) is { } cached)
                return cached;
        }

        Exception? last = null;
        for (int attempt = 0; attempt < _options.MaxAttempts; attempt++)
        {
            ServiceNode? node;
            lock (_gate)
                node = _pool.PickRandom([]);
            if (node is null)
                throw NetworkFailures.NoPath("the node pool is empty");
            try
            {
                SnodeReply reply = await SendToSnodeAsync(node, StorageRpc.GetSwarm(accountId), cancellationToken).ConfigureAwait(false);
                if (reply.Status == 200 && StorageResponseParser.ParseSwarm(reply.Body) is { Nodes.Count: > 0 } info)
                {
                    SetSwarm(accountId, info.Nodes);
                    return info.Nodes;
                }
                StrikeNode(node, $"get_swarm status {reply.Status}");
            }
            catch (SessionException ex) when (ex.IsTransient)
            {
                last = ex;
            }
        }
        throw NetworkFailures.SwarmUnreachable("get_swarm failed on every node tried", last);
    }

    // 421 (§3.4): the body names the swarm the node believes is right. One node's word is used for
    // this request only: it is neither cached nor added to the pool (guards come only from the seed
    // or a quorum of nodes), and the cached swarm is dropped so the next request asks get_swarm.
    private IReadOnlyList<ServiceNode>? Misdirected(string accountId, ServiceNode answered, string body)
    {
        SwarmInfo? info = StorageResponseParser.ParseSwarm(body);
        if (info?.ServerTimeMs is long t)
            _clock.Record(t);
        lock (_gate)
            _swarms.Forget(accountId);
        StrikeNode(answered, "misdirected (421)");
        return info is { Nodes.Count: > 0 } ? info.Nodes : null;
    }

    private void SetSwarm(string accountId, IReadOnlyList<ServiceNode> nodes)
    {
        lock (_gate)
            _swarms.Set(accountId, nodes, _time.GetUtcNow());
        NetworkLog.SwarmUpdated(_logger, accountId[..Math.Min(8, accountId.Length)], nodes.Count);
    }

    // After a 406: ask the same node its time (`info`) and trust it, as Android's SnodeClock does.
    private async Task CorrectClockAsync(ServiceNode node, CancellationToken cancellationToken)
    {
        SnodeReply reply = await SendToSnodeAsync(node, StorageRpc.Info(), cancellationToken).ConfigureAwait(false);
        if (StorageResponseParser.ParseServerTime(reply.Body) is not long serverMs)
            throw NetworkFailures.ClockOutOfSync("clock out of sync and the node did not report its time");
        _clock.Reset(serverMs);
        NetworkLog.ClockCorrected(_logger, _clock.OffsetMs);
    }

    // A 05 Session ID must be the X25519 form of the key that signs for it (§4.2), else every signed call fails with 401.
    private static void CheckKeyMatchesAccount(ReadOnlyMemory<byte> edSecretKey64, string accountId)
    {
        if (edSecretKey64.Length != 64)
            throw Errors.InvalidArgument("key.bad_length", "Ed25519 secret key must be 64 bytes");
        byte[] account = StorageRpc.ParseAccountId(accountId);
        if (account[0] != 0x05)
            return;
        byte[] x = PublicKeyAuth.ConvertEd25519PublicKeyToCurve25519PublicKey(edSecretKey64.Span[32..].ToArray());
        if (!x.AsSpan().SequenceEqual(account.AsSpan(1)))
            throw Errors.InvalidArgument("key.account_mismatch", "the Ed25519 key does not belong to this Session ID");
    }
}
