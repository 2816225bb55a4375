namespace SessionInterop.Network.Client;

/// <summary>A 3-hop onion path <c>[guard, middle, exit]</c>, all on distinct /24s (protocol-network.md §5.10).</summary>
internal sealed class OnionPath
{
    public OnionPath(IReadOnlyList<ServiceNode> nodes) => Nodes = nodes;

    public IReadOnlyList<ServiceNode> Nodes { get; private set; }

    public ServiceNode Guard => Nodes[0];

    /// <summary>Failures of this path (keyed by its guard in desktop); 3 drop it.</summary>
    public int Failures { get; set; }

    public bool Contains(ServiceNode node) => Nodes.Contains(node);

    /// <summary>True when <paramref name="node"/> is on the path or shares a /24 with one of its nodes.</summary>
    public bool Touches(ServiceNode node) => Nodes.Any(n => n.Equals(node) || n.Subnet24 == node.Subnet24);

    public void Replace(ServiceNode old, ServiceNode fresh) =>
        Nodes = Nodes.Select(n => n.Equals(old) ? fresh : n).ToArray();

    public override string ToString() => string.Join(" → ", Nodes);
}

// Path selection and repair (§5.9-§5.10). Not thread-safe on its own: SnodeNetwork locks around it.
internal sealed class OnionPathSet
{
    public const int HopCount = 3;
    public const int PathFailureThreshold = 3;

    private readonly Random _random;
    private readonly List<OnionPath> _paths = [];

    public OnionPathSet(Random random) => _random = random;

    public IReadOnlyList<OnionPath> Paths => _paths;

    /// <summary>
    /// Builds a path on <paramref name="guard"/> (or a random guard) whose nodes are pairwise on
    /// distinct /24s and avoid every node (and /24) in <paramref name="exclude"/>; null if the pool is too small.
    /// </summary>
    public static OnionPath? Build(NodePool pool, IEnumerable<ServiceNode> exclude, ServiceNode? guard = null)
    {
        var avoid = exclude.ToList();
        var nodes = new List<ServiceNode>(HopCount);
        if (guard is not null)
        {
            nodes.Add(guard);
            avoid.Add(guard);
        }
        nodes.AddRange(pool.PickDistinctSubnets(HopCount - nodes.Count, avoid));
        return nodes.Count == HopCount ? new OnionPath(nodes) : null;
    }

    /// <summary>Adds a path; beyond <paramref name="limit"/> the oldest path makes room (paths are interchangeable).</summary>
    public void Add(OnionPath path, int limit = int.MaxValue)
    {
        _paths.Add(path);
        if (_paths.Count > limit)
            _paths.RemoveAt(0);
    }

    public void Remove(OnionPath path) => _paths.Remove(path);

    public void Clear() => _paths.Clear();

    /// <summary>A random path that does not touch <paramref name="avoid"/> (a snode request's own target).</summary>
    public OnionPath? Pick(ServiceNode? avoid)
    {
        OnionPath[] usable = _paths.Where(p => avoid is null || !p.Touches(avoid)).ToArray();
        return usable.Length == 0 ? null : usable[_random.Next(usable.Length)];
    }

    /// <summary>
    /// Drops <paramref name="bad"/> from every path: a path whose guard it is goes away; elsewhere it is
    /// swapped for a fresh node on a new /24 (or the path goes away if none is left).
    /// </summary>
    public void ReplaceNode(ServiceNode bad, NodePool pool)
    {
        foreach (OnionPath path in _paths.Where(p => p.Contains(bad)).ToArray())
        {
            ServiceNode? fresh = path.Guard.Equals(bad) ? null : pool.PickRandom([.. path.Nodes, bad]);
            if (fresh is null)
                _paths.Remove(path);
            else
                path.Replace(bad, fresh);
        }
    }

    /// <summary>Keeps only paths whose every node is still in the pool.</summary>
    public void PruneToPool(NodePool pool) => _paths.RemoveAll(p => !p.Nodes.All(pool.Contains));
}
