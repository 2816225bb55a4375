using System.Text;
using Microsoft.Data.Sqlite;
using SessionInterop.Client;
using SessionInterop.Config;
using SessionInterop.Crypto;
using SessionInterop.LocalNet.Tests.Support;
using SessionInterop.Network.Client;
using SessionInterop.Protocol.Protos;
using SessionInterop.State;

namespace SessionInterop.LocalNet.Tests.Client;

/// <summary>
/// Multi-device config sync over LocalNet (issue 16): a second device restored from the same seed
/// (new data directory) picks up the profile name, contacts and rooms; changes on either side reach
/// the other; a blocked sender's messages are dropped; keys an older client wrote survive.
/// </summary>
[NonParallelizable]
public sealed class ConfigSyncTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);
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

    private SessionClient NewClient(byte[]? seed = null, string? dir = null)
    {
        if (dir is null)
        {
            dir = Directory.CreateTempSubdirectory("session-config-").FullName;
            _dirs.Add(dir);
        }
        return SessionClient.Open(new SessionClientOptions
        {
            DataDirectory = dir,
            Seed = seed,
            SeedUrls = [_net.SeedUrl.ToString()],
            AcceptSelfSignedCertificates = true,
            MinPollInterval = TimeSpan.FromMilliseconds(200),
            MaxPollInterval = TimeSpan.FromSeconds(1),
        });
    }

    private static byte[] NewSeed()
    {
        var seed = new byte[32];
        Random.Shared.NextBytes(seed);
        return seed;
    }

    /// <summary>Polls events into <paramref name="seen"/> until <paramref name="done"/> holds or the time is up.</summary>
    private static void Until(SessionClient client, Func<bool> done, List<SessionEvent> seen, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!done())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"not within {within.TotalSeconds} s: {what}");
            client.Wait(TimeSpan.FromMilliseconds(200));
            seen.AddRange(client.Poll(256));
        }
        // The events of a change are queued when it is saved, before it is visible: take them too.
        seen.AddRange(client.Poll(256));
    }

    private static string NewContactId()
    {
        using Identity someone = Identity.Generate();
        return someone.SessionId.ToString();
    }

    [Test]
    public void A_restored_device_gets_the_profile_contacts_and_rooms_and_changes_flow_both_ways()
    {
        byte[] seed = NewSeed();
        string friend = NewContactId(), other = NewContactId();
        string room = _net.CommunityUrl("games");
        var aEvents = new List<SessionEvent>();
        var bEvents = new List<SessionEvent>();

        using SessionClient a = NewClient(seed);
        a.SetDisplayName("Alice Bot");
        a.SetContact(friend, nickname: "Frankie", approved: true);
        a.SetContact(other, approved: false, blocked: true);
        a.JoinCommunity(room);
        a.Start();

        using SessionClient b = NewClient(seed);   // the same account, restored in a new data directory
        b.Start();
        Until(b, () => b.DisplayName == "Alice Bot" && b.JoinedCommunities().Contains(room)
            && b.Contacts().Any(c => c.SessionId == friend && c.Nickname == "Frankie" && c.Approved)
            && b.Contacts().Any(c => c.SessionId == other && c.Blocked), bEvents, Minute, "B shows A's name, contacts and room");
        Assert.That(bEvents.Where(e => e.Type == EventType.ConfigChanged).Select(e => (e.Value, e.Conversation)),
            Is.SupersetOf(new[] { (2L, ""), (3L, friend), (3L, other), (5L, room) }), "each change arrives as an event");

        // B changes things; A sees them.
        long readAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 1000;
        b.SetContact(friend, nickname: "Frank");
        b.MarkRead(friend, readAt);
        b.SetDisplayName("Alice (renamed on B)");
        b.LeaveCommunity(room);
        Until(a, () => a.Contacts().Any(c => c.SessionId == friend && c.Nickname == "Frank") && a.DisplayName == "Alice (renamed on B)"
            && !a.JoinedCommunities().Contains(room) && a.LastRead(friend) == readAt, aEvents, Minute, "A shows B's changes");
        Assert.That(aEvents.Any(e => e.Type == EventType.ConfigChanged && e.Value == 4 && e.Conversation == friend), Is.True, "read state");
        Assert.That(aEvents.Any(e => e.Type == EventType.ConfigChanged && e.Value == 3 && e.Conversation == friend), Is.True);
        Assert.That(aEvents.Any(e => e.Type == EventType.ConfigChanged && e.Value == 5 && e.Conversation == room), Is.True);

        // And A's changes reach B again.
        a.SetContact(friend, nickname: "Franklin");
        a.JoinCommunity(_net.CommunityUrl("lobby"));
        Until(b, () => b.Contacts().Any(c => c.SessionId == friend && c.Nickname == "Franklin")
            && b.JoinedCommunities().Contains(_net.CommunityUrl("lobby")), bEvents, Minute, "B shows A's second changes");
    }

    [Test]
    public void A_restarted_device_keeps_its_configs_and_cursors_and_announces_nothing_again()
    {
        byte[] seed = NewSeed();
        string dir = Directory.CreateTempSubdirectory("session-config-").FullName;
        _dirs.Add(dir);
        var events = new List<SessionEvent>();
        using (SessionClient a = NewClient(seed))
        {
            a.SetDisplayName("Persistent");
            a.Start();
            using SessionClient b = NewClient(seed, dir);
            b.Start();
            Until(b, () => b.DisplayName == "Persistent", events, Minute, "B gets the name");
        }
        var log = new CapturingLogs();
        using SessionClient again = SessionClient.Open(new SessionClientOptions
        {
            DataDirectory = dir,
            SeedUrls = [_net.SeedUrl.ToString()],
            AcceptSelfSignedCertificates = true,
            MinPollInterval = TimeSpan.FromMilliseconds(200),
            MaxPollInterval = TimeSpan.FromSeconds(1),
            LoggerFactory = log,
        });
        Assert.That(again.DisplayName, Is.EqualTo("Persistent"), "kept on disk, known before any network I/O");
        again.Start();
        var later = new List<SessionEvent>();
        Until(again, () => log.Count("Config sync step done") >= 4, later, Minute, "four config sync steps");
        // Cursors are per swarm member (each lists in its own order): a member this device already
        // read from is not downloaded again; one it never asked (of the swarm of 2 here) may be, once.
        Assert.That(log.Count("Config sync: merged"), Is.LessThanOrEqualTo(1), "at most the one member never read before");
        Assert.That(later.Where(e => e.Type == EventType.ConfigChanged), Is.Empty, "nothing announced twice after a restart");
        Assert.That(again.DisplayName, Is.EqualTo("Persistent"));
    }

    [Test]
    public void A_sender_blocked_on_another_device_is_dropped_here()
    {
        byte[] seed = NewSeed();
        using SessionClient a = NewClient(seed), b = NewClient(seed), blocked = NewClient(), witness = NewClient();
        var aEvents = new List<SessionEvent>();
        a.Start();
        b.Start();
        blocked.Start();
        witness.Start();
        b.SetContact(blocked.SessionId, blocked: true);
        Until(a, () => a.Contacts().Any(c => c.SessionId == blocked.SessionId && c.Blocked), aEvents, Minute, "A learns of the block");

        var sent = new List<SessionEvent>();
        ulong id = blocked.Send(a.SessionId, "you should not see this");
        Until(blocked, () => sent.Any(e => e.Type == EventType.RequestDone && e.RequestId == id), sent, Minute, "blocked sender's message stored");
        var sent2 = new List<SessionEvent>();
        ulong id2 = witness.Send(a.SessionId, "witness after");
        Until(witness, () => sent2.Any(e => e.Type == EventType.RequestDone && e.RequestId == id2), sent2, Minute, "witness stored");
        Until(a, () => aEvents.Any(e => e.Type == EventType.Message && e.Sender == witness.SessionId), aEvents, Minute, "A receives the witness");
        Assert.That(aEvents.Any(e => e.Type == EventType.Message && e.Sender == blocked.SessionId), Is.False);
    }

    [Test]
    public async Task Keys_written_by_an_older_device_survive_a_round_trip()
    {
        byte[] seed = NewSeed();
        using Identity account = Identity.FromSeed(seed);
        string friend = NewContactId();
        byte[] key = Convert.FromHexString(friend);
        // What a (hypothetical) other client wrote: unknown keys in a contact, in the data, and at the top level.
        byte[] plain = [.. "d1:#i7e1:&d1:cd33:"u8, .. key, .. "d1:n3:Bob1:zi42eee1:xi7ee1:<le1:=de1:?3:fute"u8];
        var keys = new ConfigWire.Keys(account, "Contacts", SharedConfigMessage.Types.Kind.Contacts, Wrap: true);
        byte[] stored = ConfigWire.Encode(plain, 7, keys).Single();
        await using var raw = new SnodeNetwork(new SnodeNetworkOptions { SeedUrls = [_net.SeedUrl.ToString()], AcceptSelfSignedSeedCertificates = true });
        await raw.StoreAsync(account.Ed25519SecretKey.ToArray(), account.SessionId.ToString(), 3, Convert.ToBase64String(stored), 3_600_000, CancellationToken.None);

        using SessionClient a = NewClient(seed);
        a.Start();
        var events = new List<SessionEvent>();
        Until(a, () => a.Contacts().Any(c => c.SessionId == friend && c.Name == "Bob"), events, Minute, "the older device's contact arrives");
        a.SetContact(friend, nickname: "Bobby");

        // Read back what this client stored: the newest Contacts message on the swarm.
        var deadline = DateTime.UtcNow + Minute;
        while (true)
        {
            RetrieveResult result = await raw.RetrieveAsync(account.Ed25519SecretKey.ToArray(), account.SessionId.ToString(), 3, null, CancellationToken.None);
            var contacts = new Contacts(account);
            contacts.Merge(result.Messages.Select(m => (m.Hash, Convert.FromBase64String(m.Data))), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            string text = Encoding.Latin1.GetString(contacts.Serialize());
            if (contacts.Get(friend)?.Nickname == "Bobby")
            {
                Assert.That(text, Does.Contain("1:zi42e"), "unknown contact key kept");
                Assert.That(text, Does.Contain("1:xi7e"), "unknown data key kept");
                break;
            }
            if (DateTime.UtcNow > deadline) Assert.Fail("the edited config never reached the swarm");
            await Task.Delay(500);
        }
    }
}
