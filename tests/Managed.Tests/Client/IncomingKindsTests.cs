using System.Text;
using Google.Protobuf;
using NUnit.Framework;
using SessionInterop.Client;
using SessionInterop.Crypto;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;
using SessionInterop.State;

namespace SessionInterop.Tests.Client;

/// <summary>
/// Every kind of 1:1 Content the official desktop sends (issue 14), built field by field the way
/// desktop's outgoing message classes build them (ts/session/messages/outgoing: VisibleMessage with
/// its profile and the disappearing fields it always writes, reactions as visible messages, receipts,
/// typing, unsend, request responses, sync copies), sealed by a real sender and dropped into the
/// recipient's inbox: each becomes the event the issue names.
/// </summary>
public sealed class IncomingKindsTests : ClientTestBase
{
    private static long s_clock = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;

    /// <summary>A sent time, increasing per message (receivers de-duplicate by sender and sent time).</summary>
    private static long NextTimestamp() => Interlocked.Add(ref s_clock, 7);

    /// <summary>desktop's ExpirableMessage: expirationType and expirationTimer are always written.</summary>
    private static Content Disappearing(Content content, Content.Types.ExpirationType type = Content.Types.ExpirationType.Unknown, uint seconds = 0)
    {
        content.ExpirationType = type;
        content.ExpirationTimer = seconds;
        return content;
    }

    /// <summary>desktop's VisibleMessage (DataMessageWithProfile): the profile, then what the message carries.</summary>
    private static Content Visible(Action<DataMessage> fill, string? name = "Alice", ulong profileSeconds = 1_700_000_000,
        Content.Types.ExpirationType type = Content.Types.ExpirationType.Unknown, uint seconds = 0)
    {
        var data = new DataMessage();
        if (name is not null) data.Profile = new LokiProfile { DisplayName = name, LastProfileUpdateSeconds = profileSeconds };
        fill(data);
        return Disappearing(new Content { DataMessage = data }, type, seconds);
    }

