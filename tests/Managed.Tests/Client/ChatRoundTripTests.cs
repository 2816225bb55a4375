using System.Text;
using Google.Protobuf;
using NUnit.Framework;
using SessionInterop.Client;
using SessionInterop.Crypto;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;
using SessionInterop.State;

namespace SessionInterop.Tests.Client;

/// <summary>
/// Issue 14, sending side over the in-memory swarm: each kind goes from one client to another and
/// arrives as its event; what is stored (TTL, sync copy, decoy proSig, profile time) is what the
/// official apps store; unsend and after-read expiry act on our own swarm.
/// </summary>
public sealed class ChatRoundTripTests : ClientTestBase
{
    private static List<SessionEvent> Until(SessionClient c, Func<List<SessionEvent>, bool> done) =>
        DrainUntil(c, done).Where(e => e.Type is not (EventType.Connection or EventType.Log)).ToList();

    private static SessionEvent First(SessionClient c, EventType type) => Until(c, s => s.Any(e => e.Type == type)).First(e => e.Type == type);

    [Test]
    public void Every_kind_round_trips_between_two_clients()
    {
        using SessionClient alice = Open(configure: o => o.DisplayName = "Alice"), bob = Open();
        alice.Start();
        bob.Start();
        alice.Send(bob.SessionId, "hi bob");
        SessionEvent hi = First(bob, EventType.Message);
        Assert.That((hi.IsRequest, hi.DisplayName), Is.EqualTo((true, "Alice")));

        bob.AcceptRequest(alice.SessionId);
        Assert.That(First(alice, EventType.RequestResponse).Value, Is.EqualTo(1));

        bob.Reply(alice.SessionId, "hi alice", hi.TimestampMs, hi.Sender);
        SessionEvent reply = First(alice, EventType.Message);
        Assert.That((Text(reply), reply.RefTimestampMs, reply.RefAuthor, reply.IsRequest), Is.EqualTo(("hi alice", hi.TimestampMs, alice.SessionId, false)));

        alice.React(bob.SessionId, reply.TimestampMs, bob.SessionId, "❤️");
        alice.React(bob.SessionId, reply.TimestampMs, bob.SessionId, "❤️", remove: true);
        var reactions = Until(bob, s => s.Count(e => e.Type == EventType.Reaction) >= 2).Where(e => e.Type == EventType.Reaction).ToList();
        Assert.That(reactions.Select(e => (e.RefTimestampMs, e.Emoji, e.Value)), Is.EqualTo(new[] { (reply.TimestampMs, "❤️", 0L), (reply.TimestampMs, "❤️", 1L) }));

        alice.SendReadReceipt(bob.SessionId, [reply.TimestampMs]);
        Assert.That(First(bob, EventType.Receipt).RefTimestampMs, Is.EqualTo(reply.TimestampMs));

        alice.SendTyping(bob.SessionId, true);
        alice.SendTyping(bob.SessionId, false);
        Assert.That(Until(bob, s => s.Count(e => e.Type == EventType.Typing) >= 2).Where(e => e.Type == EventType.Typing).Select(e => e.Value), Is.EqualTo(new[] { 1L, 0L }));

        alice.Unsend(bob.SessionId, hi.TimestampMs);
        SessionEvent unsend = First(bob, EventType.Unsend);
        Assert.That((unsend.RefTimestampMs, unsend.RefAuthor), Is.EqualTo((hi.TimestampMs, alice.SessionId)));

        alice.SendMessage(bob.SessionId, new OutgoingMessage(OutgoingKind.Text) { Text = "poof", ExpiryType = 2, ExpirySeconds = 60 });
        SessionEvent poof = First(bob, EventType.Message);
        Assert.That((Text(poof), poof.ExpiryType, poof.ExpirySeconds), Is.EqualTo(("poof", 2u, 60u)));

        alice.SetDisplayName("Alice 2");
        alice.Send(bob.SessionId, "new name");
        Assert.That(First(bob, EventType.Profile).DisplayName, Is.EqualTo("Alice 2"));
    }

