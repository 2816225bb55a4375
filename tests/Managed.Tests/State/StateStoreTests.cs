using Microsoft.Data.Sqlite;
using NUnit.Framework;
using SessionInterop.State;

namespace SessionInterop.Tests.State;

public sealed class StateStoreTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("session-state-").FullName;

    [TearDown]
    public void RemoveDirectory()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static SessionEvent Message(string from, string text) =>
        SessionEvent.Create(EventType.Message, timestampMs: 1_700_000_000_000, conversation: from, sender: from,
            messageId: "hash-" + text, text: System.Text.Encoding.UTF8.GetBytes(text));

    [Test]
    public void An_events_details_survive_a_restart_sealed_and_are_absent_when_empty()
    {
        byte[] secret = new byte[32];
        var details = new SessionInterop.State.Stored.EventDetails { Flags = 1, RefTimestampMs = 42, RefAuthor = "05ab", Emoji = "👍", DisplayName = "Ann" };
        using (var s = StateStore.Open(_dir))
        {
            s.Sealer = new EventSealer(secret);
            s.AppendEvent(Message("05aa", "with details") with { Details = details });
            s.AppendEvent(Message("05aa", "plain"));
        }
        using (var raw = new SqliteConnection($"Data Source={StateStore.DatabasePath(_dir)}"))
        {
            raw.Open();
            using var cmd = raw.CreateCommand();
            cmd.CommandText = "SELECT details FROM events ORDER BY seq";
            using var r = cmd.ExecuteReader();
            Assert.That(r.Read(), Is.True);
            byte[] stored = (byte[])r[0];
            Assert.That(System.Text.Encoding.UTF8.GetString(stored), Does.Not.Contain("Ann"), "details are sealed at rest");
            Assert.That(r.Read(), Is.True);
            Assert.That(r.IsDBNull(0), Is.True, "no details, no blob");
        }
        using (var s = StateStore.Open(_dir))
        {
            s.Sealer = new EventSealer(secret);
            var events = s.EventsAfter(0, 10);
            Assert.That(events[0].Details, Is.EqualTo(details));
            Assert.That(events[0].Flags, Is.EqualTo(1u));
            Assert.That(events[1].Details.CalculateSize(), Is.Zero);
        }
    }

    [Test]
    public void Request_ids_are_never_reused_across_restarts()
    {
        ulong first, second, third;
        using (var s = StateStore.Open(_dir))
        {
            first = s.NextRequestId();
            second = s.EnqueueSend("05aa", 1, [1, 2, 3], 10, 10);
        }
        using (var s = StateStore.Open(_dir)) third = s.NextRequestId();
        Assert.That(new[] { first, second, third }, Is.EqualTo(new ulong[] { 1, 2, 3 }));
    }

    [Test]
    public void An_enqueued_send_survives_a_restart_and_completes_exactly_once()
    {
        ulong id;
        using (var s = StateStore.Open(_dir)) id = s.EnqueueSend("05bb", 1, [9, 9], 100, 100);
        using (var s = StateStore.Open(_dir))
        {
            var due = s.DueSends(nowMs: 100, limit: 10);
            Assert.That(due, Has.Count.EqualTo(1));
            Assert.That(due[0].RequestId, Is.EqualTo(id));
            Assert.That(due[0].Payload, Is.EqualTo(new byte[] { 9, 9 }));

            var done = SessionEvent.Create(EventType.RequestDone, requestId: id);
            Assert.That(s.CompleteSend(id, done), Is.True);
            Assert.That(s.CompleteSend(id, done), Is.False, "a second completion is refused");
            Assert.That(s.EventsAfter(0, 100).Count(e => e.RequestId == id), Is.EqualTo(1));
            Assert.That(s.OutboxCount(), Is.Zero);
        }
    }

    [Test]
    public void A_rescheduled_send_is_not_due_before_its_next_attempt()
    {
        using var s = StateStore.Open(_dir);
        ulong id = s.EnqueueSend("05cc", 1, [1], 0, 0);
        s.Reschedule(id, nextAttemptMs: 5_000, "timeout");
        Assert.That(s.DueSends(4_999, 10), Is.Empty);
        var due = s.DueSends(5_000, 10);
        Assert.That(due.Single().Attempts, Is.EqualTo(1));
    }

    [Test]
    public void An_incoming_message_is_recorded_once_even_when_retrieved_again_after_a_restart()
    {
        using (var s = StateStore.Open(_dir))
        {
            Assert.That(s.RecordIncoming("k1", long.MaxValue, "n1", 0, "h1", "h1", 1, Message("05dd", "hi")), Is.True);
            Assert.That(s.RecordIncoming("k1", long.MaxValue, "n1", 0, "h1", "h1", 2, Message("05dd", "hi")), Is.False);
        }
        using (var s = StateStore.Open(_dir))
        {
            Assert.That(s.RecordIncoming("k1", long.MaxValue, "n1", 0, "h2", "h2", 3, Message("05dd", "hi")), Is.False);
            Assert.That(s.EventsAfter(0, 100).Count(e => e.Type == EventType.Message), Is.EqualTo(1));
            Assert.That(s.LastHash("n1", 0), Is.EqualTo("h2"), "the last hash still advances past duplicates");
            Assert.That(s.LastHash("n2", 0), Is.Null, "last hashes are per swarm member");
            Assert.That(s.HasSeen(StateStore.HashKey("h1")), Is.True, "the hash is seen too");
            Assert.That(s.Conversations().Single().Conversation, Is.EqualTo("05dd"));
        }
    }

    [Test]
    public void Undrained_events_survive_a_restart_and_acknowledged_ones_do_not()
    {
        long firstSeq;
        using (var s = StateStore.Open(_dir))
        {
            s.AppendEvent(Message("05ee", "one"));
            s.AppendEvent(Message("05ee", "two"));
            var events = s.EventsAfter(0, 100);
            firstSeq = events[0].Seq;
            s.AcknowledgeEvents([firstSeq]);
        }
        using (var s = StateStore.Open(_dir))
        {
            var left = s.EventsAfter(0, 100);
            Assert.That(left.Select(e => System.Text.Encoding.UTF8.GetString(e.Text)), Is.EqualTo(new[] { "two" }));
            Assert.That(left[0].Seq, Is.GreaterThan(firstSeq));
        }
    }

    [Test]
    public void Expired_seen_keys_are_pruned()
    {
        using var s = StateStore.Open(_dir);
        s.RecordIncoming("old", 10, "n1", 0, "h", "h", 1, null);
        s.RecordIncoming("new", 1_000, "n1", 0, "h2", "h2", 1, null);
        Assert.That(s.PruneSeen(nowMs: 500), Is.EqualTo(2), "the message's key and its hash key");
        Assert.That(s.HasSeen("old"), Is.False);
        Assert.That(s.HasSeen("new"), Is.True);
    }

    [Test]
    public void A_database_from_a_newer_library_is_refused()
    {
        using (var s = StateStore.Open(_dir)) { }
        using (var c = new SqliteConnection($"Data Source={StateStore.DatabasePath(_dir)};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA user_version = 999";
            cmd.ExecuteNonQuery();
        }
        var e = Assert.Throws<SessionException>(() => StateStore.Open(_dir))!;
        Assert.That(e.Status, Is.EqualTo(SessionStatus.EBadStateData));
        Assert.That(e.Code, Is.EqualTo("state.too_new"));
    }

    [Test]
    public void A_file_that_is_not_a_database_is_reported_as_bad_state()
    {
        File.WriteAllBytes(StateStore.DatabasePath(_dir), new byte[4096].Select((_, i) => (byte)(i * 7)).ToArray());
        var e = Assert.Throws<SessionException>(() => StateStore.Open(_dir))!;
        Assert.That(e.Status, Is.EqualTo(SessionStatus.EBadStateData));
    }

    [Test]
    public void The_swarm_cache_round_trips()
    {
        using (var s = StateStore.Open(_dir)) s.SaveSwarm(["b", "a", "c"]);
        using (var s = StateStore.Open(_dir)) Assert.That(s.LoadSwarm(), Is.EqualTo(new[] { "a", "b", "c" }));
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_database_file_is_private_to_its_owner()
    {
        using (StateStore.Open(_dir)) { }
        Assert.That(File.GetUnixFileMode(StateStore.DatabasePath(_dir)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }
}
