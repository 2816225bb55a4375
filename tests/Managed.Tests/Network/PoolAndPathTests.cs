using NUnit.Framework;
using SessionInterop.Network.Client;

namespace SessionInterop.Tests.Network;

// protocol-network.md §2.4-§2.5 (pool), §5.9-§5.10 (paths and strikes), §9 (clock).
public sealed class PoolAndPathTests
{
    private static ServiceNode Node(string ip, int n) =>
        new(ip, 22000 + n, n.ToString("x64", System.Globalization.CultureInfo.InvariantCulture), new string('0', 64));

    private static readonly DateTimeOffset s_now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    [Test]
    public void Built_paths_use_three_distinct_subnets_even_when_subnets_are_crowded()
    {
        // 10 nodes crowded into 3 subnets plus 2 lone ones: any path must still spread over 3 /24s.
        var nodes = new List<ServiceNode>();
        for (int i = 0; i < 10; i++)
            nodes.Add(Node($"10.0.{i % 3}.{i + 1}", i));
        nodes.Add(Node("10.9.9.9", 20));
        nodes.Add(Node("10.8.8.8", 21));
        for (int seed = 0; seed < 50; seed++)
        {
            var pool = new NodePool(new Random(seed));
            pool.Replace(nodes, s_now);
            OnionPath? path = OnionPathSet.Build(pool, []);
            Assert.That(path, Is.Not.Null);
            Assert.That(path!.Nodes.Select(n => n.Subnet24).Distinct().Count(), Is.EqualTo(3));
        }
    }

    [Test]
    public void Path_avoids_the_subnet_of_an_excluded_target()
    {
        var pool = new NodePool(new Random(1));
        pool.Replace([Node("10.0.1.1", 1), Node("10.0.1.2", 2), Node("10.0.2.1", 3), Node("10.0.3.1", 4), Node("10.0.4.1", 5)], s_now);
        for (int i = 0; i < 20; i++)
        {
            OnionPath path = OnionPathSet.Build(pool, [Node("10.0.1.1", 1)])!;
            Assert.That(path.Nodes.Select(n => n.Subnet24), Has.None.EqualTo("10.0.1"));
        }
    }

    [Test]
    public void Path_cannot_be_built_with_fewer_than_three_subnets()
    {
        var pool = new NodePool(new Random(1));
        pool.Replace([Node("10.0.1.1", 1), Node("10.0.1.2", 2), Node("10.0.2.1", 3), Node("10.0.2.2", 4)], s_now);
        Assert.That(OnionPathSet.Build(pool, []), Is.Null);
    }

    [Test]
    public void Third_strike_drops_a_node_and_a_refresh_forgives_strikes()
    {
        var pool = new NodePool(new Random(1));
        ServiceNode a = Node("10.0.1.1", 1);
        pool.Replace([a, Node("10.0.2.1", 2)], s_now);
        Assert.That(pool.Strike(a), Is.False);
        Assert.That(pool.Strike(a), Is.False);
        pool.Replace(pool.Nodes.ToArray(), s_now);
        Assert.That(pool.StrikesOf(a), Is.Zero);
        pool.Strike(a);
        pool.Strike(a);
        Assert.That(pool.Strike(a), Is.True);
        Assert.That(pool.Contains(a), Is.False);
    }

    [Test]
    public void Pool_refresh_is_due_when_empty_old_or_short_of_what_the_network_listed()
    {
        var pool = new NodePool(new Random(1));
        Assert.That(pool.NeedsRefresh(2, TimeSpan.FromHours(2), s_now), Is.True);
        ServiceNode a = Node("10.0.1.1", 1), b = Node("10.0.2.1", 2);
        pool.Replace([a, b], s_now);
        Assert.That(pool.NeedsRefresh(2, TimeSpan.FromHours(2), s_now.AddHours(1)), Is.False);
        Assert.That(pool.NeedsRefresh(3, TimeSpan.FromHours(2), s_now.AddHours(1)), Is.False, "the whole network has 2 nodes: not short");
        Assert.That(pool.NeedsRefresh(2, TimeSpan.FromHours(2), s_now.AddHours(3)), Is.True);
        pool.Remove(b);
        Assert.That(pool.NeedsRefresh(3, TimeSpan.FromHours(2), s_now.AddSeconds(10)), Is.False, "short, but refetched at most every 30 s");
        Assert.That(pool.NeedsRefresh(3, TimeSpan.FromHours(2), s_now.AddSeconds(31)), Is.True, "short of what was listed");
        pool.Remove(a);
        Assert.That(pool.NeedsRefresh(3, TimeSpan.FromHours(2), s_now.AddSeconds(1)), Is.True, "empty");
    }

