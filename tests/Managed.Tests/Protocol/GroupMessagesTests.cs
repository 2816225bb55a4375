using Google.Protobuf;
using NUnit.Framework;
using SessionInterop.Crypto;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Tests.Protocol;

public sealed class GroupMessagesTests
{
    private static IEnumerable<TestCaseData> Vector() => Vectors.Cases("independent.json", "group_message");

    private static SessionId GroupId(Case c)
    {
        using Identity group = Identity.FromSeed(c.Bytes("group_seed32"));
        return SessionId.FromKey(SessionIdPrefix.Group, group.Ed25519PublicKey);
    }

    [TestCaseSource(nameof(Vector))]
    public void Fixed_nonce_uncompressed_encryption_reproduces_the_vector(Case c)
    {
        using Identity sender = Identity.FromSeed(c.Bytes("sender_seed32"));
        SessionId groupId = GroupId(c);
        Assert.That(groupId.ToString(), Is.EqualTo(c.Str("group_id")));
        byte[] wire = GroupMessages.Encrypt(sender, groupId, c.Bytes("group_key"), Messages.Text(c.Str("body")), c.Long("timestamp"), c.Bytes("nonce"), compress: false);
        Assert.That(wire, Has.Length.EqualTo(256));
        Assert.That(Convert.ToHexStringLower(wire), Is.EqualTo(c.Str("wire")));
    }

    [TestCaseSource(nameof(Vector))]
    public void The_vector_decrypts_to_its_envelope_content_and_sender(Case c)
    {
        byte[] otherKey = new byte[32];
        DecodedMessage decoded = GroupMessages.Decrypt([otherKey, c.Bytes("group_key")], GroupId(c), c.Bytes("wire"));
        using Identity sender = Identity.FromSeed(c.Bytes("sender_seed32"));
        Assert.That(decoded.Sender, Is.EqualTo(sender.SessionId));
        Assert.That(decoded.Content.DataMessage.Body, Is.EqualTo(c.Str("body")));
        Assert.That(decoded.TimestampMs, Is.EqualTo(c.Long("timestamp")));
    }

    [TestCaseSource(nameof(Vector))]
    public void The_vector_envelope_and_signature_match(Case c)
    {
        using Identity sender = Identity.FromSeed(c.Bytes("sender_seed32"));
        byte[] plain = new byte[(int)c.Long("padded_length")];
        byte[] wire = c.Bytes("wire");
        Assert.That(Primitives.AeadDecrypt(wire.AsSpan(24), wire.AsSpan(0, 24), c.Bytes("group_key"), plain), Is.True);
        var dict = Bencode.ParseDict(plain.AsMemory(0, (int)c.Long("dict_length")));
        Assert.That(Convert.ToHexStringLower(dict["d"].Bytes!.Value.Span), Is.EqualTo(c.Str("envelope")));
        Assert.That(Convert.ToHexStringLower(dict["s"].Bytes!.Value.Span), Is.EqualTo(c.Str("signature")));
        Assert.That(plain.Skip((int)c.Long("dict_length")), Is.All.EqualTo((byte)0));
    }

    [TestCaseSource(nameof(Vector))]
    public void A_pre_PR21_signature_over_the_data_only_is_rejected(Case c)
    {
        using Identity sender = Identity.FromSeed(c.Bytes("sender_seed32"));
        byte[] envelope = c.Bytes("envelope");
        byte[] sig = new byte[64];
        Primitives.Sign(sender.Ed25519SecretKey, envelope, sig);
        byte[] dict = new Bencode.DictWriter().Int("", 1).Bytes("a", sender.Ed25519PublicKey).Bytes("d", envelope).Bytes("s", sig).Finish();
        var ex = Assert.Throws<SessionException>(() => GroupMessages.Decrypt([c.Bytes("group_key")], GroupId(c), Seal(dict, c.Bytes("group_key"))));
        Assert.That(ex!.Code, Is.EqualTo("crypto.bad_signature"));
    }

    [TestCaseSource(nameof(Vector))]
    public void A_dict_with_both_d_and_z_is_rejected(Case c)
    {
        using Identity sender = Identity.FromSeed(c.Bytes("sender_seed32"));
        byte[] envelope = c.Bytes("envelope");
        byte[] dict = new Bencode.DictWriter().Int("", 1).Bytes("a", sender.Ed25519PublicKey).Bytes("d", envelope)
            .Bytes("s", c.Bytes("signature")).Bytes("z", envelope).Finish();
        var ex = Assert.Throws<SessionException>(() => GroupMessages.Decrypt([c.Bytes("group_key")], GroupId(c), Seal(dict, c.Bytes("group_key"))));
        Assert.That(ex!.Code, Is.EqualTo("message.malformed"));
    }

