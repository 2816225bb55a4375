using System.Text;
using Microsoft.Data.Sqlite;
using NUnit.Framework;
using SessionInterop.Client;
using SessionInterop.Crypto;
using SessionInterop.State;

namespace SessionInterop.Tests.Client;

/// <summary>
/// The client's delivery guarantees over an in-memory swarm with injected faults. (The same client
/// over real onion paths on LocalNet is tested in LocalNet.Tests.)
/// </summary>
public sealed class SessionClientTests
{
    private readonly List<string> _dirs = [];
    private FakeSwarm _swarm = null!;

    [SetUp]
    public void NewSwarm() => _swarm = new FakeSwarm();

    [TearDown]
    public void RemoveDirectories()
    {
        SqliteConnection.ClearAllPools();
        foreach (string d in _dirs) Directory.Delete(d, recursive: true);
        _dirs.Clear();
    }

    private string NewDir()
    {
        string dir = Directory.CreateTempSubdirectory("session-client-").FullName;
        _dirs.Add(dir);
        return dir;
    }

    private SessionClient Open(string dir, byte[]? key = null, byte[]? seed = null) =>
        SessionClient.Open(new SessionClientOptions
        {
            DataDirectory = dir,
            DatabaseKey = key,
            Seed = seed,
            MinPollInterval = TimeSpan.FromMilliseconds(20),
            MaxPollInterval = TimeSpan.FromMilliseconds(100),
            DisplayName = "tester",
        }, (_, _) => new FakeSwarmNetwork(_swarm));

