using System.Text;

namespace SessionInterop.Network.Client;

// Pool upkeep, path building and the onion send with its failure accounting (protocol-network.md
// §2.4-§2.5, §5.5, §5.8-§5.10).
internal sealed partial class SnodeNetwork
{
    private const int GuardCandidates = 6;
    private static readonly TimeSpan DirectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Sends one storage RPC to <paramref name="target"/> through a path that avoids it.</summary>
    internal async Task<SnodeReply> SendToSnodeAsync(ServiceNode target, byte[] rpc, CancellationToken cancellationToken)
    {
        OnionPath path = await GetPathAsync(target, cancellationToken).ConfigureAwait(false);
        OnionRequest request = OnionRequestBuilder.ForSnode(path.Nodes, target, rpc, _options.Cipher, _entropy);
        NodeHttpResponse response = await SendOnionAsync(path, request, _options.RequestTimeout, target, cancellationToken).ConfigureAwait(false);
        SnodeReply? reply = OnionResponseReader.ReadSnodeReply(request, response.Body);
        if (reply is null)
        {
            StrikePath(path, "undecryptable reply");
            throw NetworkFailures.BadResponse("the onion reply could not be decrypted");
        }
        if (reply.Status is >= 200 and < 300 && StorageResponseParser.ParseServerTime(reply.Body) is long t)
            _clock.Record(t);
        SetState(ConnectionState.Connected);
        return reply;
    }

    /// <summary>POSTs the onion to the path's guard; a non-200 answer becomes failure accounting plus an exception.</summary>
    private async Task<NodeHttpResponse> SendOnionAsync(OnionPath path, OnionRequest request, TimeSpan timeout, ServiceNode? destination, CancellationToken cancellationToken)
    {
        NodeHttpResponse response;
        try
        {
            response = await _transport.PostAsync(path.Guard, NodeEndpoints.Onion, request.Body, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionException ex) when (ex.IsTransient)
        {
            StrikePath(path, ex.Code);
            throw;
        }
        if (response.Status == 200)
            return response;
        HopError error = HopErrorClassifier.Classify(response.Status, Encoding.UTF8.GetString(response.Body));
        if (destination is null && error.IsRelayedFromServer)
            throw ServerRefused(error);
        throw OnHopError(path, destination, error);
    }

    // The exit relays a server's own non-200 reply as it came (unencrypted): the path worked, so
    // nothing on it is blamed. A plain 400 is what a community/file server answers when it cannot
    // decrypt the request (SOGS aborts with 400): the key we encrypted to is not its key, and
    // retrying cannot help.
    private SessionException ServerRefused(HopError error)
    {
        NetworkLog.ServerRefused(_logger, error.HttpStatus);
        return error.HttpStatus == 400
            ? Errors.Remote("network.server_cannot_decrypt", "the server could not decrypt the request: its public key does not match")
            : Errors.Network("network.server_error", $"the server answered {error.HttpStatus}");
    }

    // §5.9: who gets blamed for each hop error, and whether the caller may retry.
    private SessionException OnHopError(OnionPath path, ServiceNode? destination, HopError error)
    {
        string reason = $"HTTP {error.HttpStatus} {NetworkFailures.Short(error.Body)}";
        switch (error.Kind)
        {
            case HopErrorKind.NodeNotFound:
                ServiceNode? missing;
                lock (_gate)
                    missing = _pool.Find(error.NodeEd25519Hex!) ?? (destination?.Ed25519Hex == error.NodeEd25519Hex ? destination : null);
                if (missing is not null)
                    DropNode(missing, "next node not found");
                return Errors.Network("network.node_not_found", "a hop could not reach the next node");
            case HopErrorKind.SnodeNotReady:
                ServiceNode? notReady;
                lock (_gate)
                    notReady = _pool.Find(error.NodeEd25519Hex!);
                if (notReady is not null)
                    StrikeNode(notReady, "not ready");
                return Errors.Network("network.node_not_ready", "a node on the path is not ready");
            case HopErrorKind.ClockOutOfSync:
                return NetworkFailures.ClockOutOfSync("a node rejected our clock");
            case HopErrorKind.ServerUnreachable when destination is null:
                return Errors.Network("network.server_unreachable", $"the exit node could not reach the server: {NetworkFailures.Short(error.Body)}");
            case HopErrorKind.ServerTimeout when destination is null:
                return Errors.Timeout("network.server_timeout", "the server did not answer the exit node in time");
            case HopErrorKind.PathTimeout when destination is not null:
                // A hop waited the whole relay timeout for the next one: most often the destination is
                // down but still listed (a crashed node). Strike it, not the hops that answered; a path
                // that keeps timing out is rebuilt (its own nodes unharmed).
                StrikeNode(destination, "relay timed out (504)");
                NotePathTimeout(path, reason);
                return Errors.Timeout("network.path_timeout", "a relay timed out waiting for the next node");
            case HopErrorKind.PathTimeout or HopErrorKind.ServerTimeout:
                StrikePath(path, reason);
                return Errors.Timeout("network.path_timeout", "a hop on the onion path timed out");
            default:
                StrikePath(path, reason);
                return Errors.Network("network.path_failed", $"onion path failed: {reason}");
        }
    }

    /// <summary>Refreshes the pool when it is too small (seed) or too old (3-snode quorum, seed as fallback).</summary>
    private async Task EnsurePoolAsync(CancellationToken cancellationToken)
    {
        if (!PoolNeedsRefresh())
            return;
        await _poolLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!PoolNeedsRefresh())
                return;
            // A network smaller than MinPoolSize is normal (IsShort compares with what was listed);
            // only an empty pool means we are (re)connecting.
            bool tooSmall, empty;
            lock (_gate)
            {
                tooSmall = _pool.IsShort(_options.MinPoolSize);
                empty = _pool.Count == 0;
            }
            if (empty)
                SetState(ConnectionState.Connecting);

            IReadOnlyList<ServiceNode>? fresh = tooSmall ? null : await TryRefreshFromSnodesAsync(cancellationToken).ConfigureAwait(false);
            if (fresh is not null)
            {
                NetworkLog.PoolRefreshed(_logger, fresh.Count);
            }
            else
            {
                try
                {
                    fresh = await _seeds.FetchAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (SessionException) when (!empty)
                {
                    lock (_gate)
                        _pool.MarkRefreshed(_time.GetUtcNow()); // keep using the old pool; try again later
                    return;
                }
                catch (SessionException)
                {
                    SetState(ConnectionState.Disconnected);
                    throw;
                }
            }
            lock (_gate)
            {
                _pool.Replace(fresh, _time.GetUtcNow());
                _paths.PruneToPool(_pool);
            }
        }
        finally
        {
            _poolLock.Release();
        }
    }

