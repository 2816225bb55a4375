using System.Text;
using System.Text.Json;
using NUnit.Framework;
using SessionInterop.Crypto.Onion;
using SessionInterop.Network.Client;
using Sodium;

namespace SessionInterop.Tests.Network;

// The facade against FakeSnodeNetwork: real onions, real layer crypto, no sockets.
public sealed class SnodeNetworkTests
{
    internal static readonly DateTimeOffset s_now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    internal static readonly byte[] s_secretKey = PublicKeyAuth.GenerateKeyPair(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()).PrivateKey;
    internal const string SessionId = "054701d08488451f545a409fb58ae3e58581ca40ac3f7f114698cd71deac73ca01";

    private static SnodeNetwork Create(FakeSnodeNetwork fake, OnionCipher cipher = OnionCipher.AesGcm, FixedTime? time = null) =>
        new(new SnodeNetworkOptions { Cipher = cipher, SeedUrls = ["https://127.0.0.1:1/"] }, fake, fake, null, time ?? new FixedTime(s_now), new Random(7), null);

    /// <summary>Swarm = the first 3 fake nodes; retrieve returns one message; everything else answers {"t":…}.</summary>
    private static (int, string) Default(FakeSnodeNetwork fake, ServiceNode node, string method, JsonElement p) => method switch
    {
        "get_swarm" => (200, FakeSnodeNetwork.SwarmJson(fake.Nodes.Take(3), 1)),
        "retrieve" => (200, """{"messages":[{"hash":"h","timestamp":1,"expiration":2,"data":"AQ=="}],"more":false,"t":1700000000000}"""),
        "store" => (200, $$$"""{"swarm":{"{{{node.Ed25519Hex}}}":{"hash":"h","signature":"s","expiry":9}},"hash":"h","t":1700000000000}"""),
        _ => (200, """{"t":1700000000000}"""),
    };

    [TestCase(OnionCipher.AesGcm)]
    [TestCase(OnionCipher.XChaCha20)]
    public async Task Retrieve_goes_through_an_onion_to_a_swarm_member(OnionCipher cipher)
    {
        var fake = new FakeSnodeNetwork(14);
        var seen = new List<(ServiceNode, string, string)>();
        fake.Rpc = (n, m, p) => { seen.Add((n, m, p.GetRawText())); return Default(fake, n, m, p); };
        var states = new List<ConnectionState>();
        await using SnodeNetwork net = Create(fake, cipher);
        net.ConnectionStateChanged += states.Add;

        RetrieveResult r = await net.RetrieveAsync(s_secretKey, SessionId, 0, null, CancellationToken.None);

        Assert.That(r.Messages.Single().Hash, Is.EqualTo("h"));
        Assert.That(fake.Nodes.Take(3).Select(n => n.Ed25519Hex), Does.Contain(r.NodeEd25519Hex));
        var retrieve = seen.Single(s => s.Item2 == "retrieve");
        Assert.That(fake.Nodes.Take(3), Does.Contain(retrieve.Item1));
        using JsonDocument p = JsonDocument.Parse(retrieve.Item3);
        string sig = p.RootElement.GetProperty("signature").GetString()!;
        long ts = p.RootElement.GetProperty("timestamp").GetInt64();
        Assert.That(ts, Is.EqualTo(s_now.ToUnixTimeMilliseconds()));
        Assert.That(PublicKeyAuth.VerifyDetached(Convert.FromBase64String(sig), StorageSignatures.RetrieveMessage(0, ts), s_secretKey[32..]), Is.True);
        Assert.That(states, Is.EqualTo(new[] { ConnectionState.Connecting, ConnectionState.Connected }));
        Assert.That(fake.Log.Count(l => l.StartsWith(NodeEndpoints.StorageRpc, StringComparison.Ordinal)), Is.GreaterThan(0), "guards are tested");
    }

