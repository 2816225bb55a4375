using System.Diagnostics;
using System.Text.Json.Nodes;
using SessionInterop.LocalNet.Tests.Support;

namespace SessionInterop.LocalNet.Tests;

// Each fault switch of §10.4, driven in process (LocalNetFaults); AdminEndpointTests drives the
// same switches over HTTP.
[TestFixture]
internal sealed class FaultSwitchTests : LocalNetFixture
{
    private Task<(int Status, string Body, string? ContentType)> InfoAsync(ServiceNodeInfo node) =>
        RpcAsync(node, """{"method":"info","params":{}}""");

    private async Task<(int Status, string Body)> OnionInfoAsync(params int[] hops)
    {
        SpecOnion.Hop[] path = hops[..^1].Select(i => Hop(Node(i))).ToArray();
        SpecOnion.Built built = SpecOnion.ForSnode(path, Hop(Node(hops[^1])), """{"method":"info","params":{}}""", false);
        (int status, string body, _) = await OnionAsync(Node(hops[0]), built.Body);
        return (status, body);
    }

    [Test]
    public async Task A_stopped_node_drops_connections_leaves_the_seed_list_and_is_not_found_by_relays()
    {
        Net.Faults.StopNode(3);
        Assert.ThrowsAsync<HttpRequestException>(() => InfoAsync(Node(3)));

        (int seedStatus, string seedBody, _) = await PostAsync(new Uri(Net.SeedUrl, "json_rpc"), """{"method":"get_n_service_nodes","params":{}}"""u8.ToArray());
        Assert.That(seedStatus, Is.EqualTo(200));
        var listed = ((JsonArray)Json(seedBody)["result"]!["service_node_states"]!).Select(s => s!["pubkey_ed25519"]!.GetValue<string>()).ToList();
        Assert.That(listed, Has.Count.EqualTo(Net.Nodes.Count - 1).And.Not.Contains(Node(3).Ed25519));

        (int status, string body) = await OnionInfoAsync(1, 2, 3, 4);
        Assert.That((status, body), Is.EqualTo((502, "Next node not found: " + Node(3).Ed25519)));

        Net.Faults.StartNode(3);
        Assert.That((await InfoAsync(Node(3))).Status, Is.EqualTo(200));
        Assert.That((await OnionInfoAsync(1, 2, 3, 4)).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task A_crashed_node_stays_listed_refuses_connections_and_relays_to_it_time_out_with_504()
    {
        Net.Faults.SetRelayTimeout(TimeSpan.FromMilliseconds(700));
        Net.Faults.CrashNode(3);
        Assert.ThrowsAsync<HttpRequestException>(() => InfoAsync(Node(3)));

        (_, string seedBody, _) = await PostAsync(new Uri(Net.SeedUrl, "json_rpc"), """{"method":"get_n_service_nodes","params":{}}"""u8.ToArray());
        var listed = ((JsonArray)Json(seedBody)["result"]!["service_node_states"]!).Select(s => s!["pubkey_ed25519"]!.GetValue<string>()).ToList();
        Assert.That(listed, Does.Contain(Node(3).Ed25519), "a crashed node is still registered");

        var watch = Stopwatch.StartNew();
        (int status, string body) = await OnionInfoAsync(1, 2, 3, 4);
        Assert.That((status, body), Is.EqualTo((504, "Request time out")));
        Assert.That(watch.ElapsedMilliseconds, Is.GreaterThanOrEqualTo(650), "the relay waited for its timeout");

        Net.Faults.RecoverNode(3);
        Assert.That((await InfoAsync(Node(3))).Status, Is.EqualTo(200));
        Assert.That((await OnionInfoAsync(1, 2, 3, 4)).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task A_delayed_node_answers_late()
    {
        Net.Faults.DelayRequests(4, TimeSpan.FromMilliseconds(1000));
        var watch = Stopwatch.StartNew();
        Assert.That((await InfoAsync(Node(4))).Status, Is.EqualTo(200));
        Assert.That(watch.ElapsedMilliseconds, Is.GreaterThanOrEqualTo(950));

        Net.Faults.DelayRequests(4, TimeSpan.FromMilliseconds(1000), fraction: 0);
        watch.Restart();
        await InfoAsync(Node(4));
        Assert.That(watch.ElapsedMilliseconds, Is.LessThan(900));
    }

    [Test]
    public async Task A_node_that_drops_requests_makes_the_previous_hop_answer_504_request_time_out()
    {
        Net.Faults.DropRequests(2, 1.0);
        (int status, string body) = await OnionInfoAsync(1, 2, 3, 4);
        Assert.That((status, body), Is.EqualTo((504, "Request time out")));
    }

    [Test]
    public async Task Moving_an_account_makes_its_old_swarm_answer_421_with_the_new_swarm()
    {
        var a = new TestAccount();
        ServiceNodeInfo oldHome = SwarmNode(a.SessionId);
        ulong target = Net.SwarmIds.First(id => id != oldHome.SwarmId);
        Net.Faults.MoveAccount(a.SessionId, target);

        (int status, string body, _) = await RpcAsync(oldHome, "retrieve", SignedRetrieve(a, 0));
        Assert.That(status, Is.EqualTo(421));
        Assert.That(Json(body)["swarm"]!.GetValue<string>(), Is.EqualTo(target.ToString("x")));

        ServiceNodeInfo newHome = Net.Nodes.First(n => n.SwarmId == target);
        Assert.That((await RpcAsync(newHome, "retrieve", SignedRetrieve(a, 0))).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task A_skewed_node_clock_rejects_fresh_signatures_with_406()
    {
        var a = new TestAccount();
        ServiceNodeInfo home = SwarmNode(a.SessionId);
        Net.Faults.SkewClock(home.Index, TimeSpan.FromMinutes(5));
        (int status, string body, _) = await RpcAsync(home, "retrieve", SignedRetrieve(a, 0));
        Assert.That((status, body), Is.EqualTo((406, "retrieve timestamp too far from current time")));

        (status, body, _) = await InfoAsync(home);
        Assert.That(Json(body)["t"]!.GetValue<long>(), Is.EqualTo(TestAccount.NowMs + 300_000).Within(10_000));
    }

    [Test]
    public async Task An_unavailable_node_answers_503_directly_and_relays_report_snode_not_ready()
    {
        Net.Faults.SetUnavailable(2, true);
        (int status, string body, _) = await InfoAsync(Node(2));
        Assert.That((status, body), Is.EqualTo((503, "Service node is not ready: LocalNet fault switch\n")));

        (int onionStatus, string onionBody) = await OnionInfoAsync(1, 2, 3, 4);
        Assert.That((onionStatus, onionBody), Is.EqualTo((503, "Snode not ready: " + Node(2).Ed25519)));

        Net.Faults.SetUnavailable(2, false);
        Assert.That((await InfoAsync(Node(2))).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task A_busy_node_answers_503_server_busy_and_relays_pass_it_back()
    {
        Net.Faults.SetBusy(2, true);
        (int status, string body, _) = await InfoAsync(Node(2));
        Assert.That((status, body), Is.EqualTo((503, "Server busy, try again later")));
        (int onionStatus, string onionBody) = await OnionInfoAsync(1, 2, 3, 4);
        Assert.That((onionStatus, onionBody), Is.EqualTo((503, "Server busy, try again later")));
    }

    [Test]
    public async Task A_node_that_corrupts_relayed_layers_makes_the_next_hop_answer_400_invalid_ciphertext()
    {
        Net.Faults.CorruptRelays(1, true);
        Assert.That(await OnionInfoAsync(1, 2, 3, 4), Is.EqualTo((400, "Invalid ciphertext")));
        Net.Faults.CorruptRelays(1, false);
        Assert.That((await OnionInfoAsync(1, 2, 3, 4)).Item1, Is.EqualTo(200));
    }

    [Test]
    public async Task An_exit_that_cannot_reach_its_server_answers_502_with_the_error_text()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        int closedPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop(); // nothing listens there any more

        var route = new JsonObject { ["host"] = "127.0.0.1", ["target"] = "/oxen/v4/lsrpc", ["protocol"] = "http", ["port"] = closedPort };
        SpecOnion.Built built = SpecOnion.ForServer([Hop(Node(1)), Hop(Node(2)), Hop(Node(3))], SpecOnion.NewEphemeral().Pk, "l2:{}e"u8.ToArray(), route, false);
        (int status, string body, _) = await OnionAsync(Node(1), built.Body);
        Assert.That(status, Is.EqualTo(502));
        Assert.That(body, Does.Contain("refused").IgnoreCase);
    }

    [Test]
    public void Switches_reject_unknown_nodes_and_bad_fractions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Net.Faults.StopNode(99));
        Assert.Throws<ArgumentOutOfRangeException>(() => Net.Faults.DropRequests(1, 1.5));
        Assert.Throws<ArgumentException>(() => Net.Faults.MoveAccount(new TestAccount().SessionId, 12345));
    }
}
