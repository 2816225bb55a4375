using System.Text;
using Microsoft.Data.Sqlite;
using NUnit.Framework;
using SessionInterop.Client;
using SessionInterop.State;

namespace SessionInterop.LocalNet.Tests.Client;

/// <summary>
/// The real client over real onion paths on an in-process LocalNet: delivery exactly once, the
/// bytes the official apps would store, restarts, and the faults of issue 5.
/// </summary>
[NonParallelizable]
public sealed class ClientOverLocalNetTests
{
    private LocalNetwork _net = null!;
    private readonly List<string> _dirs = [];

    [OneTimeSetUp]
    // Replication between swarm members is on (LocalNet's default delay + jitter), and relays give up
    // after 3 s instead of 30 s so crashed-node tests stay short; the client waits 8 s per request.
    public async Task StartNetwork() => _net = await LocalNetwork.StartAsync(new LocalNetOptions { Nodes = 12, SwarmSize = 3, RelayTimeout = TimeSpan.FromSeconds(3) });

    [OneTimeTearDown]
    public async Task StopNetwork() => await _net.DisposeAsync();

    [TearDown]
    public void Cleanup()
    {
        _net.Faults.Reset();
        SqliteConnection.ClearAllPools();
        foreach (string d in _dirs) Directory.Delete(d, recursive: true);
        _dirs.Clear();
    }

    private SessionClient NewClient(string? dir = null)
    {
        if (dir is null)
        {
            dir = Directory.CreateTempSubdirectory("session-e2e-").FullName;
            _dirs.Add(dir);
        }
        return SessionClient.Open(new SessionClientOptions
        {
            DataDirectory = dir,
            SeedUrls = [_net.SeedUrl.ToString()],
            AcceptSelfSignedCertificates = true,
            MinPollInterval = TimeSpan.FromMilliseconds(100),
            MaxPollInterval = TimeSpan.FromMilliseconds(400),
            DisplayName = "e2e",
            RequestTimeout = TimeSpan.FromSeconds(8),
        });
    }

