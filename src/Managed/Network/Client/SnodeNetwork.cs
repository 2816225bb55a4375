using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SessionInterop.Network.Client;

/// <summary>
/// The client side of the Session network: node pool, swarms, onion paths and storage RPC, all
/// through 3-hop onion requests. Thread-safe; every call is async and cancellable. Failures surface
/// as <see cref="SessionException"/> with codes such as <c>network.no_path</c>,
/// <c>network.swarm_unreachable</c>, <c>network.clock_out_of_sync</c>, <c>network.rpc_rejected</c>.
/// </summary>
internal sealed partial class SnodeNetwork : IAsyncDisposable
{
    private readonly SnodeNetworkOptions _options;
    private readonly INodeTransport _transport;
    private readonly ISeedNodeSource _seeds;
    private readonly IOnionEntropy _entropy;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly List<IDisposable> _owned = [];

    // _gate guards the pool, paths, swarms and the Random; the semaphores serialise the slow async
    // work (re-seeding, path building) so concurrent callers wait for one result instead of racing.
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _poolLock = new(1, 1);
    private readonly SemaphoreSlim _pathLock = new(1, 1);
    private readonly Random _random;
    private readonly NodePool _pool;
    private readonly OnionPathSet _paths;
    private readonly SwarmCache _swarms = new();
    private readonly NetworkClock _clock;
    private ConnectionState _state;
    private volatile bool _disposed;

    /// <summary>Creates a client for the network the options name (mainnet by default).</summary>
    public SnodeNetwork(SnodeNetworkOptions options, ILogger? logger = null)
        : this(options, transport: null, seeds: null, entropy: null, time: null, random: null, logger)
    {
    }

    /// <summary>Test/LocalNet seam: every source of I/O, randomness and time can be replaced.</summary>
    internal SnodeNetwork(SnodeNetworkOptions options, INodeTransport? transport, ISeedNodeSource? seeds,
        IOnionEntropy? entropy, TimeProvider? time, Random? random, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxAttempts < 1 || options.PathCount < 1 || options.MinPoolSize < OnionPathSet.HopCount + 1)
            throw Errors.InvalidArgument("network.bad_options", "MaxAttempts and PathCount must be ≥ 1, MinPoolSize ≥ 4");
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _entropy = entropy ?? RandomOnionEntropy.Instance;
        _time = time ?? TimeProvider.System;
        _random = random ?? new Random();
        _pool = new NodePool(_random);
        _paths = new OnionPathSet(_random);
        _clock = new NetworkClock(_time);
        if (transport is null)
        {
            var http = new HttpNodeTransport();
            _owned.Add(http);
            transport = http;
        }
        if (seeds is null)
        {
            var seedClient = new HttpSeedClient(options, _logger);
            _owned.Add(seedClient);
            seeds = seedClient;
        }
        _transport = transport;
        _seeds = seeds;
    }

    /// <summary>Raised (on the thread that observed it) whenever <see cref="State"/> changes.</summary>
    public event Action<ConnectionState>? ConnectionStateChanged;

    /// <summary>The current connection state.</summary>
    public ConnectionState State
    {
        get { lock (_gate) return _state; }
    }

    /// <summary>Network-corrected Unix time in ms (§9); use it for every timestamp sent to the network.</summary>
    public long NetworkTimeMs => _clock.NowMs;

    /// <summary>Local clock minus network clock, in ms.</summary>
    public long ClockOffsetMs => _clock.OffsetMs;

    internal NodePool Pool => _pool;

    internal OnionPathSet PathSet => _paths;

    /// <summary>The guard nodes of the paths currently kept (for fault-injection tests).</summary>
    internal IReadOnlyList<ServiceNode> GuardsInUse()
    {
        lock (_gate) return _paths.Paths.Select(p => p.Guard).Distinct().ToList();
    }

    /// <summary>A copy of the node pool and when it was last refreshed, for the State layer to persist.</summary>
    public (IReadOnlyList<ServiceNode> Nodes, DateTimeOffset? RefreshedAt) SnapshotPool()
    {
        lock (_gate)
            return (_pool.Nodes.ToArray(), _pool.RefreshedAt);
    }

    /// <summary>Restores a persisted pool (as desktop loads its pool from the database) so start-up needs no seed.</summary>
    public void RestorePool(IEnumerable<ServiceNode> nodes, DateTimeOffset refreshedAt)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        lock (_gate)
        {
            _pool.Replace(nodes, refreshedAt);
            _paths.PruneToPool(_pool);
        }
    }

    /// <summary>Fetches nodes and builds a path ahead of the first request.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        await EnsurePoolAsync(cancellationToken).ConfigureAwait(false);
        await GetPathAsync(avoid: null, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        if (_disposed)
            return ValueTask.CompletedTask;
        _disposed = true;
        // The semaphores are left alone: calls still in flight may release them.
        foreach (IDisposable owned in _owned)
            owned.Dispose();
        return ValueTask.CompletedTask;
    }

    private void ThrowIfDisposed()
    {
        if (_disposed)
            throw Errors.WrongState("network.disposed", "the network client has been disposed");
    }

    private void SetState(ConnectionState state)
    {
        lock (_gate)
        {
            if (_state == state)
                return;
            _state = state;
        }
        NetworkLog.StateChanged(_logger, state);
        try
        {
            ConnectionStateChanged?.Invoke(state);
        }
#pragma warning disable CA1031 // a subscriber's bug must not break a network call half-way
        catch (Exception ex)
#pragma warning restore CA1031
        {
            NetworkLog.CallbackFailed(_logger, ex);
        }
    }
}