    [Test]
    public async Task Store_to_namespace_zero_returns_the_hash()
    {
        var fake = new FakeSnodeNetwork(12);
        fake.Rpc = (n, m, p) => Default(fake, n, m, p);
        await using SnodeNetwork net = Create(fake);
        StoreResult r = await net.StoreAsync(SessionId, 0, "aGk=", 86_400_000, CancellationToken.None);
        Assert.That(r.Hash, Is.EqualTo("h"));
        Assert.That(r.Nodes.Single().ExpiryMs, Is.EqualTo(9));
    }

    [Test]
    public async Task Misdirected_421_switches_to_the_swarm_in_the_reply()
    {
        var fake = new FakeSnodeNetwork(14);
        ServiceNode[] oldSwarm = fake.Nodes.Take(3).ToArray();
        ServiceNode[] newSwarm = fake.Nodes.Skip(10).Take(3).ToArray();
        var retrievedFrom = new List<ServiceNode>();
        fake.Rpc = (n, m, p) =>
        {
            if (m != "retrieve")
                return Default(fake, n, m, p);
            retrievedFrom.Add(n);
            return oldSwarm.Contains(n) ? (421, FakeSnodeNetwork.SwarmJson(newSwarm, 2)) : Default(fake, n, m, p);
        };
        await using SnodeNetwork net = Create(fake);

        RetrieveResult r = await net.RetrieveAsync(s_secretKey, SessionId, 0, null, CancellationToken.None);

        Assert.That(retrievedFrom, Has.Count.EqualTo(2));
        Assert.That(oldSwarm, Does.Contain(retrievedFrom[0]));
        Assert.That(newSwarm, Does.Contain(retrievedFrom[1]));
        Assert.That(r.Messages, Has.Count.EqualTo(1));
        // One node's 421 served that request only: the next request asks get_swarm again.
        Assert.That(await net.GetSwarmAsync(SessionId, CancellationToken.None), Is.EquivalentTo(oldSwarm));
    }

    [Test]
    public async Task Clock_error_406_resyncs_from_info_and_retries_with_a_fresh_timestamp()
    {
        var fake = new FakeSnodeNetwork(12);
        long serverNow = s_now.ToUnixTimeMilliseconds() + 120_000; // the network is 2 minutes ahead
        var timestamps = new List<long>();
        fake.Rpc = (n, m, p) =>
        {
            switch (m)
            {
                case "info":
                    return (200, $$$"""{"version":[2,8,0],"timestamp":{{{serverNow}}},"t":{{{serverNow}}}}""");
                case "retrieve":
                    long ts = p.GetProperty("timestamp").GetInt64();
                    timestamps.Add(ts);
                    return Math.Abs(ts - serverNow) > 60_000
                        ? (406, "retrieve timestamp too far from current time")
                        : (200, $$$"""{"messages":[],"more":false,"t":{{{serverNow}}}}""");
                default:
                    return (200, m == "get_swarm" ? FakeSnodeNetwork.SwarmJson(fake.Nodes.Take(3), 1) : "{}");
            }
        };
        await using SnodeNetwork net = Create(fake);

        await net.RetrieveAsync(s_secretKey, SessionId, 0, null, CancellationToken.None);

        Assert.That(timestamps, Is.EqualTo(new[] { s_now.ToUnixTimeMilliseconds(), serverNow }));
        Assert.That(net.ClockOffsetMs, Is.EqualTo(-120_000));
    }

    [Test]
    public async Task Persistent_406_surfaces_as_clock_out_of_sync()
    {
        var fake = new FakeSnodeNetwork(12);
        fake.Rpc = (n, m, p) => m == "retrieve" ? (406, "retrieve timestamp too far from current time") : Default(fake, n, m, p);
        await using SnodeNetwork net = Create(fake);
        var ex = Assert.ThrowsAsync<SessionException>(() => net.RetrieveAsync(s_secretKey, SessionId, 0, null, CancellationToken.None));
        Assert.That(ex!.Code, Is.EqualTo("network.clock_out_of_sync"));
    }

