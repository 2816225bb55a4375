using NUnit.Framework;
using SessionInterop.Network.Client;

namespace SessionInterop.Tests.Network;

/// <summary>The swarm cache is bounded (issue 11): writing to many recipients does not grow it forever.</summary>
public sealed class SwarmCacheTests
{
    [Test]
    public void The_cache_keeps_at_most_its_bound_and_drops_the_least_recently_fetched()
    {
        var cache = new SwarmCache();
        var pool = new NodePool(new Random(1));
        var node = new ServiceNode("127.0.1.1", 443, new string('a', 64), new string('b', 64));
        DateTimeOffset t0 = DateTimeOffset.UnixEpoch;
        pool.Replace([node], t0);
        for (int i = 0; i < SwarmCache.MaxAccounts + 50; i++)
            cache.Set($"05{i:x64}", [node], t0.AddSeconds(i));
        Assert.That(cache.Count, Is.EqualTo(SwarmCache.MaxAccounts));
        Assert.That(cache.Get($"05{0:x64}", pool, t0.AddSeconds(1)), Is.Null, "the oldest went first");
        Assert.That(cache.Get($"05{SwarmCache.MaxAccounts + 49:x64}", pool, t0.AddSeconds(SwarmCache.MaxAccounts + 49)), Is.Not.Null, "the newest stays");
    }
}