    [Test]
    public void What_is_stored_is_what_desktop_stores_ttl_sync_copy_decoy_prosig_and_profile_time()
    {
        using Identity me = Identity.Generate();
        using SessionClient alice = Open(configure: o => { o.Seed = me.Seed.ToArray(); o.DisplayName = "Alice"; }), bob = Open();
        alice.Start();
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000;
        alice.SendMessage(bob.SessionId, new OutgoingMessage(OutgoingKind.Text) { Text = "for a minute", ExpiryType = 2, ExpirySeconds = 60 });
        Until(alice, s => s.Any(e => e.Type == EventType.RequestDone));
        Assert.That(Swarm.LastTtlMs[bob.SessionId], Is.InRange(50_000, 60_000), "after-send: the timer (less the time since sending) is the TTL");
        Assert.That(Swarm.LastTtlMs[alice.SessionId], Is.InRange(50_000, 60_000), "and the sync copy's");

        using Identity bobKeys = Identity.Generate();
        RetrievedMessage stored = Swarm.Messages(bob.SessionId).Single();
        Envelope envelope = MessageCodec.ParseEnvelope(WebSocketMessage.Parser.ParseFrom(Convert.FromBase64String(stored.Data)).Request.Body.Span);
        Assert.That(envelope.ProSig.Length, Is.EqualTo(64), "a decoy proSig, as current official senders attach");

        DecodedMessage copy = MessageCodec.Decode(me, Swarm.Messages(alice.SessionId).Single().Data);
        Assert.That((copy.Sender, copy.SyncTarget?.ToString(), copy.Content.DataMessage.Body), Is.EqualTo((me.SessionId, bob.SessionId, "for a minute")));
        Assert.That((copy.Content.ExpirationType, copy.Content.ExpirationTimer), Is.EqualTo((Content.Types.ExpirationType.DeleteAfterSend, 60u)));
        LokiProfile profile = copy.Content.DataMessage.Profile;
        Assert.That(profile.DisplayName, Is.EqualTo("Alice"));
        Assert.That((long)profile.LastProfileUpdateSeconds, Is.InRange(before - 5, before + 5), "lastProfileUpdateSeconds is sent");

        alice.SendTyping(bob.SessionId, true);
        Until(alice, s => s.Count(e => e.Type == EventType.RequestDone) >= 1);
        SpinWait.SpinUntil(() => Swarm.LastTtlMs[bob.SessionId] == 20_000, 5000);
        Assert.That(Swarm.LastTtlMs[bob.SessionId], Is.EqualTo(20_000), "typing lives 20 s");
    }

    [Test]
    public void Our_other_device_shows_what_we_sent_as_outgoing_and_this_device_does_not_repeat_it()
    {
        using Identity me = Identity.Generate(), carol = Identity.Generate();
        using SessionClient laptop = Open(configure: o => o.Seed = me.Seed.ToArray()), phone = Open(configure: o => o.Seed = me.Seed.ToArray());
        laptop.Start();
        phone.Start();
        laptop.Send(carol.SessionId.ToString(), "from the laptop");
        SessionEvent atPhone = First(phone, EventType.Message);
        Assert.That((Text(atPhone), atPhone.Outgoing, atPhone.Conversation), Is.EqualTo(("from the laptop", true, carol.SessionId.ToString())));
        Thread.Sleep(500);
        Assert.That(laptop.Poll(64).Where(e => e.Type == EventType.Message), Is.Empty, "the sending device does not receive its own copy");
    }

