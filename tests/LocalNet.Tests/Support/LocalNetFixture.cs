using System.Text;
using System.Text.Json.Nodes;

namespace SessionInterop.LocalNet.Tests.Support;

// Base class of the integration fixtures: one in-process LocalNet per fixture (started in about a
// second), an HttpClient that trusts its node certificates, and small request helpers.
internal abstract class LocalNetFixture
{
    protected LocalNetwork Net { get; private set; } = null!;
    protected HttpClient Http { get; private set; } = null!;

    protected virtual LocalNetOptions Options() => new() { Nodes = 12, RelayTimeout = TimeSpan.FromSeconds(1) };

    [OneTimeSetUp]
    public async Task StartLocalNet()
    {
        Net = await LocalNetwork.StartAsync(Options());
        Http = Net.CreateHttpClient();
        Http.Timeout = TimeSpan.FromSeconds(20);
    }

    [OneTimeTearDown]
    public async Task StopLocalNet()
    {
        Http?.Dispose();
        if (Net is not null) await Net.DisposeAsync();
    }

    [TearDown]
    public void ResetFaults() => Net.Faults.Reset();

    protected ServiceNodeInfo Node(int index) => Net.Nodes[index - 1];

    protected static SpecOnion.Hop Hop(ServiceNodeInfo n) => new(n.Ed25519, Convert.FromHexString(n.X25519));

    /// <summary>A node of the account's swarm and one outside it.</summary>
    protected ServiceNodeInfo SwarmNode(string account) => Net.Nodes.First(n => n.SwarmId == Net.SwarmOf(account));
    protected ServiceNodeInfo ForeignNode(string account) => Net.Nodes.First(n => n.SwarmId != Net.SwarmOf(account));

    protected async Task<(int Status, string Body, string? ContentType)> PostAsync(Uri url, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        using HttpResponseMessage response = await Http.PostAsync(url, content);
        string text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Direct storage RPC (POST /storage_rpc/v1).</summary>
    protected Task<(int Status, string Body, string? ContentType)> RpcAsync(ServiceNodeInfo node, string json) =>
        PostAsync(new Uri(node.BaseUrl, "/storage_rpc/v1"), Encoding.UTF8.GetBytes(json));

    protected Task<(int Status, string Body, string? ContentType)> RpcAsync(ServiceNodeInfo node, string method, JsonObject parameters) =>
        RpcAsync(node, new JsonObject { ["method"] = method, ["params"] = parameters.DeepClone() }.ToJsonString());

    protected Task<(int Status, string Body, string? ContentType)> OnionAsync(ServiceNodeInfo guard, byte[] body) =>
        PostAsync(new Uri(guard.BaseUrl, "/onion_req/v2"), body);

    protected static JsonObject Json(string text) => (JsonObject)JsonNode.Parse(text)!;

    protected static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>A valid, signed store of <paramref name="text"/> for <paramref name="account"/>.</summary>
    protected static JsonObject SignedStore(TestAccount account, int ns, string text)
    {
        long now = TestAccount.NowMs;
        return new JsonObject
        {
            ["pubkey"] = account.SessionId,
            ["pubkey_ed25519"] = account.EdHex,
            ["namespace"] = ns,
            ["timestamp"] = now,
            ["ttl"] = 3_600_000,
            ["data"] = B64(text),
            ["signature"] = account.Sign($"store{(ns == 0 ? "" : ns)}{now}"),
        };
    }

    /// <summary>A valid, signed retrieve for <paramref name="account"/>.</summary>
    protected static JsonObject SignedRetrieve(TestAccount account, int ns)
    {
        long now = TestAccount.NowMs;
        return new JsonObject
        {
            ["pubkey"] = account.SessionId,
            ["pubkey_ed25519"] = account.EdHex,
            ["namespace"] = ns,
            ["timestamp"] = now,
            ["signature"] = account.Sign($"retrieve{(ns == 0 ? "" : ns)}{now}"),
        };
    }
}
