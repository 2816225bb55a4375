using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SessionInterop.Network.Client;

namespace SessionInterop.LocalNet.Tests.Files;

/// <summary>
/// LocalNet's file server against session-file-server's behaviour (protocol-network.md §8.2):
/// upload/download/info/extend through onion v4 and over plain HTTP, content-hash ids, 413 and 404
/// as {"status_code": N}, expiry, state kept across a restart, the admin placement switch.
/// </summary>
[NonParallelizable]
public sealed class FileServerTests
{
    private LocalNetwork _net = null!;
    private string _data = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _data = Path.Combine(Path.GetTempPath(), "fs-test-" + Guid.NewGuid().ToString("n"));
        _net = await LocalNetwork.StartAsync(new LocalNetOptions { Nodes = 6, SwarmSize = 2, DataDirectory = _data });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _net.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private ServerTarget Target => ServerTarget.FromUrl(_net.FileServerUrl.ToString(), _net.FileServerPublicKeyHex);

    private SnodeNetwork Network() => new(new SnodeNetworkOptions { SeedUrls = [_net.SeedUrl.ToString()], AcceptSelfSignedSeedCertificates = true });

    [Test]
    public async Task Upload_download_info_and_extend_through_an_onion_path()
    {
        await using SnodeNetwork network = Network();
        byte[] blob = RandomNumberGenerator.GetBytes(70_000);
        var headers = new Dictionary<string, string> { ["Content-Type"] = "application/octet-stream", ["Content-Disposition"] = "attachment" };
        ServerResponse up = await network.SendToServerAsync(Target, new ServerRequest("POST", "/file", headers, blob), CancellationToken.None);
        Assert.That(up.Code, Is.EqualTo(200));
        using JsonDocument json = JsonDocument.Parse(up.Body);
        string id = json.RootElement.GetProperty("id").GetString()!;
        Assert.That(id, Has.Length.EqualTo(44), "content-hash id: 33 bytes in url-safe base64");
        double expires = json.RootElement.GetProperty("expires").GetDouble();
        double uploaded = json.RootElement.GetProperty("uploaded").GetDouble();
        Assert.That(expires - uploaded, Is.EqualTo(21 * 86400).Within(1), "3 weeks, as FILE_EXPIRY");

        ServerResponse down = await network.SendToServerAsync(Target, new ServerRequest("GET", $"/file/{id}"), CancellationToken.None);
        Assert.That(down.Code, Is.EqualTo(200));
        Assert.That(down.Body, Is.EqualTo(blob));

        ServerResponse info = await network.SendToServerAsync(Target, new ServerRequest("GET", $"/file/{id}/info"), CancellationToken.None);
        using (JsonDocument i = JsonDocument.Parse(info.Body))
            Assert.That(i.RootElement.GetProperty("size").GetInt64(), Is.EqualTo(70_000));

        // The same bytes again: the same id (de-duplicated), expiry refreshed.
        ServerResponse again = await network.SendToServerAsync(Target, new ServerRequest("POST", "/file", headers, blob), CancellationToken.None);
        using (JsonDocument a = JsonDocument.Parse(again.Body))
            Assert.That(a.RootElement.GetProperty("id").GetString(), Is.EqualTo(id));

        // A short TTL then an extension: expires moves forward, never back.
        byte[] other = RandomNumberGenerator.GetBytes(100);
        ServerResponse shortLived = await network.SendToServerAsync(Target,
            new ServerRequest("POST", "/file", new Dictionary<string, string> { ["X-FS-TTL"] = "60" }, other), CancellationToken.None);
        using JsonDocument s = JsonDocument.Parse(shortLived.Body);
        string otherId = s.RootElement.GetProperty("id").GetString()!;
        Assert.That(s.RootElement.GetProperty("expires").GetDouble() - s.RootElement.GetProperty("uploaded").GetDouble(), Is.EqualTo(60).Within(1));
        ServerResponse extended = await network.SendToServerAsync(Target, new ServerRequest("POST", $"/file/{otherId}/extend"), CancellationToken.None);
        using JsonDocument e = JsonDocument.Parse(extended.Body);
        Assert.That(e.RootElement.GetProperty("expires").GetDouble() - e.RootElement.GetProperty("uploaded").GetDouble(), Is.GreaterThan(20 * 86400));
        Assert.That(e.RootElement.GetProperty("size").GetInt64(), Is.EqualTo(100));
    }

