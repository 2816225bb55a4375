using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using SessionInterop.Client;
using SessionInterop.Crypto;
using SessionInterop.LocalNet.Community;
using SessionInterop.State;

namespace SessionInterop.LocalNet.Tests.Community;

/// <summary>
/// Room files (SOGS file endpoints): the server's upload/serve rules as pysogs has them, and a
/// picture posted to a room by one client downloaded byte-identical by another, through onion v4.
/// </summary>
[NonParallelizable]
public sealed class RoomFileTests
{
    private LocalNetwork _net = null!;
    private HttpClient _http = null!;
    private byte[] _serverPk = null!;
    private readonly List<string> _dirs = [];

    [OneTimeSetUp]
    public async Task Start()
    {
        _net = await LocalNetwork.StartAsync(new LocalNetOptions { Nodes = 6, SwarmSize = 2, CommunityRooms = ["lobby", "pics", "bare"] });
        _http = new HttpClient { BaseAddress = _net.CommunityBaseUrl };
        _serverPk = Convert.FromHexString(_net.CommunityPublicKeyHex);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _net.DisposeAsync();
    }

    [TearDown]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        foreach (string d in _dirs) Directory.Delete(d, recursive: true);
        _dirs.Clear();
    }

    private async Task<HttpResponseMessage> SignedAsync(Identity? who, string method, string path, byte[]? body = null, string? disposition = null)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new ByteArrayContent(body);
        if (disposition is not null) request.Content!.Headers.TryAddWithoutValidation("Content-Disposition", disposition);
        if (who is not null)
            foreach (var (k, v) in CommunityAuth.Sign(who, _serverPk, method, path, body ?? [], DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AsHeaders())
                request.Headers.TryAddWithoutValidation(k, v);
        return await _http.SendAsync(request);
    }

    private static async Task<long> IdOf(HttpResponseMessage reply) => JsonNode.Parse(await reply.Content.ReadAsStringAsync())!["id"]!.GetValue<long>();

    [Test]
    public async Task An_upload_is_served_back_with_its_name_date_and_expiry_as_pysogs_serves_it()
    {
        using Identity alice = Identity.Generate();
        byte[] bytes = RandomBytes(3000);
        using HttpResponseMessage up = await SignedAsync(alice, "POST", "/room/lobby/file", bytes, "attachment; filename*=UTF-8''my%20%F0%9F%8E%82.txt");
        Assert.That(up.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        long id = await IdOf(up);

        using HttpResponseMessage got = await SignedAsync(alice, "GET", $"/room/lobby/file/{id}");
        Assert.That(got.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await got.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes));
        Assert.That(got.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/octet-stream"));
        Assert.That(string.Join("", got.Content.Headers.GetValues("Content-Disposition")), Is.EqualTo("attachment; filename*=UTF-8''my%20%F0%9F%8E%82.txt"));
        DateTimeOffset date = got.Headers.Date!.Value, expires = got.Content.Headers.Expires!.Value;
        Assert.That((expires - date).TotalSeconds, Is.EqualTo(3600).Within(2), "an upload not yet in a post lives 1 hour");

        // The alias with a file name appended serves the same file; a non-numeric id is no route.
        using HttpResponseMessage alias = await SignedAsync(alice, "GET", $"/room/lobby/file/{id}/anything.txt");
        Assert.That(await alias.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes));
        Assert.That((await SignedAsync(alice, "GET", "/room/lobby/file/abc")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await SignedAsync(alice, "GET", $"/room/pics/file/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "files belong to their room");

        // Without a name: a bare "attachment".
        using HttpResponseMessage bare = await SignedAsync(alice, "POST", "/room/lobby/file", bytes);
        using HttpResponseMessage bareGot = await SignedAsync(alice, "GET", $"/room/lobby/file/{await IdOf(bare)}");
        Assert.That(string.Join("", bareGot.Content.Headers.GetValues("Content-Disposition")), Is.EqualTo("attachment"));
    }

    [Test]
    public async Task A_file_named_in_a_post_is_kept_15_days()
    {
        using Identity alice = Identity.Generate();
        using HttpResponseMessage up = await SignedAsync(alice, "POST", "/room/lobby/file", RandomBytes(100));
        long id = await IdOf(up);
        var post = Protocol.CommunityMessages.EncodePost(alice, _serverPk, Protocol.Messages.Text("see file", null), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        byte[] body = Encoding.UTF8.GetBytes($$"""{"data":"{{post.Data}}","signature":"{{post.Signature}}","files":[{{id}}]}""");
        Assert.That((await SignedAsync(alice, "POST", "/room/lobby/message", body)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        using HttpResponseMessage got = await SignedAsync(alice, "GET", $"/room/lobby/file/{id}");
        Assert.That((got.Content.Headers.Expires!.Value - got.Headers.Date!.Value).TotalDays, Is.EqualTo(15).Within(0.01));
    }

    [Test]
    public async Task Uploads_need_a_user_with_write_permission_and_a_body_within_the_limit()
    {
        using Identity carol = Identity.Generate(), dave = Identity.Generate();
        Assert.That((await SignedAsync(null, "POST", "/room/lobby/file", [1, 2, 3])).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        _net.Community.Store.SetPermission("lobby", carol.Blinded15(_serverPk).Id.ToString(), read: true, write: false);
        Assert.That((await SignedAsync(carol, "POST", "/room/lobby/file", [1, 2, 3])).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await SignedAsync(dave, "POST", "/room/lobby/file", [])).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await SignedAsync(dave, "POST", "/room/lobby/file", new byte[CommunityApi.MaxFileBytes + 1])).StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That((await SignedAsync(dave, "GET", "/room/lobby/file/999999")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    // ------------------------------------------------------------------ clients

    private SessionClient NewClient()
    {
        string dir = Directory.CreateTempSubdirectory("session-roomfile-").FullName;
        _dirs.Add(dir);
        return SessionClient.Open(new SessionClientOptions
        {
            DataDirectory = dir,
            SeedUrls = [_net.SeedUrl.ToString()],
            AcceptSelfSignedCertificates = true,
            MinPollInterval = TimeSpan.FromMilliseconds(100),
            MaxPollInterval = TimeSpan.FromMilliseconds(400),
        });
    }

    private static List<SessionEvent> DrainUntil(SessionClient client, Func<List<SessionEvent>, bool> done, List<SessionEvent>? into = null, int seconds = 60)
    {
        var seen = into ?? [];
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done(seen))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out with {seen.Count} events: {string.Join(", ", seen.Select(e => $"{e.Type}/{e.ErrorCode}"))}");
            client.Wait(TimeSpan.FromMilliseconds(200));
            seen.AddRange(client.Poll(256));
        }
        return seen;
    }

    private static SessionEvent Done(List<SessionEvent> events, ulong request) => events.Single(e => e.Type == EventType.RequestDone && e.RequestId == request);

    [Test]
    public void A_picture_posted_to_a_room_is_downloaded_byte_identical_by_another_member()
    {
        using SessionClient alice = NewClient(), bob = NewClient();
        string room = alice.JoinCommunity(_net.CommunityUrl("pics"));
        bob.JoinCommunity(room);
        alice.Start();
        bob.Start();

        byte[] png = TestPng(40, 30, 20_000);
        ulong sent = alice.Send(room, "look", [AttachmentSource.FromBytes(png, "cat.png"), AttachmentSource.FromBytes(RandomBytes(777), "notes.bin")]);
        var aliceEvents = DrainUntil(alice, ev => ev.Any(e => e.Type == EventType.RequestDone && e.RequestId == sent));
        Assert.That(Done(aliceEvents, sent).Status, Is.EqualTo(SessionStatus.Ok), Done(aliceEvents, sent).ErrorCode);

        var bobEvents = DrainUntil(bob, ev => ev.Any(e => e.Type == EventType.Message));
        SessionEvent message = bobEvents.Single(e => e.Type == EventType.Message);
        Assert.That(Encoding.UTF8.GetString(message.Text), Is.EqualTo("look"));
        Assert.That(message.MessageId, Is.EqualTo(Done(aliceEvents, sent).MessageId));
        Attachment picture = message.Attachments[0];
        Assert.That((picture.ContentType, picture.Size, picture.FileName, picture.Width, picture.Height), Is.EqualTo(("image/png", (long)png.Length, "cat.png", 40, 30)));
        Assert.That(picture.Url, Does.StartWith(_net.CommunityBaseUrl.ToString().TrimEnd('/') + "/room/pics/file/"));
        Assert.That(picture.Key.Length + picture.Digest.Length, Is.Zero, "room files are not encrypted: no key, no digest (as desktop)");
        Assert.That(message.Attachments, Has.Count.EqualTo(2));

        // Kept past the one-hour upload lifetime because the post named it.
        Assert.That(_net.Community.Store.File("pics", long.Parse(picture.Id), 0)!.Value.Expires - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Is.GreaterThan(14 * 86400));

        string dest = Path.Combine(_dirs[1], "cat.png");
        ulong download = bob.Download(picture, dest);
        DrainUntil(bob, ev => ev.Any(e => e.Type == EventType.RequestDone && e.RequestId == download), bobEvents);
        Assert.That(Done(bobEvents, download).Status, Is.EqualTo(SessionStatus.Ok), Done(bobEvents, download).ErrorCode);
        Assert.That(File.ReadAllBytes(dest), Is.EqualTo(png));
        Assert.That(Directory.GetFiles(_dirs[1], "cat.png.*.part"), Is.Empty);
    }

    [Test]
    public void A_room_file_that_is_gone_or_in_a_room_not_joined_gives_a_clear_error()
    {
        using SessionClient alice = NewClient(), bob = NewClient();
        string room = alice.JoinCommunity(_net.CommunityUrl("bare"));
        bob.JoinCommunity(room);
        alice.Start();
        bob.Start();
        ulong sent = alice.Send(room, "", [AttachmentSource.FromBytes(RandomBytes(500), "a.bin")]);
        var bobEvents = DrainUntil(bob, ev => ev.Any(e => e.Type == EventType.Message));
        SessionEvent message = bobEvents.Single(e => e.Type == EventType.Message);
        Assert.That(message.Text, Is.Empty, "a post of attachments only is a MESSAGE with empty text");
        Attachment file = message.Attachments.Single();

        // Expire it on the server: the download completes with attachment.expired and leaves nothing.
        _net.Community.Store.ExpireFile("bare", long.Parse(file.Id), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        string dest = Path.Combine(_dirs[1], "a.bin");
        ulong download = bob.Download(file, dest);
        DrainUntil(bob, ev => ev.Any(e => e.Type == EventType.RequestDone && e.RequestId == download), bobEvents);
        Assert.That((Done(bobEvents, download).Status, Done(bobEvents, download).ErrorCode), Is.EqualTo((SessionStatus.ENotFound, "attachment.expired")));
        Assert.That(File.Exists(dest), Is.False);

        // Not a member of the room: refused on the caller's thread.
        using SessionClient carol = NewClient();
        var error = Assert.Throws<SessionException>(() => carol.Download(file, Path.Combine(_dirs[2], "x")))!;
        Assert.That(error.Code, Is.EqualTo("community.not_joined"));
        Assert.That(sent, Is.Not.Zero);

        // A member who may not write: the upload is refused (403) and the request completes with that, its spooled copy gone.
        carol.JoinCommunity(room);
        _net.Community.Store.SetPermission("bare", carol.BlindedIdFor(room), read: true, write: false);
        carol.Start();
        ulong refused = carol.Send(room, "", [AttachmentSource.FromBytes(RandomBytes(100), "b.bin")]);
        var carolEvents = DrainUntil(carol, ev => ev.Any(e => e.Type == EventType.RequestDone && e.RequestId == refused));
        Assert.That(Done(carolEvents, refused).ErrorCode, Is.EqualTo("community.forbidden"));
        Assert.That(Directory.GetFiles(Path.Combine(_dirs[2], "spool")), Is.Empty);
    }

    private static byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        Random.Shared.NextBytes(b);
        return b;
    }

    /// <summary>A PNG signature and IHDR (what MediaInfo reads) followed by filler: enough to be typed and sized as a picture.</summary>
    private static byte[] TestPng(int width, int height, int total)
    {
        byte[] png = RandomBytes(total);
        byte[] head = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];
        head.CopyTo(png, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        return png;
    }
}