    /// <summary>Drains events until the predicate holds over everything seen, or fails after 20 s.</summary>
    private static List<SessionEvent> DrainUntil(SessionClient client, Func<List<SessionEvent>, bool> done, List<SessionEvent>? into = null)
    {
        var seen = into ?? [];
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!done(seen))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out; saw {seen.Count} events");
            client.Wait(TimeSpan.FromMilliseconds(200));
            seen.AddRange(client.Poll(64));
        }
        return seen;
    }

    private static string Text(SessionEvent e) => Encoding.UTF8.GetString(e.Text);

    [Test]
    public void Two_clients_exchange_messages_in_both_directions_exactly_once()
    {
        using SessionClient alice = Open(NewDir()), bob = Open(NewDir());
        alice.Start();
        bob.Start();
        string[] texts = ["hello", "héllo 🙂 ünïcödé", "", new string('x', SessionClient.MaxTextBytes - 1)]; // bob adds one byte
        var aliceIds = texts.Select(t => alice.Send(bob.SessionId, t)).ToList();
        var bobIds = texts.Select(t => bob.Send(alice.SessionId, t + "!")).ToList();

        var atBob = DrainUntil(bob, s => s.Count(e => e.Type == EventType.Message) >= texts.Length
                                         && s.Count(e => e.Type == EventType.RequestDone) >= texts.Length);
        var atAlice = DrainUntil(alice, s => s.Count(e => e.Type == EventType.Message) >= texts.Length
                                             && s.Count(e => e.Type == EventType.RequestDone) >= texts.Length);

        Assert.That(atBob.Where(e => e.Type == EventType.Message).Select(Text), Is.EquivalentTo(texts));
        Assert.That(atBob.Where(e => e.Type == EventType.Message).Select(e => e.Sender), Is.All.EqualTo(alice.SessionId));
        Assert.That(atAlice.Where(e => e.Type == EventType.Message).Select(Text), Is.EquivalentTo(texts.Select(t => t + "!")));
        Assert.That(atAlice.Where(e => e.Type == EventType.RequestDone).Select(e => e.RequestId), Is.EquivalentTo(aliceIds));
        Assert.That(atAlice.Where(e => e.Type == EventType.RequestDone).Select(e => e.Status), Is.All.EqualTo(SessionStatus.Ok));
        Assert.That(atBob.Where(e => e.Type == EventType.RequestDone).Select(e => e.RequestId), Is.EquivalentTo(bobIds));

        // Nothing more arrives later: no duplicates.
        Thread.Sleep(300);
        Assert.That(bob.Poll(64).Where(e => e.Type is EventType.Message or EventType.RequestDone), Is.Empty);
    }

    [Test]
    public void Messages_carry_the_sent_timestamp_in_increasing_order()
    {
        using SessionClient alice = Open(NewDir()), bob = Open(NewDir());
        alice.Start();
        bob.Start();
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int i = 0; i < 5; i++) alice.Send(bob.SessionId, $"m{i}");
        var messages = DrainUntil(bob, s => s.Count(e => e.Type == EventType.Message) >= 5).Where(e => e.Type == EventType.Message).ToList();
        Assert.That(messages.Select(e => e.TimestampMs), Is.Unique);
        Assert.That(messages.Select(e => e.TimestampMs), Is.All.GreaterThanOrEqualTo(before));
        Assert.That(messages.OrderBy(e => e.TimestampMs).Select(Text), Is.EqualTo(new[] { "m0", "m1", "m2", "m3", "m4" }));
    }

    [Test]
    public void A_store_whose_reply_was_lost_is_retried_and_still_delivered_once()
    {
        _swarm.LoseNextStoreReplies = 2;
        _swarm.FailNextStores = 1;
        using SessionClient alice = Open(NewDir()), bob = Open(NewDir());
        alice.Start();
        bob.Start();
        ulong id = alice.Send(bob.SessionId, "once");
        var done = DrainUntil(alice, s => s.Any(e => e.Type == EventType.RequestDone));
        Assert.That(done.Single(e => e.Type == EventType.RequestDone).RequestId, Is.EqualTo(id));
        Assert.That(_swarm.StoreCalls, Is.GreaterThanOrEqualTo(4));
        Assert.That(_swarm.CountFor(bob.SessionId), Is.EqualTo(1), "retries stored the same bytes: one copy in the swarm");
        var atBob = DrainUntil(bob, s => s.Any(e => e.Type == EventType.Message));
        Thread.Sleep(300);
        atBob.AddRange(bob.Poll(64));
        Assert.That(atBob.Count(e => e.Type == EventType.Message), Is.EqualTo(1));
    }

    [Test]
    public void A_rejected_store_completes_once_with_the_failure()
    {
        _swarm.RejectStores = true;
        using SessionClient alice = Open(NewDir());
        alice.Start();
        ulong id = alice.Send(Identity.Generate().SessionId.ToString(), "nope");
        var done = DrainUntil(alice, s => s.Any(e => e.Type == EventType.RequestDone)).Single(e => e.Type == EventType.RequestDone);
        Assert.That(done.RequestId, Is.EqualTo(id));
        Assert.That(done.Status, Is.EqualTo(SessionStatus.EInvalidArgument));
        Assert.That(done.ErrorCode, Is.EqualTo("network.rpc_rejected"));
        Thread.Sleep(200);
        Assert.That(alice.Poll(64).Where(e => e.Type == EventType.RequestDone), Is.Empty);
        Assert.That(alice.PendingSends, Is.Zero);
    }

    [Test]
    public void Sends_accepted_before_a_restart_are_sent_after_it_and_nothing_repeats()
    {
        string aliceDir = NewDir(), bobDir = NewDir();
        string bobId;
        using (SessionClient bob = Open(bobDir)) bobId = bob.SessionId;
        var ids = new List<ulong>();
        using (SessionClient alice = Open(aliceDir))
        {
            // Not started: the messages are only persisted.
            for (int i = 0; i < 3; i++) ids.Add(alice.Send(bobId, $"before restart {i}"));
        }
        var received = new List<SessionEvent>();
        using (SessionClient alice = Open(aliceDir))
        using (SessionClient bob = Open(bobDir))
        {
            alice.Start();
            bob.Start();
            ids.Add(alice.Send(bobId, "after restart"));
            var done = DrainUntil(alice, s => s.Count(e => e.Type == EventType.RequestDone) >= 4);
            Assert.That(done.Where(e => e.Type == EventType.RequestDone).Select(e => e.RequestId), Is.EquivalentTo(ids));
            DrainUntil(bob, s => s.Count(e => e.Type == EventType.Message) >= 2, received);
        } // bob disposed after draining part of the messages, mid-stream

        using (SessionClient bob = Open(bobDir))
        {
            bob.Start();
            DrainUntil(bob, s => s.Count(e => e.Type == EventType.Message) >= 2, received);
            DrainUntil(bob, _ => received.Count(e => e.Type == EventType.Message) >= 4, received);
            Thread.Sleep(300);
            received.AddRange(bob.Poll(64));
        }
        Assert.That(received.Where(e => e.Type == EventType.Message).Select(Text),
            Is.EquivalentTo(new[] { "before restart 0", "before restart 1", "before restart 2", "after restart" }));
    }

    [Test]
    public void An_undrained_batch_is_delivered_again_after_a_crash_but_an_acknowledged_one_is_not()
    {
        string bobDir = NewDir();
        using SessionClient alice = Open(NewDir());
        alice.Start();
        string bobId;
        using (SessionClient bob = Open(bobDir))
        {
            bobId = bob.SessionId;
            alice.Send(bobId, "first");
            bob.Start();
            DrainUntil(bob, s => s.Any(e => e.Type == EventType.Message));   // delivered, then acknowledged by Dispose
        }
        alice.Send(bobId, "second");
        using (SessionClient bob = Open(bobDir))
        {
            bob.Start();
            var again = DrainUntil(bob, s => s.Any(e => e.Type == EventType.Message));
            Assert.That(again.Where(e => e.Type == EventType.Message).Select(Text), Is.EqualTo(new[] { "second" }));
        }
    }

    [Test]
    public void Undecodable_and_misaddressed_messages_are_dropped_without_an_event()
    {
        using SessionClient alice = Open(NewDir()), bob = Open(NewDir());
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _swarm.Inject(bob.SessionId, "not base64 at all!", now);
        _swarm.Inject(bob.SessionId, Convert.ToBase64String([1, 2, 3, 4]), now);
        using (Identity carol = Identity.Generate(), dave = Identity.Generate())
        {
            // A well-formed message for someone else, put in Bob's inbox.
            string forDave = SessionInterop.Protocol.MessageCodec.EncodeForRecipient(carol, dave.SessionId, SessionInterop.Protocol.Messages.Text("not for bob"), now);
            _swarm.Inject(bob.SessionId, forDave, now);
        }
        alice.Start();
        bob.Start();
        alice.Send(bob.SessionId, "real");
        var events = DrainUntil(bob, s => s.Any(e => e.Type == EventType.Message));
        Thread.Sleep(300);
        events.AddRange(bob.Poll(64));
        Assert.That(events.Where(e => e.Type == EventType.Message).Select(Text), Is.EqualTo(new[] { "real" }));
    }

    [Test]
    public void Send_validates_on_the_calling_thread()
    {
        using SessionClient alice = Open(NewDir());
        var bad = Assert.Throws<SessionException>(() => alice.Send("15" + new string('a', 64), "x"))!;
        Assert.That(bad.Status, Is.EqualTo(SessionStatus.EInvalidArgument));
        Assert.That(Assert.Throws<SessionException>(() => alice.Send("05abc", "x"))!.Status, Is.EqualTo(SessionStatus.EInvalidArgument));
        var big = Assert.Throws<SessionException>(() => alice.Send(alice.SessionId, new string('é', SessionClient.MaxTextBytes)))!;
        Assert.That(big.Status, Is.EqualTo(SessionStatus.ETooLarge));
        Assert.That(alice.PendingSends, Is.Zero, "a refused send changes nothing");
    }

    [Test]
    public void Send_reports_queue_full_beyond_the_pending_limit()
    {
        using SessionClient alice = SessionClient.Open(new SessionClientOptions { DataDirectory = NewDir(), MaxPendingSends = 2 },
            (_, _) => new FakeSwarmNetwork(_swarm));
        string to = Identity.Generate().SessionId.ToString();
        alice.Send(to, "1");
        alice.Send(to, "2");
        Assert.That(Assert.Throws<SessionException>(() => alice.Send(to, "3"))!.Status, Is.EqualTo(SessionStatus.EQueueFull));
    }

    [Test]
    public void The_identity_persists_and_is_protected_by_the_database_key()
    {
        string dir = NewDir();
        byte[] key = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];
        string id;
        string phrase;
        using (SessionClient c = Open(dir, key)) { id = c.SessionId; phrase = c.RecoveryPhrase(); }
        using (SessionClient c = Open(dir, key)) Assert.That(c.SessionId, Is.EqualTo(id));
        Assert.That(Assert.Throws<SessionException>(() => Open(dir, [9, 9, 9]))!.Status, Is.EqualTo(SessionStatus.EWrongKey));
        Assert.That(Assert.Throws<SessionException>(() => Open(dir))!.Status, Is.EqualTo(SessionStatus.EWrongKey));
        using (Identity other = Identity.Generate())
        {
            var e = Assert.Throws<SessionException>(() => Open(dir, key, other.Seed.ToArray()))!;
            Assert.That(e.Code, Is.EqualTo("state.other_identity"));
        }
        using SessionClient restored = SessionClient.Open(new SessionClientOptions { DataDirectory = NewDir(), RecoveryPhrase = phrase },
            (_, _) => new FakeSwarmNetwork(_swarm));
        Assert.That(restored.SessionId, Is.EqualTo(id));
    }

    [Test]
    public void Wait_returns_on_events_and_on_interrupt_and_wakeup_fires_on_the_first_event()
    {
        int wakeups = 0;
        using SessionClient alice = SessionClient.Open(new SessionClientOptions
        {
            DataDirectory = NewDir(),
            Wakeup = () => Interlocked.Increment(ref wakeups),
            MinPollInterval = TimeSpan.FromMilliseconds(20),
        }, (_, _) => new FakeSwarmNetwork(_swarm));
        Assert.That(alice.Wait(TimeSpan.FromMilliseconds(50)), Is.False);
        var interrupter = Task.Run(() => { Thread.Sleep(100); alice.Interrupt(); });
        var started = DateTime.UtcNow;
        Assert.That(alice.Wait(TimeSpan.FromSeconds(10)), Is.True, "an interrupt ends the wait");
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(alice.HasEvents, Is.False);
        interrupter.Wait();

        alice.Start();
        alice.Send(alice.SessionId, "note to self");
        Assert.That(alice.Wait(TimeSpan.FromSeconds(10)), Is.True);
        // The wakeup runs on the producing thread right after the event is queued, so it may finish
        // a moment after Wait has already seen the event.
        Assert.That(SpinWait.SpinUntil(() => Volatile.Read(ref wakeups) >= 1, TimeSpan.FromSeconds(5)), Is.True);
    }

    [Test]
    public void Stop_is_asynchronous_and_ends_with_one_stopped_event()
    {
        using SessionClient alice = Open(NewDir());
        alice.Start();
        Assert.That(Assert.Throws<SessionException>(() => alice.Start())!.Status, Is.EqualTo(SessionStatus.EWrongState));
        alice.Stop();
        var events = DrainUntil(alice, s => s.Any(e => e.Type == EventType.Stopped));
        Assert.That(events.Count(e => e.Type == EventType.Stopped), Is.EqualTo(1));
        Assert.That(Assert.Throws<SessionException>(() => alice.Stop())!.Status, Is.EqualTo(SessionStatus.EWrongState));
    }

    [Test]
    public void A_disposed_client_refuses_every_call()
    {
        SessionClient alice = Open(NewDir());
        alice.Dispose();
        alice.Dispose();
        Assert.That(Assert.Throws<SessionException>(() => alice.Send(alice.SessionId, "x"))!.Status, Is.EqualTo(SessionStatus.EInvalidHandle));
        Assert.Throws<SessionException>(() => alice.Poll(1));
    }
}