    [Test]
    public async Task Errors_are_status_code_json_as_the_real_server_sends_them()
    {
        await using SnodeNetwork network = Network();
        ServerResponse empty = await network.SendToServerAsync(Target, new ServerRequest("POST", "/file", null, Array.Empty<byte>()), CancellationToken.None);
        Assert.That((empty.Code, Encoding.UTF8.GetString(empty.Body)), Is.EqualTo((413, """{"status_code": 413}""")));
        ServerResponse missing = await network.SendToServerAsync(Target, new ServerRequest("GET", "/file/nope"), CancellationToken.None);
        Assert.That((missing.Code, Encoding.UTF8.GetString(missing.Body)), Is.EqualTo((404, """{"status_code": 404}""")));
        ServerResponse extendMissing = await network.SendToServerAsync(Target, new ServerRequest("POST", "/file/nope/extend"), CancellationToken.None);
        Assert.That(extendMissing.Code, Is.EqualTo(404));

        // Over the limit (plain HTTP: an onion of that size would pass the nodes' 10 MiB limit first).
        using var http = new HttpClient();
        using var big = new ByteArrayContent(new byte[10_223_617]);
        using HttpResponseMessage tooBig = await http.PostAsync(new Uri(_net.FileServerUrl, "file"), big);
        Assert.That((int)tooBig.StatusCode, Is.EqualTo(413));
        Assert.That(await tooBig.Content.ReadAsStringAsync(), Is.EqualTo("""{"status_code": 413}"""));
    }

    [Test]
    public async Task Plain_http_get_the_admin_placement_and_expiry_switches()
    {
        using var http = new HttpClient();
        byte[] bytes = Encoding.ASCII.GetBytes("built elsewhere");
        using (var body = new ByteArrayContent(bytes))
        using (HttpResponseMessage placed = await http.PostAsync(new Uri(_net.AdminUrl, "files/1234567890"), body))
            Assert.That((int)placed.StatusCode, Is.EqualTo(200));
        using (HttpResponseMessage got = await http.GetAsync(new Uri(_net.FileServerUrl, "file/1234567890")))
        {
            Assert.That((int)got.StatusCode, Is.EqualTo(200));
            Assert.That(got.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/octet-stream"));
            Assert.That(await got.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes));
        }
        using (HttpResponseMessage expire = await http.PostAsync(new Uri(_net.AdminUrl, "files/1234567890/expire"), null))
            Assert.That((int)expire.StatusCode, Is.EqualTo(200));
        using (HttpResponseMessage gone = await http.GetAsync(new Uri(_net.FileServerUrl, "file/1234567890")))
            Assert.That((int)gone.StatusCode, Is.EqualTo(404));
    }

    [Test]
    public async Task Files_and_the_server_key_survive_a_restart()
    {
        using var http = new HttpClient();
        using var body = new ByteArrayContent([1, 2, 3]);
        using HttpResponseMessage up = await http.PostAsync(new Uri(_net.FileServerUrl, "file"), body);
        string id = JsonDocument.Parse(await up.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        string key = _net.FileServerPublicKeyHex;
        await _net.DisposeAsync();
        _net = await LocalNetwork.StartAsync(new LocalNetOptions { Nodes = 6, SwarmSize = 2, DataDirectory = _data });
        Assert.That(_net.FileServerPublicKeyHex, Is.EqualTo(key));
        await using SnodeNetwork network = Network();
        ServerResponse down = await network.SendToServerAsync(Target, new ServerRequest("GET", $"/file/{id}"), CancellationToken.None);
        Assert.That(down.Body, Is.EqualTo(new byte[] { 1, 2, 3 }));
    }
}
