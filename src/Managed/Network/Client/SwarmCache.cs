namespace SessionInterop.Network.Client;

// Known swarm members per account (protocol-network.md §3.2-§3.4). Members are looked up in the
// pool (as desktop does), so dropped nodes vanish from swarms too. A swarm with fewer than 3 live
// members is refetched with get_swarm, unless it was fetched within the last minute (small swarms
// would otherwise be refetched on every request). Not thread-safe: used under SnodeNetwork's lock.
// Bounded: at most MaxAccounts swarms are kept (an app writing to many recipients would otherwise
// grow it forever); the least recently fetched goes first and is simply fetched again when needed.
internal sealed class SwarmCache
{
    public const int MinSwarmSize = 3;
    public const int MaxAccounts = 1_000;
    private static readonly TimeSpan s_freshFor = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, (List<ServiceNode> Members, DateTimeOffset FetchedAt)> _swarms = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The account's members still in <paramref name="pool"/>, or null if a refetch is due.</summary>
    public IReadOnlyList<ServiceNode>? Get(string accountId, NodePool pool, DateTimeOffset now)
    {
        if (!_swarms.TryGetValue(accountId, out var entry))
            return null;
        // Members the pool dropped are gone; members it never listed are kept (the pool holds what
        // the seed or a quorum listed, get_swarm may name newer nodes).
        ServiceNode[] live = entry.Members.Where(n => pool.Contains(n) || !pool.WasListed(n)).ToArray();
        if (live.Length == 0)
            return null;
        return live.Length >= MinSwarmSize || now - entry.FetchedAt < s_freshFor ? live : null;
    }

    public void Set(string accountId, IEnumerable<ServiceNode> members, DateTimeOffset now)
    {
        _swarms[accountId] = (members.Distinct().ToList(), now);
        if (_swarms.Count > MaxAccounts)
            _swarms.Remove(_swarms.MinBy(s => s.Value.FetchedAt).Key);
    }

    /// <summary>Accounts whose swarm is cached.</summary>
    public int Count => _swarms.Count;

    /// <summary>Forgets an account's swarm (a 421 said it moved): the next request fetches it again.</summary>
    public void Forget(string accountId) => _swarms.Remove(accountId);

    public void Remove(string accountId, ServiceNode node)
    {
        if (_swarms.TryGetValue(accountId, out var entry))
            entry.Members.Remove(node);
    }

    public void RemoveEverywhere(ServiceNode node)
    {
        foreach (var entry in _swarms.Values)
            entry.Members.Remove(node);
    }
}
