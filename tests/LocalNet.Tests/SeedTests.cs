using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using SessionInterop.LocalNet.Tests.Support;

namespace SessionInterop.LocalNet.Tests;

// The seed endpoint (§2.1, §10.1.4) and the topology it publishes (§10.1.1–3).
[TestFixture]
internal sealed class SeedTests : LocalNetFixture
{
    private const string DesktopRequest = """
        {"jsonrpc":"2.0","method":"get_n_service_nodes","params":{"active_only":true,
         "fields":{"public_ip":true,"storage_port":true,"pubkey_x25519":true,"pubkey_ed25519":true,"requested_unlock_height":true,"height":true}}}
        """;

    private async Task<(int Status, JsonObject Body, string ContentType)> SeedAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        using HttpResponseMessage response = await Http.PostAsync(new Uri(Net.SeedUrl, "json_rpc"), content);
        return ((int)response.StatusCode, Json(await response.Content.ReadAsStringAsync()), response.Content.Headers.ContentType!.ToString());
    }

    [Test]
    public async Task Desktop_request_gets_exactly_application_json_and_the_requested_fields()
    {
        (int status, JsonObject body, string contentType) = await SeedAsync(DesktopRequest);
        Assert.That((status, contentType), Is.EqualTo((200, "application/json")));
        Assert.That(body["jsonrpc"]!.GetValue<string>(), Is.EqualTo("2.0"));
        JsonObject result = (JsonObject)body["result"]!;
        Assert.That(result["height"]!.GetValue<long>(), Is.GreaterThan(0));
        Assert.That(result["status"]!.GetValue<string>(), Is.EqualTo("OK"));
        var states = (JsonArray)result["service_node_states"]!;
        Assert.That(states, Has.Count.EqualTo(12));
        foreach (JsonNode? s in states)
        {
            Assert.That(((JsonObject)s!).Select(kv => kv.Key),
                Is.EquivalentTo(new[] { "public_ip", "storage_port", "pubkey_x25519", "pubkey_ed25519", "requested_unlock_height" }));
            Assert.That(s!["requested_unlock_height"]!.GetValue<int>(), Is.Zero);
            byte[] x = Sodium.PublicKeyAuth.ConvertEd25519PublicKeyToCurve25519PublicKey(Convert.FromHexString(s["pubkey_ed25519"]!.GetValue<string>()));
            Assert.That(s["pubkey_x25519"]!.GetValue<string>(), Is.EqualTo(Convert.ToHexStringLower(x)));
        }
    }

    [Test]
    public async Task Twelve_nodes_sit_on_twelve_distinct_slash_24s_in_swarms_of_at_least_three()
    {
        (_, JsonObject body, _) = await SeedAsync(DesktopRequest);
        var ips = ((JsonArray)body["result"]!["service_node_states"]!).Select(s => s!["public_ip"]!.GetValue<string>()).ToList();
        Assert.That(ips.Select(ip => ip[..ip.LastIndexOf('.')]).Distinct().Count(), Is.EqualTo(12));
        Assert.That(ips, Is.EqualTo(Enumerable.Range(1, 12).Select(i => $"127.0.{i}.1")));
        Assert.That(Net.Nodes.GroupBy(n => n.SwarmId).Select(g => g.Count()), Has.All.GreaterThanOrEqualTo(3));
    }

    [TestCase("get_service_nodes")]
    [TestCase("get_all_service_nodes")]
    public async Task Aliases_answer_like_get_n_service_nodes(string method)
    {
        (int status, JsonObject body, _) = await SeedAsync($$$"""{"jsonrpc":"2.0","id":7,"method":"{{{method}}}","params":{"fields":["public_ip"]}}""");
        Assert.That(status, Is.EqualTo(200));
        Assert.That(body["id"]!.GetValue<int>(), Is.EqualTo(7));
        Assert.That(((JsonObject)((JsonArray)body["result"]!["service_node_states"]!)[0]!).Select(kv => kv.Key), Is.EqualTo(new[] { "public_ip" }));
    }

    [Test]
    public async Task Without_fields_every_field_is_returned_including_swarm_id_and_version()
    {
        (_, JsonObject body, _) = await SeedAsync("""{"jsonrpc":"2.0","method":"get_n_service_nodes","params":{}}""");
        JsonNode first = ((JsonArray)body["result"]!["service_node_states"]!)[0]!;
        Assert.That(first["swarm_id"]!.GetValue<ulong>(), Is.EqualTo(Node(1).SwarmId));
        Assert.That(first["storage_server_version"]!.ToJsonString(), Is.EqualTo("[2,8,0]"));
        Assert.That(first["storage_lmq_port"], Is.Not.Null);
    }

    [Test]
    public async Task Unknown_method_is_a_json_rpc_error()
    {
        (int status, JsonObject body, _) = await SeedAsync("""{"jsonrpc":"2.0","method":"get_info","params":{}}""");
        Assert.That(status, Is.EqualTo(200));
        Assert.That(body["error"]!["code"]!.GetValue<int>(), Is.EqualTo(-32601));
    }

    [Test]
    public async Task A_second_twelve_node_localnet_starts_in_well_under_five_seconds()
    {
        var watch = Stopwatch.StartNew();
        await using LocalNetwork net = await LocalNetwork.StartAsync(new LocalNetOptions { Nodes = 12 });
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(net.Nodes.Select(n => n.Port), Has.All.GreaterThan(0));
    }
}