    [Test]
    public async Task Unauthorised_401_is_not_retried()
    {
        var fake = new FakeSnodeNetwork(12);
        int calls = 0;
        fake.Rpc = (n, m, p) =>
        {
            if (m != "retrieve")
                return Default(fake, n, m, p);
            calls++;
            return (401, "retrieve signature verification failed");
        };
        await using SnodeNetwork net = Create(fake);
        var ex = Assert.ThrowsAsync<SessionException>(() => net.RetrieveAsync(s_secretKey, SessionId, 0, null, CancellationToken.None));
        Assert.That(ex!.Code, Is.EqualTo("network.rpc_rejected"));
        Assert.That(ex.IsTransient, Is.False);
        Assert.That(calls, Is.EqualTo(1));
    }

    [Test]
    public async Task Next_node_not_found_drops_that_node_and_the_retry_succeeds()
    {
        var fake = new FakeSnodeNetwork(14);
        fake.Rpc = (n, m, p) => Default(fake, n, m, p);
        await using SnodeNetwork net = Create(fake);
        await net.ConnectAsync(CancellationToken.None);
        ServiceNode victim = net.PathSet.Paths[0].Nodes[1];
        int failures = 0;
        fake.GuardOverride = g => failures++ == 0 ? new NodeHttpResponse(502, Encoding.UTF8.GetBytes("Next node not found: " + victim.Ed25519Hex)) : null;

        await net.RetrieveAsync(s_secretKey, SessionId, 0, null, CancellationToken.None);

        Assert.That(net.Pool.Contains(victim), Is.False);
        Assert.That(net.PathSet.Paths.SelectMany(p => p.Nodes), Has.None.EqualTo(victim));
    }

    [Test]
    public async Task Repeated_relay_timeouts_rebuild_the_path_but_keep_its_guard_and_strike_the_destinations()
    {
        var fake = new FakeSnodeNetwork(14);
        fake.Rpc = (n, m, p) => Default(fake, n, m, p);
        await using SnodeNetwork net = new(new SnodeNetworkOptions { PathCount = 1, MaxAttempts = 3, SeedUrls = ["https://127.0.0.1:1/"] },
            fake, fake, null, new FixedTime(s_now), new Random(3), null);
        await net.ConnectAsync(CancellationToken.None);
        OnionPath first = net.PathSet.Paths.Single();
        fake.GuardOverride = g => g.Equals(first.Guard) ? new NodeHttpResponse(504, "Request time out"u8.ToArray()) : null;

        try
        {
            await net.GetSwarmAsync(SessionId, CancellationToken.None);
        }
        catch (SessionException)
        {
            // whether a rebuilt path saved the call is not the point here
        }

        // The guard answered (504: its next hop was silent), so it stays; the destinations were struck.
        Assert.That(net.PathSet.Paths, Has.None.SameAs(first));
        Assert.That(net.Pool.Contains(first.Guard), Is.True);
        Assert.That(net.Pool.Nodes.Any(n => net.Pool.StrikesOf(n) > 0) || net.Pool.Count < 14, Is.True, "destinations were struck");
    }

    [Test]
    public async Task Server_destination_request_returns_the_v4_response()
    {
        var fake = new FakeSnodeNetwork(12);
        byte[] serverSecret = Enumerable.Repeat((byte)42, 32).ToArray();
        fake.ServerSecret = serverSecret;
        string? seenRequest = null;
        fake.Server = v4 =>
        {
            seenRequest = Encoding.UTF8.GetString(v4);
            return Encoding.UTF8.GetBytes("""l58:{"code":200,"headers":{"content-type":"application/json"}}45:{"capabilities":["blind","reactions","sogs"]}e""");
        };
        await using SnodeNetwork net = Create(fake, OnionCipher.XChaCha20);
        var target = ServerTarget.FromUrl("http://127.0.0.1:8081/room", Convert.ToHexStringLower(ScalarMult.Base(serverSecret)));

        using JsonDocument? doc = await net.SendJsonToServerAsync(target, new ServerRequest("GET", "/capabilities"), CancellationToken.None);

        Assert.That(seenRequest, Is.EqualTo("""l56:{"method":"GET","endpoint":"/capabilities","headers":{}}e"""));
        Assert.That(doc!.RootElement.GetProperty("capabilities").GetArrayLength(), Is.EqualTo(3));
    }

