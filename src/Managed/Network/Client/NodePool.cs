namespace SessionInterop.Network.Client;

// The client's view of the active service nodes (protocol-network.md §2.4-§2.5, §5.9): random choice
// that avoids the /24s of excluded nodes, and per-node failure strikes (3 → dropped).
// Not thread-safe on its own: SnodeNetwork calls it under its lock.
internal sealed class NodePool
{
    public const int NodeFailureThreshold = 3;

    private readonly Random _random;
    private readonly List<ServiceNode> _nodes = [];
    private readonly Dictionary<string, int> _strikes = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<ServiceNode> _listed = [];

    public NodePool(Random random) => _random = random;

    public int Count => _nodes.Count;

    public IReadOnlyList<ServiceNode> Nodes => _nodes;

    /// <summary>When the list was last replaced from a seed or a snode quorum.</summary>
    public DateTimeOffset? RefreshedAt { get; private set; }

    /// <summary>How many nodes the last seed/quorum list had: a network smaller than the minimum is normal, not a reason to refetch.</summary>
    public int ListedCount { get; private set; }

    /// <summary>
    /// Fewer nodes than the minimum, counting only what the network itself offered: a whole small
    /// network (e.g. a 6-node LocalNet) is not short; one that lost nodes to failures is.
    /// </summary>
    public bool IsShort(int minCount) => _nodes.Count == 0 || _nodes.Count < Math.Min(minCount, ListedCount);

    /// <summary>
    /// Whether a refresh is due: never fetched, older than <paramref name="maxAge"/>, or short — but a
    /// short, non-empty pool is refetched at most once per <see cref="MinShortRefetchInterval"/>.
    /// </summary>
    public bool NeedsRefresh(int minCount, TimeSpan maxAge, DateTimeOffset now)
    {
        if (RefreshedAt is null || _nodes.Count == 0 || now - RefreshedAt.Value > maxAge)
            return true;
        return IsShort(minCount) && now - RefreshedAt.Value >= MinShortRefetchInterval;
    }

    /// <summary>Least time between refetches of a pool that is short but still usable.</summary>
    public static readonly TimeSpan MinShortRefetchInterval = TimeSpan.FromSeconds(30);

    /// <summary>Replaces the whole list (deduplicated, shuffled) and resets every strike, as desktop does after a refresh.</summary>
    public void Replace(IEnumerable<ServiceNode> nodes, DateTimeOffset now)
    {
        ServiceNode[] fresh = nodes.Distinct().ToArray();
        _random.Shuffle(fresh);
        _nodes.Clear();
        _nodes.AddRange(fresh);
        _strikes.Clear();
        ListedCount = fresh.Length;
        _listed.Clear();
        _listed.UnionWith(fresh);
        RefreshedAt = now;
    }

    public bool Contains(ServiceNode node) => _nodes.Contains(node);

    /// <summary>Whether the node was in the last seed/quorum list (it may since have been dropped).</summary>
    public bool WasListed(ServiceNode node) => _listed.Contains(node);

    /// <summary>Postpones the next age-based refresh (after a failed refresh with a still usable pool).</summary>
    public void MarkRefreshed(DateTimeOffset now) => RefreshedAt = now;

    public ServiceNode? Find(string ed25519Hex) =>
        _nodes.FirstOrDefault(n => n.Ed25519Hex.Equals(ed25519Hex, StringComparison.OrdinalIgnoreCase));

    public bool Remove(ServiceNode node)
    {
        _strikes.Remove(node.Ed25519Hex);
        return _nodes.Remove(node);
    }

    /// <summary>Adds a strike; true when the node reached the threshold and was removed.</summary>
    public bool Strike(ServiceNode node)
    {
        int count = _strikes.GetValueOrDefault(node.Ed25519Hex) + 1;
        _strikes[node.Ed25519Hex] = count;
        if (count < NodeFailureThreshold)
            return false;
        Remove(node);
        return true;
    }

    public int StrikesOf(ServiceNode node) => _strikes.GetValueOrDefault(node.Ed25519Hex);

    /// <summary>
    /// A random node that is not excluded and shares no /24 with an excluded node (desktop's
    /// getRandomSnode); null when none is left.
    /// </summary>
    public ServiceNode? PickRandom(IEnumerable<ServiceNode> exclude)
    {
        var excluded = exclude.ToHashSet();
        var subnets = excluded.Select(n => n.Subnet24).ToHashSet(StringComparer.Ordinal);
        ServiceNode[] candidates = _nodes.Where(n => !excluded.Contains(n) && !subnets.Contains(n.Subnet24)).ToArray();
        return candidates.Length == 0 ? null : candidates[_random.Next(candidates.Length)];
    }

    /// <summary>Up to <paramref name="count"/> random nodes, pairwise on distinct /24s and clear of <paramref name="exclude"/>.</summary>
    public IReadOnlyList<ServiceNode> PickDistinctSubnets(int count, IEnumerable<ServiceNode> exclude)
    {
        var taken = new List<ServiceNode>(exclude);
        var picked = new List<ServiceNode>(count);
        while (picked.Count < count && PickRandom(taken) is ServiceNode next)
        {
            picked.Add(next);
            taken.Add(next);
        }
        return picked;
    }
}

// Refresh from snodes (§2.4, Android/libsession newest): ask 3 pool nodes for the node list and keep
// the nodes at least 2 of them agree on; too small a quorum means "re-seed instead".
internal static class NodePoolRefresh
{
    public const int SnodesToAsk = 3;
    public const int MinAgreement = 2;

    public static IReadOnlyList<ServiceNode>? Quorum(IReadOnlyList<IReadOnlyList<ServiceNode>> answers, int minCount)
    {
        if (answers.Count < MinAgreement)
            return null;
        var votes = new Dictionary<ServiceNode, int>();
        foreach (IReadOnlyList<ServiceNode> answer in answers)
        {
            foreach (ServiceNode node in answer.Distinct())
                votes[node] = votes.GetValueOrDefault(node) + 1;
        }
        ServiceNode[] agreed = votes.Where(v => v.Value >= MinAgreement).Select(v => v.Key).ToArray();
        return agreed.Length >= minCount ? agreed : null;
    }
}