    private bool PoolNeedsRefresh()
    {
        lock (_gate)
            return _pool.NeedsRefresh(_options.MinPoolSize, _options.PoolRefreshInterval, _time.GetUtcNow());
    }

    // Ask 3 pool nodes on distinct /24s (through onion paths) for the node list; keep what 2 agree on.
    private async Task<IReadOnlyList<ServiceNode>?> TryRefreshFromSnodesAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ServiceNode> asked;
        lock (_gate)
            asked = _pool.PickDistinctSubnets(NodePoolRefresh.SnodesToAsk, []);
        var answers = new List<IReadOnlyList<ServiceNode>>();
        foreach (ServiceNode node in asked)
        {
            try
            {
                SnodeReply reply = await SendToSnodeAsync(node, StorageRpc.GetServiceNodes(), cancellationToken).ConfigureAwait(false);
                if (reply.Status == 200 && StorageResponseParser.ParseServiceNodeStates(reply.Body) is { } nodes)
                    answers.Add(nodes);
            }
            catch (SessionException ex) when (ex.IsTransient)
            {
                // one silent node is tolerated by the 2-of-3 rule
            }
        }
        int needed;
        lock (_gate)
            needed = Math.Min(_options.MinPoolSize, Math.Max(_pool.ListedCount, OnionPathSet.HopCount + 1));
        return NodePoolRefresh.Quorum(answers, needed);
    }

    /// <summary>A ready path that does not touch <paramref name="avoid"/>, building paths as needed.</summary>
    private async Task<OnionPath> GetPathAsync(ServiceNode? avoid, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_paths.Paths.Count >= _options.PathCount && _paths.Pick(avoid) is { } ready)
                return ready;
        }

        await _pathLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    if (_paths.Paths.Count >= _options.PathCount)
                        break;
                }
                if (await BuildPathAsync(avoid: null, cancellationToken).ConfigureAwait(false) is not { } built)
                    break;
                lock (_gate)
                    _paths.Add(built);
            }

            lock (_gate)
            {
                if (_paths.Pick(avoid) is { } usable)
                    return usable;
            }
            // Every path touches the target: build one more that does not.
            OnionPath extra = await BuildPathAsync(avoid, cancellationToken).ConfigureAwait(false)
                ?? throw NetworkFailures.NoPath("not enough service nodes on distinct /24 subnets to build an onion path");
            lock (_gate)
                _paths.Add(extra, limit: _options.PathCount * 2);
            return extra;
        }
        finally
        {
            _pathLock.Release();
        }
    }

    // A guard that passes a direct test (desktop's selectGuardNodes), then middle and exit on new /24s.
    private async Task<OnionPath?> BuildPathAsync(ServiceNode? avoid, CancellationToken cancellationToken)
    {
        for (int candidate = 0; candidate < GuardCandidates; candidate++)
        {
            List<ServiceNode> exclude;
            ServiceNode? guard;
            lock (_gate)
            {
                // Prefer nodes unused by other paths; fall back to only avoiding the target.
                exclude = _paths.Paths.SelectMany(p => p.Nodes).ToList();
                if (avoid is not null)
                    exclude.Add(avoid);
                if (OnionPathSet.Build(_pool, exclude) is null)
                    exclude = avoid is null ? [] : [avoid];
                guard = _pool.PickRandom(exclude);
            }
            if (guard is null)
                return null;
            if (_options.TestGuards && !await GuardAnswersAsync(guard, cancellationToken).ConfigureAwait(false))
            {
                NetworkLog.GuardRejected(_logger, guard);
                lock (_gate)
                    _pool.Remove(guard);
                continue;
            }
            OnionPath? path;
            lock (_gate)
                path = OnionPathSet.Build(_pool, exclude, guard);
            if (path is null)
                return null;
            NetworkLog.PathBuilt(_logger, path);
            return path;
        }
        return null;
    }

    private async Task<bool> GuardAnswersAsync(ServiceNode guard, CancellationToken cancellationToken)
    {
        try
        {
            // A direct call relays nothing, so it needs no room for a relay timeout (desktop: 10 s).
            TimeSpan timeout = _options.RequestTimeout < DirectTimeout ? _options.RequestTimeout : DirectTimeout;
            NodeHttpResponse response = await _transport.PostAsync(guard, NodeEndpoints.StorageRpc, StorageRpc.Info(), timeout, cancellationToken).ConfigureAwait(false);
            return response.Status is >= 200 and < 300;
        }
        catch (SessionException ex) when (ex.IsTransient)
        {
            return false;
        }
    }

    // Path failure (§5.9): +1 to the path and to each non-guard node; at 3 the path and its guard go.
    private void StrikePath(OnionPath path, string reason)
    {
        var dropped = new List<ServiceNode>();
        int failures;
        lock (_gate)
        {
            failures = ++path.Failures;
            foreach (ServiceNode node in path.Nodes.Skip(1))
            {
                if (_pool.Strike(node))
                    dropped.Add(node);
            }
            if (failures >= OnionPathSet.PathFailureThreshold)
            {
                _paths.Remove(path);
                if (_pool.Remove(path.Guard))
                    dropped.Add(path.Guard);
            }
            foreach (ServiceNode node in dropped)
            {
                _swarms.RemoveEverywhere(node);
                _paths.ReplaceNode(node, _pool);
            }
        }
        NetworkLog.PathFailed(_logger, path, failures, reason);
        foreach (ServiceNode node in dropped)
            NetworkLog.NodeDropped(_logger, node, "too many failures");
    }

    // A 504 counts against the path without striking its nodes; at the threshold the path is rebuilt.
    private void NotePathTimeout(OnionPath path, string reason)
    {
        int failures;
        lock (_gate)
        {
            failures = ++path.Failures;
            if (failures >= OnionPathSet.PathFailureThreshold)
                _paths.Remove(path);
        }
        NetworkLog.PathFailed(_logger, path, failures, reason);
    }

    private void StrikeNode(ServiceNode node, string reason)
    {
        bool dropped;
        lock (_gate)
        {
            dropped = _pool.Strike(node);
            if (dropped)
            {
                _swarms.RemoveEverywhere(node);
                _paths.ReplaceNode(node, _pool);
            }
        }
        if (dropped)
            NetworkLog.NodeDropped(_logger, node, reason);
    }

    private void DropNode(ServiceNode node, string reason)
    {
        lock (_gate)
        {
            _pool.Remove(node);
            _swarms.RemoveEverywhere(node);
            _paths.ReplaceNode(node, _pool);
        }
        NetworkLog.NodeDropped(_logger, node, reason);
    }
}
