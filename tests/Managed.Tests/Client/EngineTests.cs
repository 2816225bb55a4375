using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NUnit.Framework;
using SessionInterop.Client;
using SessionInterop.Crypto;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using SessionInterop.State;

namespace SessionInterop.Tests.Client;

/// <summary>
/// The engine (issue 11): supervised jobs that never end on a failure, ERROR events, shutdown
/// order, stop → start, the data-directory lock, bounds, replay and per-sender order, over an
/// in-memory swarm and hand-built hostile replies.
/// </summary>
public sealed class EngineTests : ClientTestBase
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    // ------------------------------------------------------------------ supervision

    [Test]
    public void Inbox_keeps_running_through_garbage_and_bugs_and_reports_an_error_event()
    {
        // Replies a hostile node could produce, as the parser would surface them, then a plain bug.
        Exception[] faults =
        [
            new JsonException("not JSON"), new IndexOutOfRangeException("short array"), new InvalidOperationException("null where an object was"),
            new KeyNotFoundException("no messages"), new NullReferenceException("our bug"),
        ];
        int next = 0;
        Swarm.RetrieveFault = () => faults[Interlocked.Increment(ref next) % faults.Length];
        Swarm.RetrieveFaults = 12;
        using SessionClient alice = Open(), bob = Open();
        alice.Start();
        bob.Start();
        for (int i = 0; i < 3; i++) alice.Send(bob.SessionId, $"through the storm {i}");

        var events = DrainUntil(bob, s => s.Count(e => e.Type == EventType.Message) >= 3);
        Assert.That(events.Where(e => e.Type == EventType.Message).Select(Text), Is.EqualTo(new[] { "through the storm 0", "through the storm 1", "through the storm 2" }));
        SessionEvent error = events.First(e => e.Type == EventType.Error);
        Assert.That(error.Conversation, Is.EqualTo("inbox"));
        Assert.That(error.ErrorCode, Is.Not.Empty);
        Assert.That(Text(error), Is.EqualTo(error.ErrorCode), "the dotted code is the text");
        Assert.That(error.Value, Is.EqualTo((long)error.Status));
        Assert.That(Swarm.RetrieveFaults, Is.LessThan(0), "every fault was served and the loop went on");
    }

    [Test]
    public void A_poison_outbox_row_completes_with_internal_and_the_others_are_sent()
    {
        string poisoned = Identity.Generate().SessionId.ToString();
        Swarm.StoreFault = () => new NullReferenceException("a bug on this row");
        Swarm.StoreFaultAccount = poisoned;
        using SessionClient alice = Open(), bob = Open();
        alice.Start();
        bob.Start();
        ulong bad = alice.Send(poisoned, "poison");
        ulong good = alice.Send(bob.SessionId, "fine");

        var events = DrainUntil(alice, s => s.Count(e => e.Type == EventType.RequestDone) >= 2 && s.Any(e => e.Type == EventType.Error));
        var done = events.Where(e => e.Type == EventType.RequestDone).ToDictionary(e => e.RequestId);
        Assert.That(done[bad].Status, Is.EqualTo(SessionStatus.EInternal));
        Assert.That(done[good].Status, Is.EqualTo(SessionStatus.Ok));
        Assert.That(events.Single(e => e.Type == EventType.Error).Status, Is.EqualTo(SessionStatus.EInternal));
        Assert.That(alice.PendingSends, Is.Zero, "the poison row is gone, not first in line forever");
        DrainUntil(bob, s => s.Any(e => e.Type == EventType.Message));
    }

    [Test]
    public void A_refusal_by_the_destination_completes_at_once_with_an_error_event_and_no_retry()
    {
        Swarm.StoreFault = () => new SessionException(SessionStatus.ERemote, "remote.refused", "the destination refused");
        using SessionClient alice = Open();
        alice.Start();
        ulong id = alice.Send(Identity.Generate().SessionId.ToString(), "refused");
        var events = DrainUntil(alice, s => s.Any(e => e.Type == EventType.RequestDone) && s.Any(e => e.Type == EventType.Error));
        SessionEvent done = events.Single(e => e.Type == EventType.RequestDone);
        Assert.That((done.RequestId, done.Status, done.ErrorCode), Is.EqualTo((id, SessionStatus.ERemote, "remote.refused")));
        Assert.That(events.Single(e => e.Type == EventType.Error).ErrorCode, Is.EqualTo("remote.refused"));
        Thread.Sleep(200);
        Assert.That(Swarm.StoreCalls, Is.EqualTo(1), "not retried");
    }

    // ------------------------------------------------------------------ lifecycle

    [Test]
    public void Stop_then_start_works_and_sends_what_was_queued_meanwhile()
    {
        using SessionClient alice = Open(), bob = Open();
        bob.Start();
        alice.Start();
        alice.Stop();
        DrainUntil(alice, s => s.Any(e => e.Type == EventType.Stopped));
        var ids = Enumerable.Range(0, 3).Select(i => alice.Send(bob.SessionId, $"queued {i}")).ToList();
        alice.Start();
        var done = DrainUntil(alice, s => s.Count(e => e.Type == EventType.RequestDone) >= 3);
        Assert.That(done.Where(e => e.Type == EventType.RequestDone).Select(e => e.RequestId), Is.EquivalentTo(ids));
        Assert.That(done.Where(e => e.Type == EventType.RequestDone).Select(e => e.Status), Is.All.EqualTo(SessionStatus.Ok));
        // Start at once after Stop (the old run still winding down) works too.
        alice.Stop();
        alice.Start();
        ulong last = alice.Send(bob.SessionId, "after a quick restart");
        DrainUntil(alice, s => s.Any(e => e.Type == EventType.RequestDone && e.RequestId == last));
    }

    [Test]
    public void No_wakeup_runs_after_dispose_returns_and_a_running_one_is_waited_for()
    {
        int calls = 0, inside = 0, afterDispose = 0;
        bool disposed = false;
        using SessionClient bob = Open();
        SessionClient alice = Open(null, o => o.Wakeup = () =>
        {
            Interlocked.Increment(ref inside);
            if (Volatile.Read(ref disposed)) Interlocked.Increment(ref afterDispose);
            Interlocked.Increment(ref calls);
            Thread.Sleep(50); // a slow callback: Dispose must wait for it
            Interlocked.Decrement(ref inside);
        });
        alice.Start();
        bob.Start();
        for (int i = 0; i < 20; i++)
        {
            bob.Send(alice.SessionId, $"m{i}");
            alice.Poll(100);
        }
        SpinWait.SpinUntil(() => Volatile.Read(ref calls) > 0, TimeSpan.FromSeconds(10));
        alice.Dispose();
        Volatile.Write(ref disposed, true);
        Assert.That(Volatile.Read(ref inside), Is.Zero, "no callback is running once Dispose returned");
        for (int i = 0; i < 20; i++) bob.Send(alice.SessionId, $"late {i}");
        Thread.Sleep(500);
        Assert.That(afterDispose, Is.Zero);
        Assert.That(calls, Is.GreaterThan(0));
    }

    [Test]
    public void Dispose_waits_at_most_the_shutdown_timeout_for_a_stuck_job()
    {
        using SessionClient alice = Open(null, o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(300));
        Swarm.StoreFault = () => { Thread.Sleep(3000); return Errors.Network("network.timeout", "stuck"); };
        alice.Start();
        alice.Send(Identity.Generate().SessionId.ToString(), "stuck");
        Thread.Sleep(200);
        var started = DateTime.UtcNow;
        alice.Dispose();
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromMilliseconds(2500)), "bounded by shutdown.timeout_ms, not by the stuck store");
    }

    // ------------------------------------------------------------------ the data directory lock

    [Test]
    public void A_second_client_on_the_same_directory_is_refused_with_busy_until_the_first_is_gone()
    {
        string dir = NewDir();
        SessionClient first = Open(dir);
        var busy = Assert.Throws<SessionException>(() => Open(dir))!;
        Assert.That((busy.Status, busy.Code), Is.EqualTo((SessionStatus.EBusy, "state.busy")));
        first.Dispose();
        using SessionClient again = Open(dir);
        Assert.That(again.SessionId, Is.EqualTo(first.SessionId));
    }

    // ------------------------------------------------------------------ bounds

    [Test]
    public void Polling_pauses_while_the_app_does_not_drain_and_resumes_when_it_does()
    {
        Swarm.PageSize = 10;
        using SessionClient bob = Open(null, o => o.MaxReadyEvents = 5);
        using (Identity carol = Identity.Generate())
        {
            for (int i = 0; i < 60; i++)
                Swarm.Inject(bob.SessionId, MessageCodec.EncodeForRecipient(carol, SessionInterop.Crypto.SessionId.Parse(bob.SessionId), Messages.Text($"n{i}"), Now - 60_000 + i), Now);
        }
        bob.Start();
        Assert.That(SpinWait.SpinUntil(() => bob.HasEvents, TimeSpan.FromSeconds(10)), Is.True);
        Thread.Sleep(500);
        int calls = Swarm.RetrieveCalls;
        Thread.Sleep(500);
        Assert.That(Swarm.RetrieveCalls, Is.EqualTo(calls), "no retrieve while the app is behind");
        var all = DrainUntil(bob, s => s.Count(e => e.Type == EventType.Message) >= 60);
        Assert.That(all.Where(e => e.Type == EventType.Message).Select(Text), Is.EqualTo(Enumerable.Range(0, 60).Select(i => $"n{i}")));
    }

    [Test]
    public void Log_events_are_bounded_and_the_excess_is_counted()
    {
        using SessionClient alice = Open(null, o => o.MaxLogEvents = 100);
        for (int i = 0; i < 5000; i++) alice.AddLogEvent(2, "test", $"record {i}");
        var logs = alice.Poll(10_000).Where(e => e.Type == EventType.Log).ToList();
        Assert.That(logs, Has.Count.EqualTo(100));
        Assert.That(Text(logs[0]), Is.EqualTo("record 0"));
        alice.AddLogEvent(2, "test", "after draining");
        Assert.That(alice.Poll(10).Select(Text), Is.EqualTo(new[] { "after draining" }));
    }

    // ------------------------------------------------------------------ replay and seen keys

    [Test]
    public void A_message_older_than_its_lifetime_is_dropped_and_seen_keys_outlive_the_nodes_expiry()
    {
        string dir = NewDir();
        string bobId;
        string senderId;
        long recentSent = Now - 86_400_000; // a day ago: well within 14 days
        using (SessionClient bob = Open(dir))
        {
            bobId = bob.SessionId;
            using Identity carol = Identity.Generate();
            senderId = carol.SessionId.ToString();
            long replayed = Now - SessionClient.MessageTtlMs - 3_600_000; // 14 days and an hour ago
            Swarm.Inject(bobId, MessageCodec.EncodeForRecipient(carol, SessionInterop.Crypto.SessionId.Parse(bobId), Messages.Text("replayed"), replayed), Now);
            // The node says this one expires right away; we must remember it for 14 days anyway.
            Swarm.Inject(bobId, MessageCodec.EncodeForRecipient(carol, SessionInterop.Crypto.SessionId.Parse(bobId), Messages.Text("recent"), recentSent), Now, expiresMs: Now - 1);
            bob.Start();
            var events = DrainUntil(bob, s => s.Any(e => e.Type == EventType.Message));
            Thread.Sleep(300);
            events.AddRange(bob.Poll(64));
            Assert.That(events.Where(e => e.Type == EventType.Message).Select(Text), Is.EqualTo(new[] { "recent" }));
        }
        using StateStore store = StateStore.Open(dir);
        store.PruneSeen(Now);
        Assert.That(store.HasSeen($"m:{senderId}:{recentSent}"), Is.True, "kept for the message's lifetime, not the node's word");
    }

    // ------------------------------------------------------------------ per-sender order

    [Test]
    public void A_burst_to_one_recipient_arrives_in_sent_order_even_with_retries()
    {
        using SessionClient alice = Open(), bob = Open();
        Swarm.FailNextStores = 2; // early rows fail and back off; later rows must not overtake them
        alice.Start();
        bob.Start();
        var texts = Enumerable.Range(0, 30).Select(i => $"burst {i:D2}").ToList();
        foreach (string t in texts) alice.Send(bob.SessionId, t);
        var messages = DrainUntil(bob, s => s.Count(e => e.Type == EventType.Message) >= 30).Where(e => e.Type == EventType.Message).ToList();
        Assert.That(messages.Select(Text), Is.EqualTo(texts));
    }

    [Test]
    public void A_batch_stored_out_of_order_reaches_the_app_in_sent_order()
    {
        using SessionClient bob = Open();
        using (Identity carol = Identity.Generate())
        {
            long t = Now - 10_000;
            foreach (int i in new[] { 3, 1, 4, 0, 2 })
                Swarm.Inject(bob.SessionId, MessageCodec.EncodeForRecipient(carol, SessionInterop.Crypto.SessionId.Parse(bob.SessionId), Messages.Text($"o{i}"), t + i), Now);
        }
        bob.Start();
        var messages = DrainUntil(bob, s => s.Count(e => e.Type == EventType.Message) >= 5).Where(e => e.Type == EventType.Message);
        Assert.That(messages.Select(Text), Is.EqualTo(new[] { "o0", "o1", "o2", "o3", "o4" }));
    }

    // ------------------------------------------------------------------ hygiene

    [Test]
    public void Received_text_waiting_for_the_app_is_not_on_disk_in_the_clear()
    {
        const string secret = "the plaintext that must never rest on disk";
        string bobDir = NewDir();
        using SessionClient alice = Open();
        using (SessionClient bob = Open(bobDir))
        {
            alice.Start();
            bob.Start();
            alice.Send(bob.SessionId, secret);
            Assert.That(SpinWait.SpinUntil(() => bob.HasEvents, TimeSpan.FromSeconds(20)), Is.True);
        } // not polled: the MESSAGE event stays in the database
        byte[] needle = Encoding.UTF8.GetBytes(secret);
        foreach (string file in Directory.GetFiles(bobDir))
            Assert.That(File.ReadAllBytes(file).AsSpan().IndexOf(needle), Is.EqualTo(-1), Path.GetFileName(file));
        using SessionClient again = Open(bobDir);
        var events = DrainUntil(again, s => s.Any(e => e.Type == EventType.Message));
        Assert.That(events.Where(e => e.Type == EventType.Message).Select(Text), Is.EqualTo(new[] { secret }), "and it is still delivered");
    }

    [Test]
    public void Logs_above_debug_hold_no_plaintext_phrase_key_or_full_session_id()
    {
        var logs = new CapturingLoggers();
        const string secret = "plaintext that must not be logged";
        using SessionClient bob = Open(null, o => o.LoggerFactory = logs);
        using SessionClient alice = Open(null, o => o.LoggerFactory = logs);
        Swarm.FailNextStores = 1;
        Swarm.RetrieveFault = () => new JsonException("garbage");
        Swarm.RetrieveFaults = 4;
        alice.Start();
        bob.Start();
        alice.Send(bob.SessionId, secret);
        alice.Send(SessionInterop.Crypto.Identity.Generate().SessionId.ToString(), "another " + secret);
        DrainUntil(bob, s => s.Any(e => e.Type == EventType.Message));
        alice.Stop();
        DrainUntil(alice, s => s.Any(e => e.Type == EventType.Stopped));
        string[] forbidden = [secret, bob.SessionId, alice.SessionId, alice.RecoveryPhrase(), "127.0.0.1"];
        var above = logs.Records.Where(r => r.Level > Microsoft.Extensions.Logging.LogLevel.Debug).ToList();
        Assert.That(above, Is.Not.Empty, "the run did log at INFO/WARN");
        foreach (var (level, message) in above)
            foreach (string f in forbidden)
                Assert.That(message, Does.Not.Contain(f), $"{level}: {message}");
    }

    private sealed class CapturingLoggers : Microsoft.Extensions.Logging.ILoggerFactory, Microsoft.Extensions.Logging.ILogger
    {
        public readonly System.Collections.Concurrent.ConcurrentQueue<(Microsoft.Extensions.Logging.LogLevel Level, string Message)> Records = new();
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;
        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider) { }
        public void Dispose() { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter) => Records.Enqueue((logLevel, formatter(state, exception)));
    }
}