    private static List<SessionEvent> DrainUntil(SessionClient client, Func<List<SessionEvent>, bool> done, List<SessionEvent>? into = null, int seconds = 60)
    {
        var seen = into ?? [];
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done(seen))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out: {seen.Count(e => e.Type == EventType.Message)} messages, {seen.Count(e => e.Type == EventType.RequestDone)} completions");
            client.Wait(TimeSpan.FromMilliseconds(250));
            seen.AddRange(client.Poll(256));
        }
        return seen;
    }

    private static string Text(SessionEvent e) => Encoding.UTF8.GetString(e.Text);

    private static int Count(List<SessionEvent> events, EventType type) => events.Count(e => e.Type == type);

    [Test]
    public void Two_identities_exchange_200_messages_each_way_exactly_once_over_onion_paths()
    {
        using SessionClient alice = NewClient(), bob = NewClient();
        alice.Start();
        bob.Start();
        const int n = 200;
        string Body(string who, int i) => i switch
        {
            0 => "",
            1 => new string('m', SessionClient.MaxTextBytes),
            _ => $"{who} #{i} — ünïcödé 🙂",
        };
        var aliceRequests = Enumerable.Range(0, n).Select(i => alice.Send(bob.SessionId, Body("alice", i))).ToList();
        var bobRequests = Enumerable.Range(0, n).Select(i => bob.Send(alice.SessionId, Body("bob", i))).ToList();

        var atBob = new List<SessionEvent>();
        var atAlice = new List<SessionEvent>();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (Count(atBob, EventType.Message) < n || Count(atAlice, EventType.Message) < n
               || Count(atBob, EventType.RequestDone) < n || Count(atAlice, EventType.RequestDone) < n)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out: bob {Count(atBob, EventType.Message)}, alice {Count(atAlice, EventType.Message)}");
            atBob.AddRange(bob.Poll(256));
            atAlice.AddRange(alice.Poll(256));
            Thread.Sleep(50);
        }
        Thread.Sleep(1500); // anything late would be a duplicate
        atBob.AddRange(bob.Poll(256));
        atAlice.AddRange(alice.Poll(256));

        Assert.That(atBob.Where(e => e.Type == EventType.Message).Select(Text), Is.EquivalentTo(Enumerable.Range(0, n).Select(i => Body("alice", i))));
        Assert.That(atAlice.Where(e => e.Type == EventType.Message).Select(Text), Is.EquivalentTo(Enumerable.Range(0, n).Select(i => Body("bob", i))));
        Assert.That(atBob.Where(e => e.Type == EventType.Message).Select(e => e.Sender), Is.All.EqualTo(alice.SessionId));
        Assert.That(atBob.Where(e => e.Type == EventType.Message).Select(e => e.TimestampMs), Is.Unique);
        Assert.That(atAlice.Where(e => e.Type == EventType.RequestDone).Select(e => e.RequestId), Is.EquivalentTo(aliceRequests));
        Assert.That(atBob.Where(e => e.Type == EventType.RequestDone).Select(e => e.RequestId), Is.EquivalentTo(bobRequests));
        Assert.That(atAlice.Where(e => e.Type == EventType.RequestDone).Select(e => e.Status), Is.All.EqualTo(SessionStatus.Ok));
        Assert.That(atAlice.Where(e => e.Type == EventType.Connection).Select(e => e.Value), Does.Contain(2L), "a CONNECTED event was seen");
    }

    [Test]
    public void A_client_reopened_mid_stream_loses_and_repeats_nothing()
    {
        string bobDir = Directory.CreateTempSubdirectory("session-e2e-").FullName;
        _dirs.Add(bobDir);
        using SessionClient alice = NewClient();
        alice.Start();
        var received = new List<SessionEvent>();
        string bobId;
        using (SessionClient bob = NewClient(bobDir))
        {
            bobId = bob.SessionId;
            bob.Start();
            for (int i = 0; i < 20; i++) alice.Send(bobId, $"first half {i}");
            DrainUntil(bob, _ => Count(received, EventType.Message) >= 5, received);
        }
        for (int i = 0; i < 20; i++) alice.Send(bobId, $"second half {i}");
        using (SessionClient bob = NewClient(bobDir))
        {
            bob.Start();
            DrainUntil(bob, _ => Count(received, EventType.Message) >= 40, received);
            Thread.Sleep(1500);
            received.AddRange(bob.Poll(256));
        }
        var texts = received.Where(e => e.Type == EventType.Message).Select(Text).ToList();
        Assert.That(texts, Has.Count.EqualTo(40));
        Assert.That(texts, Is.Unique);
    }

    [Test]
    public async Task The_stored_bytes_are_what_the_official_apps_store()
    {
        using SessionClient alice = NewClient();
        using Crypto.Identity bob = Crypto.Identity.Generate();
        alice.Start();
        ulong id = alice.Send(bob.SessionId.ToString(), "byte check");
        DrainUntil(alice, s => s.Any(e => e.Type == EventType.RequestDone && e.RequestId == id));
        await ReplicationDone(); // stored at one member; the retrieve below may ask another

        // Retrieve Bob's inbox directly (namespace 0) and decode it as an official client would.
        await using var raw = new Network.Client.SnodeNetwork(new Network.Client.SnodeNetworkOptions
        {
            SeedUrls = [_net.SeedUrl.ToString()],
            AcceptSelfSignedSeedCertificates = true,
        });
        var result = await raw.RetrieveAsync(bob.Ed25519SecretKey.ToArray(), bob.SessionId.ToString(), 0, null, CancellationToken.None);
        var stored = result.Messages.Single();
        var ws = Protocol.Protos.WebSocketMessage.Parser.ParseFrom(Convert.FromBase64String(stored.Data));
        Assert.That(ws.Type, Is.EqualTo(Protocol.Protos.WebSocketMessage.Types.Type.Request));
        var envelope = Protocol.Protos.Envelope.Parser.ParseFrom(ws.Request.Body);
        Assert.That(envelope.Type, Is.EqualTo(Protocol.Protos.Envelope.Types.Type.SessionMessage));
        Assert.That(stored.ExpirationMs - stored.TimestampMs, Is.EqualTo(SessionClient.MessageTtlMs).Within(60_000), "14-day TTL");
        var decoded = Protocol.MessageCodec.Decode(bob, stored.Data);
        Assert.That(decoded.Content.DataMessage.Body, Is.EqualTo("byte check"));
        Assert.That(decoded.Content.DataMessage.Profile.DisplayName, Is.EqualTo("e2e"));
        Assert.That((long)envelope.Timestamp, Is.EqualTo(decoded.TimestampMs));
    }

    private ServiceNodeInfo[] SwarmMembers(string sessionId) => _net.Nodes.Where(n => n.SwarmId == _net.SwarmOf(sessionId)).ToArray();

    /// <summary>An unsigned store to namespace 0 straight at one member (as a sender's exit would).</summary>
    private static async Task<string> StoreAt(HttpClient http, ServiceNodeInfo node, string recipient, byte[] data)
    {
        var request = new System.Text.Json.Nodes.JsonObject
        {
            ["method"] = "store",
            ["params"] = new System.Text.Json.Nodes.JsonObject
            {
                ["pubkey"] = recipient,
                ["namespace"] = 0,
                ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                ["ttl"] = 3_600_000,
                ["data"] = Convert.ToBase64String(data),
            },
        };
        using var content = new StringContent(request.ToJsonString());
        using HttpResponseMessage response = await http.PostAsync(new Uri(node.BaseUrl, "/storage_rpc/v1"), content);
        string body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return System.Text.Json.Nodes.JsonNode.Parse(body)!["hash"]!.GetValue<string>();
    }

    private async Task ReplicationDone()
    {
        for (int i = 0; i < 400 && _net.Faults.PendingReplications > 0; i++) await Task.Delay(25);
        Assert.That(_net.Faults.PendingReplications, Is.Zero);
    }

    // LocalNet's page rule when the client sends neither max_count nor max_size: 7.8 MB / 5,
    // counting 100 + hash + data·4/3 per message (SS database.cpp retrieve).
    private const long PageBytes = 7_800_000 / 5;
    private static long PageCost(int rawBytes) => 100 + 43 + rawBytes * 4L / 3;

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public async Task Two_messages_stored_at_once_at_two_members_with_a_page_ending_between_them_arrive_exactly_once(int round)
    {
        // Each round is a fresh recipient; a client with one last_hash for all members loses a
        // message in about half of the rounds (whenever its second page comes from another member).
        using SessionClient bob = NewClient();
        using Crypto.Identity alice = Crypto.Identity.Generate();
        var bobId = Crypto.SessionId.Parse(bob.SessionId);
        ServiceNodeInfo[] members = SwarmMembers(bob.SessionId);
        using HttpClient http = _net.CreateHttpClient();
        byte[] Message(string text, long ts) => Convert.FromBase64String(
            Protocol.MessageCodec.EncodeForRecipient(alice, bobId, TextContent.Build(text, "alice"), ts));
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        byte[] m1 = Message($"m1 of round {round}, stored at A", now), m2 = Message($"m2 of round {round}, stored at B", now + 1);

        // Fillers (undecodable, dropped by the client) sized so a page holds them plus exactly one of m1/m2.
        long fill = PageBytes - Math.Max(PageCost(m1.Length), PageCost(m2.Length));
        var fillers = new List<int>();
        for (long left = fill; left >= PageCost(3);)
        {
            int raw = (int)Math.Min(76_800, (left - PageCost(0)) * 3 / 4);
            fillers.Add(raw);
            left -= PageCost(raw);
        }
        foreach (int raw in fillers)
            await StoreAt(http, members[0], bob.SessionId, System.Security.Cryptography.RandomNumberGenerator.GetBytes(raw));
        await ReplicationDone();

        // The same moment at two members; each copy reaches the other member a second later. Then a
        // third message lands after both everywhere: a client that skipped one never goes back for it.
        _net.Faults.SetReplication(TimeSpan.FromSeconds(1), TimeSpan.Zero);
        await Task.WhenAll(StoreAt(http, members[0], bob.SessionId, m1), StoreAt(http, members[1], bob.SessionId, m2));
        await ReplicationDone();
        await StoreAt(http, members[2], bob.SessionId, Message($"m3 of round {round}", now + 2));
        await ReplicationDone();

        bob.Start();
        var received = DrainUntil(bob, s => s.Count(e => e.Type == EventType.Message) >= 3, seconds: 30);
        Thread.Sleep(2000); // more polls at other members, from their start: anything repeated would show now
        received.AddRange(bob.Poll(256));
        Assert.That(received.Where(e => e.Type == EventType.Message).Select(Text), Is.EquivalentTo(new[]
        {
            $"m1 of round {round}, stored at A", $"m2 of round {round}, stored at B", $"m3 of round {round}",
        }));
    }

    [Test]
    public void Messages_arrive_exactly_once_when_part_of_the_recipients_swarm_has_crashed_but_is_still_listed()
    {
        using SessionClient alice = NewClient(), bob = NewClient();
        alice.Start();
        bob.Start();
        alice.Send(bob.SessionId, "warm-up");
        DrainUntil(bob, s => s.Any(e => e.Type == EventType.Message));

        ServiceNodeInfo[] members = SwarmMembers(bob.SessionId);
        _net.Faults.CrashNode(members[0].Index);
        _net.Faults.CrashNode(members[1].Index);
        for (int i = 0; i < 10; i++) alice.Send(bob.SessionId, $"crashed {i}");
        var atBob = DrainUntil(bob, s => s.Count(e => e.Type == EventType.Message && Text(e).StartsWith("crashed", StringComparison.Ordinal)) >= 10, seconds: 150);
        Thread.Sleep(1500);
        atBob.AddRange(bob.Poll(256));
        Assert.That(atBob.Where(e => e.Type == EventType.Message).Select(Text).Where(t => t.StartsWith("crashed", StringComparison.Ordinal)),
            Is.EquivalentTo(Enumerable.Range(0, 10).Select(i => $"crashed {i}")));
    }

    /// <summary>
    /// Stops the guard nodes both clients' paths use right now, keeping at least one member of
    /// every swarm alive (a whole swarm down is an outage, not a guard failure).
    /// </summary>
    private void StopGuardsInUse(params SessionClient[] clients)
    {
        var guards = clients
            .SelectMany(c => ((OnionSwarmNetwork)c.Network!).Inner.GuardsInUse())
            .Select(g => g.Ed25519Hex).Distinct().ToList();
        Assert.That(guards, Is.Not.Empty, "the clients have paths after the warm-up");
        var stopped = new List<ServiceNodeInfo>();
        foreach (ServiceNodeInfo node in _net.Nodes.Where(n => guards.Contains(n.Ed25519, StringComparer.OrdinalIgnoreCase)))
        {
            int aliveInSwarm = _net.Nodes.Count(n => n.SwarmId == node.SwarmId && !stopped.Contains(n));
            if (aliveInSwarm <= 1) continue;
            _net.Faults.StopNode(node.Index);
            stopped.Add(node);
        }
        Assert.That(stopped, Is.Not.Empty);
    }

    [TestCase("guard stopped")]
    [TestCase("account moved")]
    [TestCase("clock skew")]
    [TestCase("drops")]
    public void Messages_still_arrive_with_a_fault_injected(string fault)
    {
        using SessionClient alice = NewClient(), bob = NewClient();
        alice.Start();
        bob.Start();
        alice.Send(bob.SessionId, "warm-up");
        DrainUntil(bob, s => s.Any(e => e.Type == EventType.Message));

        switch (fault)
        {
            case "guard stopped":
                StopGuardsInUse(alice, bob);
                break;
            case "account moved":
                ulong current = _net.SwarmOf(bob.SessionId);
                _net.Faults.MoveAccount(bob.SessionId, _net.SwarmIds.First(s => s != current));
                break;
            case "clock skew":
                foreach (var node in _net.Nodes) _net.Faults.SkewClock(node.Index, TimeSpan.FromSeconds(30));
                break;
            case "drops":
                _net.Faults.DropRequests(4, 0.2);
                _net.Faults.DropRequests(5, 0.2);
                break;
        }
        for (int i = 0; i < 10; i++) alice.Send(bob.SessionId, $"{fault} {i}");
        var atBob = DrainUntil(bob, s => s.Count(e => e.Type == EventType.Message && Text(e).StartsWith(fault, StringComparison.Ordinal)) >= 10, seconds: 120);
        Assert.That(atBob.Where(e => e.Type == EventType.Message).Select(Text).Where(t => t.StartsWith(fault, StringComparison.Ordinal)), Is.Unique);
    }
}
