using Google.Protobuf;
using NUnit.Framework;
using SessionInterop.Crypto;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Tests.Protocol;

public sealed class CommunityMessagesTests
{
    private static byte[] RandomServer()
    {
        byte[] server = new byte[32];
        TestRandom.Rng.NextBytes(server);
        return server;
    }

    [Test]
    public void A_post_round_trips_and_its_signature_covers_the_raw_padded_bytes()
    {
        using Identity author = TestRandom.NewIdentity();
        byte[] server = RandomServer();
        const long t = 1_754_971_101_000;
        CommunityPost post = CommunityMessages.EncodePost(author, server, Messages.Text("hello room", "Alice"), t);
        byte[] data = Convert.FromBase64String(post.Data);
        Assert.That(data.Length % 160, Is.Zero);
        SessionId blinded = author.Blinded15(server).Id;
        Assert.That(Primitives.Verify(Convert.FromBase64String(post.Signature), data, blinded.Key), Is.True);

        Content content = CommunityMessages.DecodePost(post.Data, post.Signature, blinded, postedSeconds: t / 1000.0 + 3);
        Assert.That(content.DataMessage.Body, Is.EqualTo("hello room"));
        Assert.That(content.DataMessage.Profile.DisplayName, Is.EqualTo("Alice"));
        Assert.That(content.SigTimestamp, Is.EqualTo((ulong)t));
    }

    [Test]
    public void A_post_signed_by_someone_else_is_rejected()
    {
        using Identity author = TestRandom.NewIdentity();
        using Identity other = TestRandom.NewIdentity();
        byte[] server = RandomServer();
        CommunityPost post = CommunityMessages.EncodePost(author, server, Messages.Text("x"), 1000);
        var ex = Assert.Throws<SessionException>(() => CommunityMessages.DecodePost(post.Data, post.Signature, other.Blinded15(server).Id));
        Assert.That(ex!.Code, Is.EqualTo("crypto.bad_signature"));
    }

    [Test]
    public void A_post_with_modified_data_is_rejected()
    {
        using Identity author = TestRandom.NewIdentity();
        byte[] server = RandomServer();
        CommunityPost post = CommunityMessages.EncodePost(author, server, Messages.Text("x"), 1000);
        byte[] data = Convert.FromBase64String(post.Data);
        data[3] ^= 1;
        var ex = Assert.Throws<SessionException>(() => CommunityMessages.DecodePost(Convert.ToBase64String(data), post.Signature, author.Blinded15(server).Id));
        Assert.That(ex!.Code, Is.EqualTo("crypto.bad_signature"));
    }

    [Test]
    public void A_post_too_far_from_its_posted_time_is_rejected()
    {
        using Identity author = TestRandom.NewIdentity();
        byte[] server = RandomServer();
        const long t = 1_754_971_101_000;
        CommunityPost post = CommunityMessages.EncodePost(author, server, Messages.Text("x"), t);
        var ex = Assert.Throws<SessionException>(() => CommunityMessages.DecodePost(post.Data, post.Signature, author.Blinded15(server).Id, t / 1000.0 + 7 * 3600));
        Assert.That(ex!.Code, Is.EqualTo("message.timestamp_mismatch"));
    }

    [Test]
    public void A_blind25_author_post_verifies_with_plain_ed25519()
    {
        using Identity author = TestRandom.NewIdentity();
        byte[] server = RandomServer();
        var content = Messages.Text("hi 25");
        content.SigTimestamp = 1000;
        byte[] padded = Padding.Pad(content.ToByteArray());
        byte[] sig = new byte[64];
        Blinding.Sign25(author, server, padded, sig);
        Content decoded = CommunityMessages.DecodePost(Convert.ToBase64String(padded), Convert.ToBase64String(sig), author.Blinded25(server).Id);
        Assert.That(decoded.DataMessage.Body, Is.EqualTo("hi 25"));
    }

    [Test, Repeat(20)]
    public void An_unblinded_05_post_verifies_with_the_curve25519_js_scheme()
    {
        // An Ed25519 signature with the key's sign bit stored in bit 7 of the last byte is exactly
        // what the curve25519-js verifier desktop uses accepts for the matching X25519 key.
        using Identity author = TestRandom.NewIdentity();
        var content = Messages.Text("legacy");
        byte[] padded = Padding.Pad(content.ToByteArray());
        byte[] sig = new byte[64];
        Primitives.Sign(author.Ed25519SecretKey, padded, sig);
        sig[63] |= (byte)(author.Ed25519PublicKey[31] & 0x80);
        Content decoded = CommunityMessages.DecodePost(Convert.ToBase64String(padded), Convert.ToBase64String(sig), author.SessionId);
        Assert.That(decoded.DataMessage.Body, Is.EqualTo("legacy"));
        sig[63] ^= 0x80;   // wrong sign bit → wrong Edwards key
        Assert.Throws<SessionException>(() => CommunityMessages.DecodePost(Convert.ToBase64String(padded), Convert.ToBase64String(sig), author.SessionId));
    }

    [Test]
    public void Posts_by_group_or_unblinded_header_ids_and_bad_base64_are_rejected()
    {
        using Identity author = TestRandom.NewIdentity();
        SessionId header = SessionId.FromKey(SessionIdPrefix.Unblinded, author.Ed25519PublicKey);
        var ex = Assert.Throws<SessionException>(() => CommunityMessages.DecodePost("AAAA", Convert.ToBase64String(new byte[64]), header));
        Assert.That(ex!.Code, Is.EqualTo("id.wrong_prefix"));
        ex = Assert.Throws<SessionException>(() => CommunityMessages.DecodePost("*", "AAAA", author.SessionId));
        Assert.That(ex!.Code, Is.EqualTo("message.bad_base64"));
    }

    [Test]
    public void Inbox_messages_round_trip_with_the_real_sender_revealed_only_to_the_recipient()
    {
        using Identity alice = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        byte[] server = RandomServer();
        SessionId a = alice.Blinded15(server).Id, b = bob.Blinded15(server).Id;
        string message = CommunityMessages.EncodeInbox(alice, server, b, Messages.Text("psst", "Alice"), 5000);
        DecodedInboxMessage decoded = CommunityMessages.DecodeInbox(bob, server, message, a, b);
        Assert.That(decoded.Sender, Is.EqualTo(alice.SessionId));
        Assert.That(decoded.Content.DataMessage.Body, Is.EqualTo("psst"));
        Assert.That(decoded.Content.SigTimestamp, Is.EqualTo(5000UL));
        Assert.That(decoded.Outgoing, Is.False);
        Assert.That(CommunityMessages.DecodeInbox(alice, server, message, a, b).Outgoing, Is.True);
    }

    [Test]
    public void Inbox_content_that_is_not_protobuf_is_rejected()
    {
        using Identity alice = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        byte[] server = RandomServer();
        SessionId a = alice.Blinded25(server).Id, b = bob.Blinded25(server).Id;
        byte[] wire = BlindedBox.Encrypt(alice, server, b, Padding.Pad([0xff, 0xff, 0xff]));
        var ex = Assert.Throws<SessionException>(() => CommunityMessages.DecodeInbox(bob, server, Convert.ToBase64String(wire), a, b));
        Assert.That(ex!.Code, Is.EqualTo("message.malformed"));
    }
}
