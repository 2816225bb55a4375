using Microsoft.Extensions.Logging;
using SessionInterop.LocalNet.Storage;
using SessionInterop.LocalNet.Topology;

namespace SessionInterop.LocalNet;

// Everything the endpoints share: options, nodes and swarms, the per-swarm stores, the clock.
internal sealed class LocalNetState : IDisposable
{
    internal static readonly int[] Version = [2, 8, 0];
    internal static readonly int[] Hardfork = [19, 3];

    private readonly Dictionary<ulong, MessageStore> _stores;

    internal LocalNetState(LocalNetOptions options, IReadOnlyList<LocalNode> nodes, string dataDirectory, ILoggerFactory loggerFactory)
    {
        Options = options;
        Swarms = new SwarmDirectory(nodes);
        DataDirectory = dataDirectory;
        LoggerFactory = loggerFactory;
        _stores = Swarms.SwarmIds.ToDictionary(id => id, id => new MessageStore(Path.Combine(dataDirectory, $"swarm-{id:x16}.sqlite")));
    }

    internal LocalNetOptions Options { get; }
    internal SwarmDirectory Swarms { get; }
    internal IReadOnlyList<LocalNode> Nodes => Swarms.Nodes;
    internal string DataDirectory { get; }
    internal ILoggerFactory LoggerFactory { get; }
    internal TimeProvider Time => Options.TimeProvider;

    /// <summary>Seed-list block height; constant, the stand-in has no chain.</summary>
    internal long Height { get; } = 1_500_000;

    internal MessageStore Store(ulong swarmId) => _stores[swarmId];

    internal LocalNode? NodeByIndex(int index) => index >= 1 && index <= Nodes.Count ? Nodes[index - 1] : null;

    public void Dispose()
    {
        foreach (MessageStore store in _stores.Values)
            store.Dispose();
    }
}
