using System.Text;
using SessionInterop.Crypto;
using SessionInterop.Crypto.Onion;
using SessionInterop.Network.Client;

namespace SessionInterop.LocalNet.Tests.Community;

/// <summary>
/// The community server through onion v4 (3 hops, exit → /oxen/v4/lsrpc): auth rejections keep the
/// real server's status inside the v4 reply, with both onion ciphers; a garbled v4 payload gets
/// SOGS's 400 text.
/// </summary>
[NonParallelizable]
public sealed class CommunityOnionTests
{
    private LocalNetwork _net = null!;

    [OneTimeSetUp]
    public async Task Start() => _net = await LocalNetwork.StartAsync(new LocalNetOptions { Nodes = 6, SwarmSize = 2 });

    [OneTimeTearDown]
    public async Task Stop() => await _net.DisposeAsync();

    [Test]
    public async Task An_undecryptable_request_gets_sogs_stock_400_page_and_the_exit_relays_it_as_is()
    {
        const string page = "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>The browser (or proxy) sent a request that this server could not understand.</p>\n";
        using (var http = new HttpClient())
        {
            using var junk = new ByteArrayContent(new byte[64]);
            using HttpResponseMessage direct = await http.PostAsync(new Uri(_net.CommunityBaseUrl, "oxen/v4/lsrpc"), junk);
            Assert.That((int)direct.StatusCode, Is.EqualTo(400));
            Assert.That(direct.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(await direct.Content.ReadAsStringAsync(), Is.EqualTo(page));
        }

        // Through an onion, encrypted to a key that is not the server's: the client fails for good,
        // without blaming its path.
        await using var network = new SnodeNetwork(new SnodeNetworkOptions { SeedUrls = [_net.SeedUrl.ToString()], AcceptSelfSignedSeedCertificates = true });
        using Identity stranger = Identity.Generate();
        var wrong = ServerTarget.FromUrl(_net.CommunityBaseUrl.ToString(), Convert.ToHexStringLower(stranger.X25519PublicKey.ToArray()));
        var ex = Assert.ThrowsAsync<SessionException>(() => network.SendToServerAsync(wrong, new ServerRequest("GET", "/capabilities"), CancellationToken.None));
        Assert.That(ex!.Status, Is.EqualTo(SessionStatus.ERemote));
    }

    [TestCase(OnionCipher.AesGcm)]
    [TestCase(OnionCipher.XChaCha20)]
    public async Task Auth_statuses_survive_the_onion(OnionCipher cipher)
    {
        await using var network = new SnodeNetwork(new SnodeNetworkOptions
        {
            SeedUrls = [_net.SeedUrl.ToString()],
            AcceptSelfSignedSeedCertificates = true,
            Cipher = cipher,
        });
        var target = ServerTarget.FromUrl(_net.CommunityBaseUrl.ToString(), _net.CommunityPublicKeyHex);
        byte[] serverPk = Convert.FromHexString(_net.CommunityPublicKeyHex);
        using Identity user = Identity.Generate();
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        async Task<(int, string)> Send(string method, string endpoint, CommunityAuthHeaders? auth, byte[]? body = null)
        {
            var headers = auth?.AsHeaders().ToDictionary(h => h.Key, h => h.Value);
            ServerResponse r = await network.SendToServerAsync(target, new ServerRequest(method, endpoint, headers, body), CancellationToken.None);
            return (r.Code, Encoding.UTF8.GetString(r.Body));
        }

        Assert.That(await Send("GET", "/capabilities", null), Is.EqualTo((200, """{"capabilities":["blind","sogs"]}""")));
        var good = CommunityAuth.Sign(user, serverPk, "GET", "/inbox", [], now);
        Assert.That((await Send("GET", "/inbox", good)).Item1, Is.EqualTo(200));
        Assert.That(await Send("GET", "/inbox", good), Is.EqualTo((425, "Invalid authentication: X-SOGS-Nonce cannot be reused")));
        Assert.That(await Send("GET", "/inbox", CommunityAuth.Sign(user, serverPk, "GET", "/outbox", [], now)),
            Is.EqualTo((401, "Invalid authentication: X-SOGS-Signature verification failed")));
        Assert.That(await Send("GET", "/inbox", CommunityAuth.Sign(user, serverPk, "GET", "/inbox", [], now - 90_000)),
            Is.EqualTo((425, "Invalid authentication: X-SOGS-Timestamp is too far from current time")));
        Assert.That(await Send("GET", "/inbox", CommunityAuth.Sign(user, serverPk, "GET", "/inbox", [], now, blinded: false)),
            Is.EqualTo((400, "Invalid authentication: this server requires the use of blinded ids")));
        Assert.That(await Send("GET", "/inbox", null), Is.EqualTo((401, "X-SOGS-* request authentication required")));
        using Identity banned = Identity.Generate();
        _net.Community.Store.SetGlobalBan(banned.Blinded15(serverPk).Id.ToString(), true);
        Assert.That(await Send("GET", "/inbox", CommunityAuth.Sign(banned, serverPk, "GET", "/inbox", [], now)), Is.EqualTo((403, "Banned")));

        byte[] post = Encoding.UTF8.GetBytes("""{"data":"AA==","signature":"AA=="}""");
        Assert.That((await Send("POST", "/room/lobby/message", CommunityAuth.Sign(user, serverPk, "POST", "/room/lobby/message", post, now), post)).Item1,
            Is.EqualTo(400), "a 1-byte signature is invalid data");
    }

    [Test]
    public void A_garbled_v4_payload_gets_the_servers_400()
    {
        byte[] ephemeralSecret = new byte[32], ephemeralPublic = new byte[32];
        Primitives.RandomBytes(ephemeralSecret);
        Primitives.X25519Base(ephemeralSecret, ephemeralPublic);
        byte[] serverPk = Convert.FromHexString(_net.CommunityPublicKeyHex);
        byte[] key = Crypto.Onion.OnionLayerCipher.DeriveKey(Crypto.Onion.OnionCipher.AesGcm, ephemeralSecret, serverPk, ephemeralPublic, serverPk);
        byte[] inner = Crypto.Onion.OnionLayerCipher.Encrypt(Crypto.Onion.OnionCipher.AesGcm, key, "not bencode"u8);
        byte[] frame = Network.Onion.OnionFrame.Build(inner, Encoding.UTF8.GetBytes($$"""{"ephemeral_key":"{{Convert.ToHexStringLower(ephemeralPublic)}}"}"""));
        var reply = _net.Community.Onion(frame);
        Assert.That(reply.Status, Is.EqualTo(200));
        Assert.That(Crypto.Onion.OnionLayerCipher.TryDecrypt(Crypto.Onion.OnionCipher.AesGcm, key, reply.Body, out byte[] plain), Is.True);
        Assert.That(Encoding.UTF8.GetString(plain), Does.Contain("400").And.Contain("Invalid v4 onion request"));
        Assert.That(_net.Community.Onion(Network.Onion.OnionFrame.Build(new byte[40], "{}"u8)).Status, Is.EqualTo(400));
    }
}
