using Microsoft.Extensions.Logging;
using SessionInterop.LocalNet.Storage;
using SessionInterop.LocalNet.Topology;

namespace SessionInterop.LocalNet;

// Everything the endpoints share: options, nodes and swarms, the per-node stores and their
// replication, the clock.
internal sealed class LocalNetState : IDisposable
{
    internal static readonly int[] Version = [2, 8, 0];
    internal static readonly int[] Hardfork = [19, 3];

    private readonly Dictionary<int, MessageStore> _stores;

    internal LocalNetState(LocalNetOptions options, IReadOnlyList<LocalNode> nodes, string dataDirectory, ILoggerFactory loggerFactory)
    {
        Options = options;
        RelayTimeout = options.RelayTimeout;
        Swarms = new SwarmDirectory(nodes);
        DataDirectory = dataDirectory;
        LoggerFactory = loggerFactory;
        // One store per node, as every real node keeps its own database (and its own insertion order).
        _stores = nodes.ToDictionary(n => n.Index, n => new MessageStore(Path.Combine(dataDirectory, $"node-{n.Index:D3}.sqlite")));
        Replication = new Replication(StoreOf, options.ReplicationDelay, options.ReplicationJitter, loggerFactory);
    }

    internal LocalNetOptions Options { get; }
    internal SwarmDirectory Swarms { get; }
    internal IReadOnlyList<LocalNode> Nodes => Swarms.Nodes;
    internal string DataDirectory { get; }
    internal ILoggerFactory LoggerFactory { get; }

    /// <summary>Storage-RPC requests received, by method and account prefix (GET /requests).</summary>
    internal Storage.RpcCounts Requests { get; } = new();
    internal TimeProvider Time => Options.TimeProvider;

    /// <summary>Seed-list block height; constant, the stand-in has no chain.</summary>
    internal long Height { get; } = 1_500_000;

    /// <summary>The node's own message store.</summary>
    internal MessageStore StoreOf(LocalNode node) => _stores[node.Index];

    /// <summary>Copies stores to swarm peers after a delay.</summary>
    internal Replication Replication { get; }

    /// <summary>How long a relaying node waits for the next hop (settable at run time, real nodes: 30 s).</summary>
    internal TimeSpan RelayTimeout
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _relayTimeoutTicks));
        set => Interlocked.Exchange(ref _relayTimeoutTicks, value.Ticks);
    }

    private long _relayTimeoutTicks;

    internal LocalNode? NodeByIndex(int index) => index >= 1 && index <= Nodes.Count ? Nodes[index - 1] : null;

    public void Dispose()
    {
        Replication.Dispose(); // pending copies land before the stores close
        foreach (MessageStore store in _stores.Values)
            store.Dispose();
    }
}
