using System.Text;
using Microsoft.Data.Sqlite;
using SessionInterop.Client;
using SessionInterop.Crypto;
using SessionInterop.State;

namespace SessionInterop.LocalNet.Tests.Community;

/// <summary>
/// Real clients in a LocalNet community, every request through onion v4: a room conversation,
/// edits and deletions, a blinded DM round trip, and a restart that keeps room and cursor.
/// </summary>
[NonParallelizable]
public sealed class CommunityClientTests
{
    private LocalNetwork _net = null!;
    private readonly List<string> _dirs = [];

    [OneTimeSetUp]
    public async Task StartNetwork() => _net = await LocalNetwork.StartAsync(new LocalNetOptions { Nodes = 6, SwarmSize = 2, CommunityRooms = ["lobby", "games"] });

    [OneTimeTearDown]
    public async Task StopNetwork() => await _net.DisposeAsync();

    [TearDown]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        foreach (string d in _dirs) Directory.Delete(d, recursive: true);
        _dirs.Clear();
    }

    private SessionClient NewClient(string? dir = null, byte[]? seed = null)
    {
        if (dir is null)
        {
            dir = Directory.CreateTempSubdirectory("session-community-").FullName;
            _dirs.Add(dir);
        }
        return SessionClient.Open(new SessionClientOptions
        {
            DataDirectory = dir,
            Seed = seed,
            SeedUrls = [_net.SeedUrl.ToString()],
            AcceptSelfSignedCertificates = true,
            MinPollInterval = TimeSpan.FromMilliseconds(100),
            MaxPollInterval = TimeSpan.FromMilliseconds(400),
        });
    }

    private static List<SessionEvent> DrainUntil(SessionClient client, Func<List<SessionEvent>, bool> done, List<SessionEvent>? into = null, int seconds = 30)
    {
        var seen = into ?? [];
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done(seen))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out with {seen.Count} events: {string.Join(", ", seen.Select(e => e.Type))}");
            client.Wait(TimeSpan.FromMilliseconds(200));
            seen.AddRange(client.Poll(256));
        }
        return seen;
    }

    private static string Text(SessionEvent e) => Encoding.UTF8.GetString(e.Text);

    private static IEnumerable<SessionEvent> Messages(List<SessionEvent> events) => events.Where(e => e.Type == EventType.Message);

    [Test]
    public void Two_identities_chat_in_a_room_and_see_an_edit_and_a_deletion()
    {
        byte[] aliceSeed = new byte[32];
        Random.Shared.NextBytes(aliceSeed);
        using SessionClient alice = NewClient(seed: aliceSeed), bob = NewClient();
        string url = _net.CommunityUrl("games");
        string room = alice.JoinCommunity(url);
        Assert.That(room, Is.EqualTo(url), "the canonical id of a canonical URL is itself");
        Assert.That(bob.JoinCommunity(url.Replace("games?", "games/?", StringComparison.Ordinal)), Is.EqualTo(room));
        alice.Start();
        bob.Start();

        ulong r1 = alice.Send(room, "hello from alice");
        var bobEvents = DrainUntil(bob, ev => Messages(ev).Any());
        SessionEvent got = Messages(bobEvents).Single();
        Assert.That((got.Conversation, Text(got)), Is.EqualTo((room, "hello from alice")));
        Assert.That(got.Sender, Is.EqualTo(alice.BlindedIdFor(room)));
        Assert.That(got.Sender, Does.StartWith("15"));

        bob.Send(room, "hi alice");
        var aliceEvents = DrainUntil(alice, ev => Messages(ev).Any() && ev.Any(e => e.Type == EventType.RequestDone && e.RequestId == r1));
        Assert.That(Messages(aliceEvents).Select(Text), Is.EqualTo(new[] { "hi alice" }), "no echo of our own post");
        string postId = aliceEvents.Single(e => e.Type == EventType.RequestDone && e.RequestId == r1).MessageId;
        Assert.That(postId, Is.EqualTo(got.MessageId));

        // Alice edits and deletes her post with her own key over plain HTTP (the client API has no edit yet).
        using Identity aliceKey = Identity.FromSeed(aliceSeed);
        byte[] serverPk = Convert.FromHexString(_net.CommunityPublicKeyHex);
        var post = Protocol.CommunityMessages.EncodePost(aliceKey, serverPk, Protocol.Messages.Text("edited by alice", null), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.That(Direct(aliceKey, "PUT", $"/room/games/message/{postId}", $$"""{"data":"{{post.Data}}","signature":"{{post.Signature}}"}"""), Is.EqualTo(200));
        DrainUntil(bob, ev => ev.Any(e => e.Type == EventType.MessageEdited), bobEvents);
        SessionEvent edit = bobEvents.Single(e => e.Type == EventType.MessageEdited);
        Assert.That((edit.MessageId, Text(edit)), Is.EqualTo((postId, "edited by alice")));
        Assert.That(Direct(aliceKey, "DELETE", $"/room/games/message/{postId}", null), Is.EqualTo(200));
        DrainUntil(bob, ev => ev.Any(e => e.Type == EventType.MessageDeleted), bobEvents);
        Assert.That(bobEvents.Single(e => e.Type == EventType.MessageDeleted).MessageId, Is.EqualTo(postId));
        Assert.That(Messages(bobEvents).Count(), Is.EqualTo(1));
    }

    private int Direct(Identity who, string method, string path, string? body)
    {
        using var http = new HttpClient { BaseAddress = _net.CommunityBaseUrl };
        byte[] bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new ByteArrayContent(bytes);
        foreach (var (k, v) in CommunityAuth.Sign(who, Convert.FromHexString(_net.CommunityPublicKeyHex), method, path, bytes,
                     DateTimeOffset.UtcNow.ToUnixTimeSeconds()).AsHeaders())
            request.Headers.TryAddWithoutValidation(k, v);
        return (int)http.Send(request).StatusCode;
    }

    [Test]
    public void A_post_to_a_community_whose_key_does_not_match_completes_with_community_wrong_key_instead_of_retrying()
    {
        using SessionClient alice = NewClient();
        using Crypto.Identity stranger = Crypto.Identity.Generate();
        string wrongKey = Convert.ToHexStringLower(stranger.X25519PublicKey.ToArray());
        string room = alice.JoinCommunity($"{_net.CommunityBaseUrl}lobby?public_key={wrongKey}");
        alice.Start();
        ulong sent = alice.Send(room, "nobody can read this");
        SessionEvent done = DrainUntil(alice, ev => ev.Any(e => e.Type == EventType.RequestDone && e.RequestId == sent), seconds: 60)
            .Single(e => e.Type == EventType.RequestDone && e.RequestId == sent);
        Assert.That(done.Status, Is.EqualTo(SessionStatus.ERemote));
        Assert.That(done.ErrorCode, Is.EqualTo("community.wrong_key"));
    }

    [Test]
    public void A_blinded_dm_round_trip_through_the_server_inbox()
    {
        using SessionClient alice = NewClient(), bob = NewClient();
        string room = alice.JoinCommunity(_net.CommunityUrl());
        bob.JoinCommunity(room);
        alice.Start();
        bob.Start();
        bob.Send(room, "bob is here");
        SessionEvent seen = Messages(DrainUntil(alice, ev => Messages(ev).Any())).Single();

        string dmToBob = room.Replace("/lobby?", $"/inbox/{seen.Sender}?", StringComparison.Ordinal);
        ulong sent = alice.Send(dmToBob, "psst, bob");
        SessionEvent dm = Messages(DrainUntil(bob, ev => Messages(ev).Any(e => e.Conversation.Contains("/inbox/", StringComparison.Ordinal))))
            .Single(e => e.Conversation.Contains("/inbox/", StringComparison.Ordinal));
        Assert.That(Text(dm), Is.EqualTo("psst, bob"));
        Assert.That(dm.Sender, Is.EqualTo(alice.BlindedIdFor(room)));

        bob.Send(dm.Conversation, "got it");
        var aliceEvents = DrainUntil(alice, ev => Messages(ev).Any(e => Text(e) == "got it") && ev.Any(e => e.Type == EventType.RequestDone && e.RequestId == sent));
        SessionEvent reply = Messages(aliceEvents).Single(e => Text(e) == "got it");
        Assert.That(reply.Conversation, Is.EqualTo(dmToBob));
        Assert.That(aliceEvents.Single(e => e.RequestId == sent && e.Type == EventType.RequestDone).Status, Is.EqualTo(SessionStatus.Ok));
    }

    [Test]
    public async Task A_restart_keeps_the_room_and_the_cursor_so_nothing_is_delivered_twice()
    {
        string bobDir = Directory.CreateTempSubdirectory("session-community-").FullName;
        _dirs.Add(bobDir);
        using SessionClient alice = NewClient();
        string room = alice.JoinCommunity(_net.CommunityUrl());
        alice.Start();
        var seen = new List<SessionEvent>();
        await using (SessionClient bob = NewClient(bobDir))
        {
            bob.JoinCommunity(room);
            bob.Start();
            alice.Send(room, "before restart");
            DrainUntil(bob, ev => Messages(ev).Any(e => Text(e) == "before restart"), seen);
        }
        alice.Send(room, "while bob is away");
        await Task.Delay(500);
        await using (SessionClient bob = NewClient(bobDir))
        {
            Assert.That(bob.JoinedCommunities(), Is.EqualTo(new[] { room }));
            bob.Start();
            alice.Send(room, "after restart");
            DrainUntil(bob, ev => Messages(ev).Any(e => Text(e) == "after restart"), seen);
            await Task.Delay(800); // a few more polls: nothing may come again
            seen.AddRange(bob.Poll(256));
            Assert.That(bob.LeaveCommunity(room), Is.True);
            Assert.That(bob.JoinedCommunities(), Is.Empty);
            Assert.Throws<SessionException>(() => bob.Send(room, "not a member"));
        }
        var texts = Messages(seen).Where(e => e.Conversation == room).Select(Text).ToList();
        Assert.That(texts.Count(t => t == "before restart"), Is.EqualTo(1));
        Assert.That(texts, Does.Contain("while bob is away"));
        Assert.That(texts, Has.Count.EqualTo(texts.Distinct().Count()), "no message twice");
    }

    [Test]
    public void Bad_community_urls_are_refused()
    {
        using SessionClient c = NewClient();
        string key = _net.CommunityPublicKeyHex;
        foreach (string bad in new[] { "ftp://h/r?public_key=" + key, "http://h/r", "http://h/r?public_key=12", "http://h/a/b?public_key=" + key, "http://h/?public_key=" + key })
            Assert.Throws<SessionException>(() => c.JoinCommunity(bad), bad);
        Assert.That(c.JoinCommunity($"HTTP://LocalHost:80/Room_1?public_key={key.ToUpperInvariant()}"), Is.EqualTo($"http://localhost/Room_1?public_key={key}"));
    }
}
