using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SessionInterop.Crypto;
using SessionInterop.LocalNet.Community;

namespace SessionInterop.LocalNet.Tests.Community;

/// <summary>
/// The community server over plain HTTP: every X-SOGS auth rejection with SOGS's status and text,
/// permissions, limits, message sequence numbers, edits, deletions and blinded DMs.
/// </summary>
[NonParallelizable]
public sealed class CommunityServerTests
{
    private LocalNetwork _net = null!;
    private HttpClient _http = null!;
    private byte[] _serverPk = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _net = await LocalNetwork.StartAsync(new LocalNetOptions { Nodes = 3, SwarmSize = 1, CommunityRooms = ["lobby", "quiet"] });
        _http = new HttpClient { BaseAddress = _net.CommunityBaseUrl };
        _serverPk = Convert.FromHexString(_net.CommunityPublicKeyHex);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _net.DisposeAsync();
    }

    private sealed record Reply(int Status, string Body)
    {
        public JsonNode Json => JsonNode.Parse(Body)!;
    }

    private async Task<Reply> SendAsync(string method, string path, byte[]? body = null, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new ByteArrayContent(body);
        foreach (var (k, v) in headers ?? []) request.Headers.TryAddWithoutValidation(k, v);
        using HttpResponseMessage response = await _http.SendAsync(request);
        return new Reply((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<Reply> SignedAsync(Identity who, string method, string path, byte[]? body = null, long? ts = null, bool blinded = true) =>
        SendAsync(method, path, body, CommunityAuth.Sign(who, _serverPk, method, path, body ?? [], ts ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(), blinded).AsHeaders());

    private static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    private byte[] PostBody(Identity who, string text)
    {
        var post = Protocol.CommunityMessages.EncodePost(who, _serverPk, Protocol.Messages.Text(text, "t"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return Json($$"""{"data":"{{post.Data}}","signature":"{{post.Signature}}"}""");
    }

    [Test]
    public async Task Capabilities_advertise_blind_and_report_missing_ones_with_412()
    {
        Reply caps = await SendAsync("GET", "/capabilities");
        Assert.That(caps.Status, Is.EqualTo(200));
        Assert.That(caps.Json["capabilities"]!.AsArray().Select(n => n!.GetValue<string>()), Is.EqualTo(new[] { "blind", "sogs" }));
        Reply missing = await SendAsync("GET", "/capabilities?required=sogs,magic");
        Assert.That(missing.Status, Is.EqualTo(412));
        Assert.That(missing.Json["missing"]![0]!.GetValue<string>(), Is.EqualTo("magic"));
    }

    [Test]
    public async Task Each_auth_failure_is_rejected_with_the_real_servers_status_and_text()
    {
        using Identity alice = Identity.Generate();
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var good = CommunityAuth.Sign(alice, _serverPk, "GET", "/room/lobby", [], now);
        Dictionary<string, string> Headers(CommunityAuthHeaders h) => h.AsHeaders().ToDictionary(x => x.Key, x => x.Value);

        async Task Expect(int status, string text, Dictionary<string, string> headers, string path = "/room/lobby")
        {
            Reply r = await SendAsync("GET", path, null, headers);
            Assert.That((r.Status, r.Body), Is.EqualTo((status, text)));
        }

        var some = Headers(good);
        some.Remove("X-SOGS-Nonce");
        await Expect(400, "Invalid authentication headers: missing 1/4 required X-SOGS-* headers", some);
        await Expect(400, "Invalid authentication: X-SOGS-Pubkey is not a valid 66-hex digit id", Headers(good with { Pubkey = "15abc" }));
        await Expect(400, "Invalid authentication: X-SOGS-Pubkey must be 00- or 15- prefixed", Headers(good with { Pubkey = "05" + good.Pubkey[2..] }));
        var unblinded = CommunityAuth.Sign(alice, _serverPk, "GET", "/room/lobby", [], now, blinded: false);
        await Expect(400, "Invalid authentication: this server requires the use of blinded ids", Headers(unblinded));
        await Expect(400, "Invalid authentication: X-SOGS-Nonce must be 16 bytes (encoded as base64 or hex)", Headers(good with { Nonce = "AAAA" }));
        await Expect(400, "Invalid authentication: X-SOGS-Signature is not base64[88]", Headers(good with { Signature = "AAAA" }));
        await Expect(400, "Invalid authentication: X-SOGS-Timestamp is not a valid timestamp", Headers(good with { Timestamp = "soon" }));
        var old = CommunityAuth.Sign(alice, _serverPk, "GET", "/room/lobby", [], now - 25 * 3600);
        await Expect(425, "Invalid authentication: X-SOGS-Timestamp is too far from current time", Headers(old));
        var future = CommunityAuth.Sign(alice, _serverPk, "GET", "/room/lobby", [], now + 25 * 3600);
        await Expect(425, "Invalid authentication: X-SOGS-Timestamp is too far from current time", Headers(future));

        // Signed for another path: 401. Then the good request passes once and its replay is 425.
        var otherPath = CommunityAuth.Sign(alice, _serverPk, "GET", "/room/quiet", [], now);
        await Expect(401, "Invalid authentication: X-SOGS-Signature verification failed", Headers(otherPath));
        Reply ok = await SendAsync("GET", "/room/lobby", null, Headers(good));
        Assert.That(ok.Status, Is.EqualTo(200));
        await Expect(425, "Invalid authentication: X-SOGS-Nonce cannot be reused", Headers(good));

        // A request needing a user without any auth: 401; a banned user: 403.
        Reply anonymous = await SendAsync("POST", "/room/lobby/message", PostBody(alice, "hi"));
        Assert.That((anonymous.Status, anonymous.Body), Is.EqualTo((401, "X-SOGS-* request authentication required")));
        using Identity mallory = Identity.Generate();
        _net.Community.Store.SetGlobalBan(mallory.Blinded15(_serverPk).Id.ToString(), true);
        Reply banned = await SignedAsync(mallory, "GET", "/room/lobby");
        Assert.That((banned.Status, banned.Body), Is.EqualTo((403, "Banned")));
    }

    [Test]
    public async Task Batch_auth_covers_sub_requests_and_the_body_hash_is_checked()
    {
        using Identity alice = Identity.Generate();
        byte[] batch = Json("""[{"method":"GET","path":"/capabilities"},{"method":"GET","path":"/inbox"}]""");
        Reply ok = await SignedAsync(alice, "POST", "/batch", batch);
        Assert.That(ok.Status, Is.EqualTo(200));
        Assert.That(ok.Json.AsArray().Select(x => x!["code"]!.GetValue<int>()), Is.EqualTo(new[] { 200, 200 }));

        var headers = CommunityAuth.Sign(alice, _serverPk, "POST", "/batch", batch, DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AsHeaders();
        Reply tampered = await SendAsync("POST", "/batch", Json("""[{"method":"GET","path":"/inbox"}]"""), headers);
        Assert.That(tampered.Status, Is.EqualTo(401));

        Reply anonymous = await SendAsync("POST", "/sequence", Json("""[{"method":"GET","path":"/inbox"},{"method":"GET","path":"/capabilities"}]"""));
        Assert.That(anonymous.Json.AsArray().Select(x => x!["code"]!.GetValue<int>()), Is.EqualTo(new[] { 401 }), "sequence stops at the first failure");
    }

    [Test]
    public async Task Posts_get_seqnos_edits_and_deletions_show_up_in_since_and_only_the_author_may_change_them()
    {
        using Identity alice = Identity.Generate(), bob = Identity.Generate();
        long start = (await SendAsync("GET", "/room/quiet")).Json["message_sequence"]!.GetValue<long>();
        Reply posted = await SignedAsync(alice, "POST", "/room/quiet/message", PostBody(alice, "one"));
        Assert.That(posted.Status, Is.EqualTo(201));
        long id = posted.Json["id"]!.GetValue<long>();
        Assert.That(posted.Json["session_id"]!.GetValue<string>(), Is.EqualTo(alice.Blinded15(_serverPk).Id.ToString()));

        Assert.That((await SignedAsync(bob, "PUT", $"/room/quiet/message/{id}", PostBody(bob, "x"))).Status, Is.EqualTo(403));
        Assert.That((await SignedAsync(bob, "DELETE", $"/room/quiet/message/{id}")).Status, Is.EqualTo(403));
        Assert.That((await SignedAsync(alice, "PUT", $"/room/quiet/message/{id}", PostBody(alice, "two"))).Status, Is.EqualTo(200));
        Reply edits = await SendAsync("GET", $"/room/quiet/messages/since/{start}");
        Assert.That(edits.Json.AsArray(), Has.Count.EqualTo(1));
        Assert.That(edits.Json[0]!["edited"], Is.Not.Null);
        Assert.That(edits.Json[0]!["seqno"]!.GetValue<long>(), Is.EqualTo(start + 2));

        Assert.That((await SignedAsync(alice, "DELETE", $"/room/quiet/message/{id}")).Status, Is.EqualTo(200));
        Reply after = await SendAsync("GET", $"/room/quiet/messages/since/{start + 2}");
        Assert.That(after.Json[0]!["deleted"]!.GetValue<bool>(), Is.True);
        Assert.That(after.Json[0]!["data"], Is.Null);
        Assert.That((await SendAsync("GET", $"/room/quiet/message/{id}")).Status, Is.EqualTo(404));
        Assert.That((await SendAsync("GET", "/room/quiet/messages/recent")).Json.AsArray().Any(m => m!["id"]!.GetValue<long>() == id), Is.False);
        Assert.That((await SendAsync("GET", "/room/nowhere")).Status, Is.EqualTo(404));
    }

    [Test]
    public async Task Permissions_size_and_rate_limits_are_enforced()
    {
        using Identity carol = Identity.Generate(), dave = Identity.Generate();
        string carolId = carol.Blinded15(_serverPk).Id.ToString();
        _net.Community.Store.SetPermission("lobby", carolId, read: true, write: false);
        Assert.That((await SignedAsync(carol, "POST", "/room/lobby/message", PostBody(carol, "no"))).Status, Is.EqualTo(403));
        _net.Community.Store.SetPermission("lobby", carolId, read: false, write: null);
        Assert.That((await SignedAsync(carol, "GET", "/room/lobby/messages/recent")).Status, Is.EqualTo(403));

        string huge = Convert.ToBase64String(new byte[CommunityApi.MaxPostBytes + 1]);
        string sig = Convert.ToBase64String(new byte[64]);
        Reply tooBig = await SignedAsync(dave, "POST", "/room/lobby/message", Json($$"""{"data":"{{huge}}","signature":"{{sig}}"}"""));
        Assert.That(tooBig.Status, Is.EqualTo(413));

        var statuses = new List<int>();
        for (int i = 0; i <= CommunityApi.RateLimitPosts; i++)
            statuses.Add((await SignedAsync(dave, "POST", "/room/lobby/message", PostBody(dave, "m" + i))).Status);
        Assert.That(statuses, Is.EqualTo(Enumerable.Repeat(201, CommunityApi.RateLimitPosts).Append(429)));
    }

    [Test]
    public async Task Blinded_dms_go_to_known_users_only_and_since_answers_304_when_empty()
    {
        using Identity erin = Identity.Generate(), frank = Identity.Generate();
        string frankId = frank.Blinded15(_serverPk).Id.ToString();
        byte[] dm = Json($$"""{"message":"{{Convert.ToBase64String(new byte[80])}}"}""");
        Assert.That((await SignedAsync(erin, "POST", $"/inbox/{frankId}", dm)).Status, Is.EqualTo(404), "frank never used this server");
        Assert.That((await SignedAsync(frank, "GET", "/inbox")).Status, Is.EqualTo(200));
        Reply sent = await SignedAsync(erin, "POST", $"/inbox/{frankId}", dm);
        Assert.That(sent.Status, Is.EqualTo(201));
        Reply inbox = await SignedAsync(frank, "GET", "/inbox");
        Assert.That(inbox.Json.AsArray(), Has.Count.EqualTo(1));
        Assert.That(inbox.Json[0]!["sender"]!.GetValue<string>(), Is.EqualTo(erin.Blinded15(_serverPk).Id.ToString()));
        long id = inbox.Json[0]!["id"]!.GetValue<long>();
        Assert.That((await SignedAsync(frank, "GET", $"/inbox/since/{id}")).Status, Is.EqualTo(304));
        Assert.That((await SignedAsync(erin, "GET", "/outbox")).Json.AsArray(), Has.Count.EqualTo(1));
        Assert.That((await SignedAsync(erin, "POST", $"/inbox/{frankId}", Json("{}"))).Status, Is.EqualTo(400));
    }
}