    [Test]
    public async Task Key_that_does_not_own_the_session_id_is_refused()
    {
        var fake = new FakeSnodeNetwork(12);
        await using SnodeNetwork net = Create(fake);
        byte[] otherKey = PublicKeyAuth.GenerateKeyPair(new byte[32]).PrivateKey;
        var ex = Assert.ThrowsAsync<SessionException>(() => net.RetrieveAsync(otherKey, SessionId, 0, null, CancellationToken.None));
        Assert.That(ex!.Code, Is.EqualTo("key.account_mismatch"));
        Assert.That(fake.Log, Is.Empty);
    }

    [Test]
    public async Task Unreachable_seed_on_an_empty_pool_is_a_network_error()
    {
        var fake = new FakeSnodeNetwork(0);
        await using SnodeNetwork net = Create(fake);
        var ex = Assert.ThrowsAsync<SessionException>(() => net.ConnectAsync(CancellationToken.None));
        Assert.That(ex!.Status, Is.EqualTo(SessionStatus.ENetwork));
    }

    [Test]
    public async Task Batched_retrieve_follows_a_421_sub_result_to_the_new_swarm()
    {
        var fake = new FakeSnodeNetwork(14);
        ServiceNode[] oldSwarm = fake.Nodes.Take(3).ToArray();
        ServiceNode[] newSwarm = fake.Nodes.Skip(10).Take(3).ToArray();
        var namespaces = new List<int>();
        fake.Rpc = (n, m, p) =>
        {
            if (m != "retrieve")
                return Default(fake, n, m, p);
            if (oldSwarm.Contains(n))
                return (421, FakeSnodeNetwork.SwarmJson(newSwarm, 2));
            namespaces.Add(p.GetProperty("namespace").GetInt32());
            return Default(fake, n, m, p);
        };
        await using SnodeNetwork net = Create(fake);

        IReadOnlyList<RetrieveResult> results = await net.RetrieveManyAsync(s_secretKey, SessionId,
            [new NamespaceCursor(0, null), new NamespaceCursor(2, new string('A', 43))], CancellationToken.None);

        Assert.That(results, Has.Count.EqualTo(2));
        Assert.That(namespaces, Is.EqualTo(new[] { 0, 2 }));
        Assert.That(newSwarm.Select(x => x.Ed25519Hex), Does.Contain(results[0].NodeEd25519Hex));
    }

    [Test]
    public async Task Restored_pool_avoids_the_seed_until_it_is_too_small_or_old()
    {
        var fake = new FakeSnodeNetwork(12);
        fake.Rpc = (n, m, p) => Default(fake, n, m, p);
        var time = new FixedTime(s_now);
        await using SnodeNetwork net = Create(fake, time: time);
        net.RestorePool(fake.Nodes, s_now);

        await net.ConnectAsync(CancellationToken.None);
        Assert.That(fake.SeedFetches, Is.Zero);
        Assert.That(net.SnapshotPool().Nodes, Is.EquivalentTo(fake.Nodes));

        // Older than 2 h: refreshed from 3 snodes, which all answer the full list → still no seed.
        fake.Rpc = (n, m, p) => m == "oxend_request"
            ? (200, SeedJson(fake.Nodes))
            : Default(fake, n, m, p);
        time.Now = s_now.AddHours(3);
        await net.GetSwarmAsync(SessionId, CancellationToken.None);
        Assert.That(fake.SeedFetches, Is.Zero);
        Assert.That(net.SnapshotPool().RefreshedAt, Is.EqualTo(s_now.AddHours(3)));
    }

    private static string SeedJson(IEnumerable<ServiceNode> nodes) =>
        "{\"result\":{\"service_node_states\":[" + string.Join(",", nodes.Select(n =>
            $$$"""{"public_ip":"{{{n.Ip}}}","storage_port":{{{n.Port}}},"pubkey_ed25519":"{{{n.Ed25519Hex}}}","pubkey_x25519":"{{{n.X25519Hex}}}"}""")) + "]},\"t\":1700000000000}";
}