    [Test]
    public void Snode_refresh_keeps_nodes_two_of_three_answers_agree_on()
    {
        ServiceNode a = Node("10.0.1.1", 1), b = Node("10.0.2.1", 2), c = Node("10.0.3.1", 3), d = Node("10.0.4.1", 4);
        IReadOnlyList<ServiceNode>? agreed = NodePoolRefresh.Quorum([[a, b, c], [a, b, d], [a, c]], minCount: 3);
        Assert.That(agreed, Is.EquivalentTo(new[] { a, b, c }));
        Assert.That(NodePoolRefresh.Quorum([[a, b, c], [a, b, d], [a, c]], minCount: 4), Is.Null, "too small a quorum means re-seed");
        Assert.That(NodePoolRefresh.Quorum([[a, b, c]], minCount: 1), Is.Null, "one answer is no quorum");
    }

    [Test]
    public void Replacing_a_dropped_middle_keeps_the_path_on_distinct_subnets()
    {
        var pool = new NodePool(new Random(3));
        ServiceNode g = Node("10.0.1.1", 1), m = Node("10.0.2.1", 2), x = Node("10.0.3.1", 3), spare = Node("10.0.4.1", 4);
        pool.Replace([g, m, x, spare], s_now);
        var paths = new OnionPathSet(new Random(3));
        paths.Add(new OnionPath([g, m, x]));
        pool.Remove(m);
        paths.ReplaceNode(m, pool);
        Assert.That(paths.Paths.Single().Nodes, Is.EqualTo(new[] { g, spare, x }));
        pool.Remove(g);
        paths.ReplaceNode(g, pool);
        Assert.That(paths.Paths, Is.Empty, "a path loses its guard → it is dropped");
    }

    [Test]
    public void Path_pick_never_returns_a_path_touching_the_target()
    {
        ServiceNode g = Node("10.0.1.1", 1), m = Node("10.0.2.1", 2), x = Node("10.0.3.1", 3), y = Node("10.0.4.1", 4);
        var paths = new OnionPathSet(new Random(5));
        paths.Add(new OnionPath([g, m, x]));
        paths.Add(new OnionPath([y, m, g]));
        Assert.That(paths.Pick(Node("10.0.3.9", 9))!.Guard, Is.EqualTo(y));
        Assert.That(paths.Pick(m), Is.Null);
    }

    [Test]
    public void Clock_uses_the_mean_of_the_last_ten_offsets_and_resets_after_406()
    {
        var time = new FixedTime(s_now);
        var clock = new NetworkClock(time);
        Assert.That(clock.NowMs, Is.EqualTo(s_now.ToUnixTimeMilliseconds()));
        clock.Record(s_now.ToUnixTimeMilliseconds() - 1000); // we are 1 s ahead
        clock.Record(s_now.ToUnixTimeMilliseconds() - 3000);
        Assert.That(clock.OffsetMs, Is.EqualTo(2000));
        Assert.That(clock.NowMs, Is.EqualTo(s_now.ToUnixTimeMilliseconds() - 2000));
        clock.Record(5); // implausible server time (before 2021) is ignored
        Assert.That(clock.OffsetMs, Is.EqualTo(2000));
        for (int i = 0; i < 10; i++)
            clock.Record(s_now.ToUnixTimeMilliseconds() - 500);
        Assert.That(clock.OffsetMs, Is.EqualTo(500), "only the last 10 samples count");
        clock.Reset(s_now.ToUnixTimeMilliseconds() + 60_000);
        Assert.That(clock.OffsetMs, Is.EqualTo(-60_000));
    }

    [Test]
    public void Subnet_is_the_ip_up_to_its_last_dot() =>
        Assert.That(Node("127.0.12.1", 1).Subnet24, Is.EqualTo("127.0.12"));

    [Test]
    public void Seed_pins_cover_the_three_mainnet_seeds()
    {
        foreach (string url in SnodeNetworkOptions.MainnetSeeds)
            Assert.That(SeedCertificatePins.IsPinned(new Uri(url).Host), Is.True, url);
        Assert.That(SeedCertificatePins.IsPinned("127.0.0.1"), Is.False);
    }

    [Test]
    public void Path_set_evicts_the_oldest_path_beyond_its_limit()
    {
        var paths = new OnionPathSet(new Random(1));
        var made = Enumerable.Range(0, 5).Select(i => new OnionPath([Node($"10.{i}.1.1", i * 3), Node($"10.{i}.2.1", i * 3 + 1), Node($"10.{i}.3.1", i * 3 + 2)])).ToArray();
        foreach (OnionPath p in made)
            paths.Add(p, limit: 4);
        Assert.That(paths.Paths, Is.EqualTo(made[1..]));
    }
}
