using System.Collections.Concurrent;
using SessionInterop.Network.Swarms;

namespace SessionInterop.LocalNet.Topology;

// Which nodes form which swarm, and which swarm an account belongs to (§3.1), including the
// "move an account to another swarm" fault switch, which every node sees at once.
internal sealed class SwarmDirectory
{
    private readonly ConcurrentDictionary<string, ulong> _moved = new(StringComparer.OrdinalIgnoreCase);

    internal SwarmDirectory(IReadOnlyList<LocalNode> nodes)
    {
        Nodes = nodes;
        SwarmIds = nodes.Select(n => n.SwarmId).Distinct().Order().ToArray();
    }

    internal IReadOnlyList<LocalNode> Nodes { get; }
    internal IReadOnlyList<ulong> SwarmIds { get; }

    /// <summary>Evenly spread swarm ids over the u64 range: swarm k of m gets k·⌊2⁶⁴/m⌋.</summary>
    internal static ulong SwarmIdFor(int swarmIndex, int swarmCount) =>
        swarmCount <= 1 ? 0 : (ulong)swarmIndex * (ulong.MaxValue / (ulong)swarmCount + 1);

    /// <summary>The swarm of an account (33-byte key, given as 66 hex).</summary>
    internal ulong SwarmOf(string accountHex, byte[] accountKey33)
    {
        if (_moved.TryGetValue(accountHex, out ulong forced)) return forced;
        return SwarmSpace.Choose(SwarmSpace.Of(accountKey33), SwarmIds.ToArray());
    }

    internal IEnumerable<LocalNode> Members(ulong swarmId) => Nodes.Where(n => n.SwarmId == swarmId);

    internal LocalNode? FindByEd25519(string hex) =>
        Nodes.FirstOrDefault(n => string.Equals(n.Ed25519Hex, hex, StringComparison.OrdinalIgnoreCase));

    internal void MoveAccount(string accountHex, ulong swarmId)
    {
        if (!SwarmIds.Contains(swarmId)) throw new ArgumentException($"No swarm {swarmId:x}.", nameof(swarmId));
        _moved[accountHex] = swarmId;
    }

    internal void ResetMoves() => _moved.Clear();
}