    [Test]
    public void Unsend_deletes_our_copy_from_our_swarm_and_reading_an_after_read_message_starts_its_timer()
    {
        using SessionClient alice = Open(), bob = Open();
        alice.Start();
        bob.Start();
        alice.Send(bob.SessionId, "oops");
        Until(alice, s => s.Any(e => e.Type == EventType.RequestDone));
        Assert.That(Swarm.CountFor(alice.SessionId), Is.EqualTo(1), "the sync copy");
        string copyHash = Swarm.Messages(alice.SessionId).Single().Hash;
        SessionEvent oops = First(bob, EventType.Message);
        alice.Unsend(bob.SessionId, oops.TimestampMs);
        Assert.That(SpinWait.SpinUntil(() => Swarm.DeleteCalls > 0, 10_000), Is.True);
        Until(alice, s => s.Count(e => e.Type == EventType.RequestDone) >= 1);
        Assert.That(SpinWait.SpinUntil(() => Swarm.Messages(alice.SessionId).All(m => m.Hash != copyHash), 10_000), Is.True, "the message's copy in our swarm is deleted");
        Assert.That(Swarm.CountFor(alice.SessionId), Is.EqualTo(1), "the unsend request's own copy (for our other devices) is there");

        alice.SendMessage(bob.SessionId, new OutgoingMessage(OutgoingKind.Text) { Text = "read once", ExpiryType = 1, ExpirySeconds = 30 });
        SessionEvent readOnce = First(bob, EventType.Message);
        Assert.That(readOnce.ExpiryType, Is.EqualTo(1u));
        RetrievedMessage inBobsSwarm = Swarm.Messages(bob.SessionId).Single(m => m.Hash == readOnce.MessageId);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.That(inBobsSwarm.ExpirationMs, Is.GreaterThan(now + 3_600_000), "unread: the usual 14 days");
        bob.SendReadReceipt(alice.SessionId, [readOnce.TimestampMs]);
        Assert.That(SpinWait.SpinUntil(() => Swarm.Messages(bob.SessionId).Single(m => m.Hash == readOnce.MessageId).ExpirationMs <= now + 31_000, 10_000), Is.True,
            "reading it shortened it to 30 s in bob's swarm");
        // Alice's copy in her own swarm starts its timer when bob's receipt arrives.
        First(alice, EventType.Receipt);
        Assert.That(SpinWait.SpinUntil(() => Swarm.Messages(alice.SessionId).Any(m => m.ExpirationMs <= DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 31_000), 10_000), Is.True,
            "and in alice's own swarm after the receipt");
    }

    [Test]
    public void Marking_a_conversation_read_starts_the_timers_of_its_after_read_messages()
    {
        using SessionClient alice = Open(), bob = Open();
        alice.Start();
        bob.Start();
        alice.SendMessage(bob.SessionId, new OutgoingMessage(OutgoingKind.Text) { Text = "read once", ExpiryType = 1, ExpirySeconds = 45 });
        alice.Send(bob.SessionId, "stays");
        var got = Until(bob, s => s.Count(e => e.Type == EventType.Message) >= 2).Where(e => e.Type == EventType.Message).ToList();
        SessionEvent readOnce = got.Single(e => Text(e) == "read once"), stays = got.Single(e => Text(e) == "stays");
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        bob.MarkRead(alice.SessionId, stays.TimestampMs);
        Assert.That(SpinWait.SpinUntil(() => Swarm.Messages(bob.SessionId).Single(m => m.Hash == readOnce.MessageId).ExpirationMs <= now + 46_000, 10_000), Is.True,
            "read: its copy in bob's swarm now expires 45 s from now");
        Assert.That(Swarm.Messages(bob.SessionId).Single(m => m.Hash == stays.MessageId).ExpirationMs, Is.GreaterThan(now + 3_600_000), "an ordinary message keeps its 14 days");
        Assert.That(Swarm.ExpireCalls, Is.EqualTo(1));
    }

    [Test]
    public void A_conversation_setting_applies_to_later_messages_and_invalid_messages_are_refused_here()
    {
        using SessionClient alice = Open(), bob = Open();
        alice.Start();
        bob.Start();
        alice.SendMessage(bob.SessionId, new OutgoingMessage(OutgoingKind.ExpirySettings) { ExpiryType = 2, ExpirySeconds = 300 });
        alice.Send(bob.SessionId, "under the setting");
        SessionEvent m = First(bob, EventType.Message);
        Assert.That((Text(m), m.ExpiryType, m.ExpirySeconds), Is.EqualTo(("under the setting", 2u, 300u)));
        Assert.That(alice.Contacts().Single().ExpirationMode, Is.EqualTo(1), "kept in the Contacts config (libsession: 1 = after send)");

        Assert.Throws<SessionException>(() => alice.React(bob.SessionId, 1, bob.SessionId, ""));
        Assert.Throws<SessionException>(() => alice.React(bob.SessionId, 1, "05zz", "x"));
        Assert.Throws<SessionException>(() => alice.Reply(bob.SessionId, "x", 5, ""));
        Assert.Throws<SessionException>(() => alice.SendReadReceipt(bob.SessionId, []));
        Assert.Throws<SessionException>(() => alice.SendMessage(bob.SessionId, new OutgoingMessage(OutgoingKind.Text) { ExpiryType = 3, ExpirySeconds = 5 }));
        Assert.Throws<SessionException>(() => alice.SendMessage(bob.SessionId, new OutgoingMessage((OutgoingKind)99)));
    }
}