    private void Deliver(Identity from, SessionClient to, Content content, long timestampMs) =>
        Swarm.Inject(to.SessionId, MessageCodec.EncodeForRecipient(from, SessionInterop.Crypto.SessionId.Parse(to.SessionId), content, timestampMs),
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    private static List<SessionEvent> Drain(SessionClient client, int count) =>
        DrainUntil(client, s => s.Count(e => e.Type is not (EventType.Connection or EventType.Log)) >= count)
            .Where(e => e.Type is not (EventType.Connection or EventType.Log)).ToList();

    [Test]
    public void A_reply_carries_the_quoted_message_the_senders_name_and_the_request_flag()
    {
        using Identity alice = Identity.Generate();
        using SessionClient bob = Open();
        long quoted = NextTimestamp(), sent = NextTimestamp();
        Deliver(alice, bob, Visible(d =>
        {
            d.Body = "yes, that one";
            d.Quote = new DataMessage.Types.Quote { Id = (ulong)quoted, Author = bob.SessionId }; // desktop sends id + author only
        }), sent);
        bob.Start();
        var events = Drain(bob, 2);
        SessionEvent reply = events.Single(e => e.Type == EventType.Message);
        Assert.That(Text(reply), Is.EqualTo("yes, that one"));
        Assert.That((reply.RefTimestampMs, reply.RefAuthor, reply.RefText), Is.EqualTo((quoted, bob.SessionId, "")));
        Assert.That((reply.Conversation, reply.Sender, reply.TimestampMs), Is.EqualTo((alice.SessionId.ToString(), alice.SessionId.ToString(), sent)));
        Assert.That(reply.DisplayName, Is.EqualTo("Alice"));
        Assert.That((reply.IsRequest, reply.Outgoing, reply.Flags), Is.EqualTo((true, false, EventFlags.Request)), "a first message from a stranger is a request");
        SessionEvent profile = events.Single(e => e.Type == EventType.Profile);
        Assert.That((profile.DisplayName, profile.Value, profile.Conversation), Is.EqualTo(("Alice", 1_700_000_000L, alice.SessionId.ToString())));
    }

    [Test]
    public void Reactions_receipts_typing_unsend_and_request_responses_become_their_events()
    {
        using Identity alice = Identity.Generate();
        using SessionClient bob = Open();
        bob.SetContact(alice.SessionId.ToString(), approved: true);
        long target = NextTimestamp();
        Deliver(alice, bob, Visible(d => d.Reaction = new DataMessage.Types.Reaction
            { Id = (ulong)target, Author = bob.SessionId, Emoji = "👍", Action = DataMessage.Types.Reaction.Types.Action.React }), NextTimestamp());
        Deliver(alice, bob, Visible(d => d.Reaction = new DataMessage.Types.Reaction
            { Id = (ulong)target, Author = bob.SessionId, Emoji = "👍", Action = DataMessage.Types.Reaction.Types.Action.Remove }), NextTimestamp());
        Deliver(alice, bob, new Content { ReceiptMessage = new ReceiptMessage { Type = ReceiptMessage.Types.Type.Read, Timestamp = { (ulong)target, (ulong)target + 1 } } }, NextTimestamp());
        long typingAt = NextTimestamp();
        Deliver(alice, bob, new Content { TypingMessage = new TypingMessage { Timestamp = (ulong)typingAt, Action = TypingMessage.Types.Action.Started } }, typingAt);
        long stoppedAt = NextTimestamp();
        Deliver(alice, bob, new Content { TypingMessage = new TypingMessage { Timestamp = (ulong)stoppedAt, Action = TypingMessage.Types.Action.Stopped } }, stoppedAt);
        long deleted = NextTimestamp() - 1000;
        Deliver(alice, bob, new Content { UnsendRequest = new UnsendRequest { Timestamp = (ulong)deleted, Author = alice.SessionId.ToString() } }, NextTimestamp());
        // Only the author may delete a message for everyone: this one names bob's message and is ignored.
        Deliver(alice, bob, new Content { UnsendRequest = new UnsendRequest { Timestamp = (ulong)target, Author = bob.SessionId } }, NextTimestamp());
        Deliver(alice, bob, new Content { MessageRequestResponse = new MessageRequestResponse { IsApproved = true, Profile = new LokiProfile { DisplayName = "Alice" } } }, NextTimestamp());
        bob.Start();
        var events = Drain(bob, 9);
        Assert.That(events.Select(e => e.Type), Is.EqualTo(new[]
        {
            EventType.Reaction, EventType.Profile, EventType.Reaction, EventType.Receipt, EventType.Receipt,
            EventType.Typing, EventType.Typing, EventType.Unsend, EventType.RequestResponse,
        }));
        var reactions = events.Where(e => e.Type == EventType.Reaction).ToList();
        Assert.That(reactions.Select(e => (e.RefTimestampMs, e.RefAuthor, e.Emoji, e.Value)),
            Is.EqualTo(new[] { (target, bob.SessionId, "👍", 0L), (target, bob.SessionId, "👍", 1L) }));
        Assert.That(events.Where(e => e.Type == EventType.Receipt).Select(e => e.RefTimestampMs), Is.EqualTo(new[] { target, target + 1 }));
        Assert.That(events.Where(e => e.Type == EventType.Typing).Select(e => e.Value), Is.EqualTo(new[] { 1L, 0L }));
        SessionEvent unsend = events.Single(e => e.Type == EventType.Unsend);
        Assert.That((unsend.RefTimestampMs, unsend.RefAuthor), Is.EqualTo((deleted, alice.SessionId.ToString())));
        SessionEvent response = events.Single(e => e.Type == EventType.RequestResponse);
        Assert.That((response.Value, response.DisplayName), Is.EqualTo((1L, "Alice")));
        Assert.That(events.All(e => !e.IsRequest), "an approved contact's messages are not requests");
        Assert.That(bob.Contacts().Single().ApprovedMe, Is.True, "the acceptance is kept in the Contacts config");
    }

    [Test]
    public void Disappearing_messages_carry_their_expiry_and_an_expired_one_is_never_delivered()
    {
        using Identity alice = Identity.Generate();
        using SessionClient bob = Open();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Deliver(alice, bob, Visible(d => d.Body = "gone already", type: Content.Types.ExpirationType.DeleteAfterSend, seconds: 30), now - 31_000);
        Deliver(alice, bob, Visible(d => d.Body = "read me once", type: Content.Types.ExpirationType.DeleteAfterRead, seconds: 3600), now - 20_000);
        Deliver(alice, bob, Visible(d => d.Body = "for a minute", type: Content.Types.ExpirationType.DeleteAfterSend, seconds: 60), now - 10_000);
        bob.Start();
        var messages = DrainUntil(bob, s => s.Count(e => e.Type == EventType.Message) >= 2).Where(e => e.Type == EventType.Message).ToList();
        Assert.That(messages.Select(e => (Text(e), e.ExpiryType, e.ExpirySeconds)),
            Is.EqualTo(new[] { ("read me once", 1u, 3600u), ("for a minute", 2u, 60u) }));
        Thread.Sleep(300);
        Assert.That(bob.Poll(64).Where(e => e.Type == EventType.Message), Is.Empty, "the expired message never arrives");
    }

    [Test]
    public void A_sync_message_from_another_device_is_outgoing_in_the_other_partys_conversation()
    {
        using Identity me = Identity.Generate(), carol = Identity.Generate();
        using SessionClient device = Open(configure: o => o.Seed = me.Seed.ToArray());
        long sent = NextTimestamp();
        Content sync = Visible(d => { d.Body = "sent from my phone"; d.SyncTarget = carol.SessionId.ToString(); }, name: "Me");
        Deliver(me, device, sync, sent);
        device.Start();
        SessionEvent e = Drain(device, 1).Single();
        Assert.That((e.Type, Text(e), e.Conversation, e.Sender), Is.EqualTo((EventType.Message, "sent from my phone", carol.SessionId.ToString(), me.SessionId.ToString())));
        Assert.That((e.Outgoing, e.IsRequest, e.Flags), Is.EqualTo((true, false, EventFlags.Outgoing)));
    }

    [Test]
    public void A_profile_event_comes_only_for_news_and_never_for_an_older_profile()
    {
        using Identity alice = Identity.Generate();
        using SessionClient bob = Open();
        Deliver(alice, bob, Visible(d => d.Body = "1", name: "Alice", profileSeconds: 100), NextTimestamp());
        Deliver(alice, bob, Visible(d => d.Body = "2", name: "Alice", profileSeconds: 100), NextTimestamp());        // same: no event
        Deliver(alice, bob, Visible(d => d.Body = "3", name: "Old name", profileSeconds: 50), NextTimestamp());      // older: ignored
        Deliver(alice, bob, Visible(d => d.Body = "4", name: "Alice B.", profileSeconds: 200), NextTimestamp());     // newer: event
        bob.Start();
        var events = DrainUntil(bob, s => s.Count(e => e.Type == EventType.Message) >= 4);
        Thread.Sleep(200);
        events.AddRange(bob.Poll(64));
        Assert.That(events.Where(e => e.Type == EventType.Profile).Select(e => e.DisplayName), Is.EqualTo(new[] { "Alice", "Alice B." }));
        Assert.That(events.Where(e => e.Type == EventType.Message).Select(e => e.DisplayName), Is.EqualTo(new[] { "Alice", "Alice", "Old name", "Alice B." }),
            "each message still says which name it carried");
    }

    [Test]
    public void Event_details_survive_a_restart_before_they_are_drained()
    {
        using Identity alice = Identity.Generate();
        string dir = NewDir();
        long quoted = NextTimestamp();
        using (SessionClient bob = Open(dir))
        {
            Deliver(alice, bob, Visible(d => { d.Body = "re"; d.Quote = new DataMessage.Types.Quote { Id = (ulong)quoted, Author = bob.SessionId, Text = "orig" }; },
                type: Content.Types.ExpirationType.DeleteAfterRead, seconds: 600), NextTimestamp());
            bob.Start();
            // Recorded but not polled: nothing is acknowledged.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!bob.HasEvents && DateTime.UtcNow < deadline) bob.Wait(TimeSpan.FromMilliseconds(100));
        }
        using SessionClient again = Open(dir);
        again.Start();
        SessionEvent reply = DrainUntil(again, s => s.Any(e => e.Type == EventType.Message)).First(e => e.Type == EventType.Message);
        Assert.That((reply.RefTimestampMs, reply.RefText, reply.ExpiryType, reply.ExpirySeconds, reply.IsRequest), Is.EqualTo((quoted, "orig", 1u, 600u, true)));
    }
}