    [TestCaseSource(nameof(Vector))]
    public void No_matching_key_or_a_wrong_group_fails(Case c)
    {
        var ex = Assert.Throws<SessionException>(() => GroupMessages.Decrypt([new byte[32]], GroupId(c), c.Bytes("wire")));
        Assert.That(ex!.Code, Is.EqualTo("crypto.decrypt_failed"));
        using Identity otherGroup = TestRandom.NewIdentity();
        ex = Assert.Throws<SessionException>(() => GroupMessages.Decrypt([c.Bytes("group_key")], SessionId.FromKey(SessionIdPrefix.Group, otherGroup.Ed25519PublicKey), c.Bytes("wire")));
        Assert.That(ex!.Code, Is.EqualTo("crypto.bad_signature"));
    }

    [Test]
    public void A_long_message_is_compressed_and_round_trips()
    {
        using Identity sender = TestRandom.NewIdentity();
        using Identity group = TestRandom.NewIdentity();
        SessionId groupId = SessionId.FromKey(SessionIdPrefix.Group, group.Ed25519PublicKey);
        byte[] key = new byte[32];
        TestRandom.Rng.NextBytes(key);
        string body = string.Concat(Enumerable.Repeat("hello group, ", 200));
        byte[] wire = GroupMessages.Encrypt(sender, groupId, key, Messages.Text(body), 1000);
        Assert.That(wire.Length % 256, Is.Zero);
        Assert.That(wire.Length, Is.LessThan(body.Length), "zstd should have shrunk a repetitive body");
        DecodedMessage decoded = GroupMessages.Decrypt([key], groupId, wire);
        Assert.That(decoded.Content.DataMessage.Body, Is.EqualTo(body));
        Assert.That(decoded.Sender, Is.EqualTo(sender.SessionId));
    }

    [Test, Repeat(20)]
    public void Random_messages_round_trip_and_tampering_is_rejected()
    {
        using Identity sender = TestRandom.NewIdentity();
        using Identity group = TestRandom.NewIdentity();
        SessionId groupId = SessionId.FromKey(SessionIdPrefix.Group, group.Ed25519PublicKey);
        byte[] key = new byte[32];
        TestRandom.Rng.NextBytes(key);
        string body = Convert.ToBase64String(RandomBytes(TestRandom.Rng.Next(1, 600)));
        byte[] wire = GroupMessages.Encrypt(sender, groupId, key, Messages.Text(body), 1000);
        Assert.That(GroupMessages.Decrypt([key], groupId, wire).Content.DataMessage.Body, Is.EqualTo(body));
        wire[TestRandom.Rng.Next(wire.Length)] ^= 0x10;
        Assert.Throws<SessionException>(() => GroupMessages.Decrypt([key], groupId, wire));
    }

    [Test]
    public void Malformed_bencode_is_rejected()
    {
        foreach (string bad in new[] { "", "d", "de!", "d1:ai1e1:ai2ee", "d1:bi1e1:ai2ee", "d01:ai1ee", "d1:ai-0ee", "d1:a5:abce", "l1:ae" })
        {
            var ex = Assert.Throws<SessionException>(() => Bencode.ParseDict(System.Text.Encoding.ASCII.GetBytes(bad)), bad);
            Assert.That(ex!.Code, Is.EqualTo("message.malformed"), bad);
        }
        var ok = Bencode.ParseDict("d0:i1e1:a2:hie"u8.ToArray());
        Assert.That(ok[""].Int, Is.EqualTo(1));
        Assert.That(ok["a"].Bytes!.Value.ToArray(), Is.EqualTo("hi"u8.ToArray()));
    }

    private static byte[] Seal(byte[] dict, byte[] key)
    {
        int padded = (dict.Length + 40 + 255) / 256 * 256 - 40;
        byte[] plain = new byte[padded];
        dict.CopyTo(plain, 0);
        byte[] nonce = RandomBytes(24);
        byte[] wire = new byte[24 + padded + 16];
        nonce.CopyTo(wire, 0);
        Primitives.AeadEncrypt(plain, nonce, key, wire.AsSpan(24));
        return wire;
    }

    private static byte[] RandomBytes(int n)
    {
        byte[] b = new byte[n];
        TestRandom.Rng.NextBytes(b);
        return b;
    }
}
