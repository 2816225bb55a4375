using System.Text.Json.Nodes;
using SessionInterop.LocalNet.Tests.Support;

namespace SessionInterop.LocalNet.Tests;

// The admin HTTP endpoint (docs/localnet.md): every switch reachable over HTTP on 127.0.0.1.
[TestFixture]
internal sealed class AdminEndpointTests : LocalNetFixture
{
    protected override LocalNetOptions Options() => new() { Nodes = 6 };

    private async Task<(int Status, string Body)> AdminAsync(string pathAndQuery, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, new Uri(Net.AdminUrl, pathAndQuery));
        using HttpResponseMessage response = await Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonObject> NodeStateAsync(int index)
    {
        (int status, string body) = await AdminAsync("nodes", HttpMethod.Get);
        Assert.That(status, Is.EqualTo(200));
        return (JsonObject)((JsonArray)Json(body)["nodes"]!)[index - 1]!;
    }

    [Test]
    public void Admin_endpoint_is_bound_to_127_0_0_1() => Assert.That(Net.AdminUrl.Host, Is.EqualTo("127.0.0.1"));

    [Test]
    public async Task Every_node_switch_is_reachable_over_http_and_reset_clears_them()
    {
        Assert.That(await AdminAsync("nodes/2/stop"), Is.EqualTo((200, "OK")));
        Assert.That((await NodeStateAsync(2))["stopped"]!.GetValue<bool>(), Is.True);
        Assert.ThrowsAsync<HttpRequestException>(() => RpcAsync(Node(2), """{"method":"info","params":{}}"""));
        Assert.That(await AdminAsync("nodes/2/start"), Is.EqualTo((200, "OK")));
        Assert.That((await RpcAsync(Node(2), """{"method":"info","params":{}}""")).Status, Is.EqualTo(200));

        Assert.That(await AdminAsync("nodes/3/delay?ms=250&fraction=0.5"), Is.EqualTo((200, "OK")));
        Assert.That(await AdminAsync("nodes/3/drop?fraction=0.25"), Is.EqualTo((200, "OK")));
        Assert.That(await AdminAsync("nodes/3/skew?ms=-120000"), Is.EqualTo((200, "OK")));
        JsonObject three = await NodeStateAsync(3);
        Assert.That(three["delay_ms"]!.GetValue<double>(), Is.EqualTo(250));
        Assert.That(three["delay_fraction"]!.GetValue<double>(), Is.EqualTo(0.5));
        Assert.That(three["drop_fraction"]!.GetValue<double>(), Is.EqualTo(0.25));
        Assert.That(three["clock_skew_ms"]!.GetValue<long>(), Is.EqualTo(-120000));

        Assert.That(await AdminAsync($"nodes/{Node(4).Ed25519}/unavailable?on=true"), Is.EqualTo((200, "OK")));
        Assert.That((await RpcAsync(Node(4), """{"method":"info","params":{}}""")).Status, Is.EqualTo(503));

        Assert.That(await AdminAsync("nodes/5/busy"), Is.EqualTo((200, "OK")));
        Assert.That(await RpcAsync(Node(5), """{"method":"info","params":{}}"""), Is.EqualTo((503, "Server busy, try again later", "text/plain")));
        Assert.That(await AdminAsync("nodes/6/corrupt?on=true"), Is.EqualTo((200, "OK")));
        Assert.That((await NodeStateAsync(6))["corrupt_relays"]!.GetValue<bool>(), Is.True);

        Assert.That(await AdminAsync("reset"), Is.EqualTo((200, "OK")));
        Assert.That((await NodeStateAsync(6))["corrupt_relays"]!.GetValue<bool>(), Is.False);
        three = await NodeStateAsync(3);
        Assert.That(three["drop_fraction"]!.GetValue<double>(), Is.Zero);
        Assert.That((await RpcAsync(Node(4), """{"method":"info","params":{}}""")).Status, Is.EqualTo(200));
    }

    [Test]
    public async Task Crash_recover_replication_and_relay_timeout_are_reachable_over_http()
    {
        Assert.That(await AdminAsync("nodes/2/crash"), Is.EqualTo((200, "OK")));
        Assert.That((await NodeStateAsync(2))["crashed"]!.GetValue<bool>(), Is.True);
        Assert.ThrowsAsync<HttpRequestException>(() => RpcAsync(Node(2), """{"method":"info","params":{}}"""));
        Assert.That(await AdminAsync("nodes/2/recover"), Is.EqualTo((200, "OK")));
        Assert.That((await RpcAsync(Node(2), """{"method":"info","params":{}}""")).Status, Is.EqualTo(200));

        Assert.That(await AdminAsync("replication?delay_ms=150&jitter_ms=40"), Is.EqualTo((200, "OK")));
        Assert.That(await AdminAsync("relay-timeout?ms=2500"), Is.EqualTo((200, "OK")));
        (_, string body) = await AdminAsync("nodes", HttpMethod.Get);
        JsonObject state = Json(body);
        Assert.That(state["replication"]!["delay_ms"]!.GetValue<double>(), Is.EqualTo(150));
        Assert.That(state["replication"]!["jitter_ms"]!.GetValue<double>(), Is.EqualTo(40));
        Assert.That(state["relay_timeout_ms"]!.GetValue<double>(), Is.EqualTo(2500));
        Assert.That((await AdminAsync("replication?delay_ms=-1")).Status, Is.EqualTo(400));
        Assert.That((await AdminAsync("replication")).Status, Is.EqualTo(400));
    }

    [Test]
    public async Task Moving_an_account_over_http_changes_its_swarm()
    {
        var a = new TestAccount();
        ulong target = Net.SwarmIds.First(id => id != Net.SwarmOf(a.SessionId));
        Assert.That(await AdminAsync($"accounts/{a.SessionId}/move?swarm={target:x}"), Is.EqualTo((200, "OK")));
        Assert.That(Net.SwarmOf(a.SessionId), Is.EqualTo(target));
    }

    [TestCase("nodes/99/stop", 400)]
    [TestCase("nodes/1/explode", 400)]
    [TestCase("nodes/1/delay", 400)]
    [TestCase("accounts/05/move?swarm=zz", 400)]
    [TestCase("nowhere", 404)]
    public async Task Bad_admin_requests_are_refused(string path, int status) =>
        Assert.That((await AdminAsync(path)).Status, Is.EqualTo(status));
}
