using System.Text;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using SessionInterop.Network.Client;

namespace SessionInterop.Tests.Network;

// Issue 11's network items against FakeSnodeNetwork: who is blamed for a failure, what may change
// the guard pool, a small network as a normal state, and what reaches logs above Debug.
public sealed class AttributionAndBoundsTests
{
    private static readonly DateTimeOffset s_now = SnodeNetworkTests.s_now;
    private static readonly byte[] s_secretKey = SnodeNetworkTests.s_secretKey;
    private const string SessionId = SnodeNetworkTests.SessionId;

    // What SOGS answers when it cannot decrypt an onion request (Flask's stock 400 page), relayed as is by the exit.
    private const string SogsUndecryptable = "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>The browser (or proxy) sent a request that this server could not understand.</p>\n";

    private static SnodeNetwork Create(FakeSnodeNetwork fake, ILogger? logger = null, FixedTime? time = null) =>
        new(new SnodeNetworkOptions { SeedUrls = ["https://127.0.0.1:1/"] }, fake, fake, null, time ?? new FixedTime(s_now), new Random(7), logger);

    private static (int, string) Default(FakeSnodeNetwork fake, string method) => method switch
    {
        "get_swarm" => (200, FakeSnodeNetwork.SwarmJson(fake.Nodes.Take(3), 1)),
        "retrieve" => (200, """{"messages":[],"more":false,"t":1700000000000}"""),
        _ => (200, """{"t":1700000000000}"""),
    };

    [Test]
    public async Task A_421_swarm_serves_that_request_only_and_never_enters_the_guard_pool()
    {
        var fake = new FakeSnodeNetwork(17) { SeedListed = 14 };
        ServiceNode[] oldSwarm = fake.Nodes.Take(3).ToArray(), unlisted = fake.Nodes.Skip(14).ToArray();
        fake.Rpc = (n, m, p) => m == "retrieve" && oldSwarm.Contains(n) ? (421, FakeSnodeNetwork.SwarmJson(unlisted, 2)) : Default(fake, m);
        await using SnodeNetwork net = Create(fake);

        RetrieveResult r = await net.RetrieveAsync(s_secretKey, SessionId, 0, null, CancellationToken.None);

        Assert.That(unlisted.Select(n => n.Ed25519Hex), Does.Contain(r.NodeEd25519Hex), "the retry went to the swarm the 421 named");
        Assert.That(net.SnapshotPool().Nodes, Has.None.AnyOf(unlisted), "no node named only by a 421 became a guard candidate");
        Assert.That(net.SnapshotPool().Nodes, Has.Count.LessThanOrEqualTo(14));
    }

    [Test]
    public async Task A_server_that_cannot_decrypt_fails_the_request_as_remote_without_blaming_the_path()
    {
        var fake = new FakeSnodeNetwork(12);
        fake.Rpc = (_, m, _) => Default(fake, m);
        await using SnodeNetwork net = Create(fake);
        await net.RetrieveAsync(s_secretKey, SessionId, 0, null, CancellationToken.None); // paths ready
        IReadOnlyList<ServiceNode> guards = net.GuardsInUse();
        int poolBefore = net.SnapshotPool().Nodes.Count;
        int onionPosts = 0;
        fake.GuardOverride = _ =>
        {
            onionPosts++;
            return new NodeHttpResponse(400, Encoding.UTF8.GetBytes(SogsUndecryptable));
        };
        var target = ServerTarget.FromUrl("http://127.0.0.1:8081/room", new string('1', 64));

        var ex = Assert.ThrowsAsync<SessionException>(() => net.SendToServerAsync(target, new ServerRequest("GET", "/capabilities"), CancellationToken.None));

        Assert.That(ex!.Status, Is.EqualTo(SessionStatus.ERemote));
        Assert.That(ex.IsTransient, Is.False);
        Assert.That(onionPosts, Is.EqualTo(1), "not retried on other paths");
        Assert.That(net.GuardsInUse(), Is.EquivalentTo(guards), "no path was struck");
        Assert.That(net.SnapshotPool().Nodes, Has.Count.EqualTo(poolBefore), "no node was struck out");
    }

    [Test]
    public async Task A_network_smaller_than_the_pool_minimum_is_fetched_once_and_stays_connected()
    {
        var fake = new FakeSnodeNetwork(6);
        fake.Rpc = (_, m, _) => Default(fake, m);
        var time = new FixedTime(s_now);
        await using SnodeNetwork net = Create(fake, time: time);
        var states = new List<ConnectionState>();
        net.ConnectionStateChanged += states.Add;

        for (int i = 0; i < 20; i++)
        {
            await net.RetrieveAsync(s_secretKey, SessionId, 0, null, CancellationToken.None);
            time.Now += TimeSpan.FromSeconds(5); // 100 s of polling
        }

        Assert.That(fake.SeedFetches, Is.EqualTo(1), "6 of 6 nodes is the whole network, not a short pool");
        Assert.That(states.Count(s => s == ConnectionState.Connecting), Is.LessThanOrEqualTo(1));
        Assert.That(states.Count(s => s == ConnectionState.Connected), Is.LessThanOrEqualTo(1), "no flapping");
    }

    [Test]
    public async Task Nothing_above_debug_names_a_node_by_ip_or_key()
    {
        var fake = new FakeSnodeNetwork(14);
        fake.Rpc = (_, m, _) => Default(fake, m);
        var logger = new ListLogger();
        await using SnodeNetwork net = Create(fake, logger);
        await net.RetrieveAsync(s_secretKey, SessionId, 0, null, CancellationToken.None);
        // Every hop error kind that blames a node or a path, a few times each.
        string someKey = fake.Nodes[5].Ed25519Hex;
        foreach (NodeHttpResponse failure in new[]
                 {
                     new NodeHttpResponse(502, Encoding.UTF8.GetBytes("Next node not found: " + someKey)),
                     new NodeHttpResponse(503, Encoding.UTF8.GetBytes("Snode not ready: " + someKey)),
                     new NodeHttpResponse(400, "Invalid ciphertext"u8.ToArray()),
                     new NodeHttpResponse(504, "Request time out"u8.ToArray()),
                 })
        {
            fake.GuardOverride = _ => failure;
            try
            {
                await net.RetrieveAsync(s_secretKey, SessionId, 0, null, CancellationToken.None);
            }
            catch (SessionException)
            {
                // expected: every attempt fails
            }
        }

        var loud = logger.Lines.Where(l => l.Level > LogLevel.Debug).Select(l => l.Text).ToList();
        Assert.That(loud, Is.Not.Empty, "failures were logged");
        Assert.That(loud, Has.None.Match(@"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"), "no IP above Debug");
        Assert.That(loud, Has.None.Match("[0-9a-f]{16,}"), "no node key above Debug");
        Assert.That(logger.Lines.Where(l => l.Level == LogLevel.Debug).Select(l => l.Text), Has.Some.Match(@"127\.0\.\d+\.1"), "Debug still has the detail");
    }

    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Text)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add((logLevel, formatter(state, exception)));
        }
    }
}
