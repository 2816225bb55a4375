using NUnit.Framework;
using SessionInterop.Crypto;

namespace SessionInterop.Tests.Crypto;

public sealed class BlindedBoxTests
{
    private static IEnumerable<TestCaseData> Inbox() => Vectors.Cases("independent.json", "blinded_inbox");

    private static SessionId OwnId(Identity id, Case c) =>
        c.Long("kind") == 15 ? id.Blinded15(c.Bytes("server_pk")).Id : id.Blinded25(c.Bytes("server_pk")).Id;

    [TestCaseSource(nameof(Inbox))]
    public void Fixed_nonce_encryption_reproduces_the_wire_bytes(Case c)
    {
        using Identity sender = Identity.FromSeed(c.Bytes("sender_seed32"));
        using Identity recipient = Identity.FromSeed(c.Bytes("recipient_seed32"));
        Assert.That(OwnId(sender, c).ToString(), Is.EqualTo(c.Str("sender_id")));
        Assert.That(OwnId(recipient, c).ToString(), Is.EqualTo(c.Str("recipient_id")));
        byte[] wire = BlindedBox.Encrypt(sender, c.Bytes("server_pk"), SessionId.Parse(c.Str("recipient_id")), "hello"u8, c.Bytes("nonce"));
        Assert.That(Convert.ToHexStringLower(wire), Is.EqualTo(c.Str("wire")));
    }

    [TestCaseSource(nameof(Inbox))]
    public void The_documented_shared_key_opens_the_wire(Case c)
    {
        byte[] wire = c.Bytes("wire");
        byte[] inner = new byte[wire.Length - 1 - 24 - 16];
        Assert.That(Primitives.AeadDecrypt(wire.AsSpan(1, wire.Length - 25), wire.AsSpan(wire.Length - 24), c.Bytes("shared_key"), inner), Is.True);
        using Identity sender = Identity.FromSeed(c.Bytes("sender_seed32"));
        Assert.That(inner.AsSpan(inner.Length - 32).ToArray(), Is.EqualTo(sender.Ed25519PublicKey.ToArray()));
    }

    [TestCaseSource(nameof(Inbox))]
    public void Recipient_decrypts_the_vector_and_learns_the_real_sender(Case c)
    {
        using Identity recipient = Identity.FromSeed(c.Bytes("recipient_seed32"));
        BlindedOpened opened = BlindedBox.Decrypt(recipient, c.Bytes("server_pk"), c.Bytes("wire"), SessionId.Parse(c.Str("sender_id")), SessionId.Parse(c.Str("recipient_id")));
        Assert.That(opened.Message, Is.EqualTo("hello"u8.ToArray()));
        Assert.That(opened.Sender.ToString(), Is.EqualTo(c.Str("sender_session_id")));
        Assert.That(opened.Outgoing, Is.False);
    }

    [TestCaseSource(nameof(Inbox))]
    public void Sender_decrypts_its_own_outbox_copy(Case c)
    {
        using Identity sender = Identity.FromSeed(c.Bytes("sender_seed32"));
        BlindedOpened opened = BlindedBox.Decrypt(sender, c.Bytes("server_pk"), c.Bytes("wire"), SessionId.Parse(c.Str("sender_id")), SessionId.Parse(c.Str("recipient_id")));
        Assert.That(opened.Message, Is.EqualTo("hello"u8.ToArray()));
        Assert.That(opened.Outgoing, Is.True);
    }

    [TestCaseSource(nameof(Inbox))]
    public void A_wrong_version_byte_is_rejected(Case c)
    {
        using Identity recipient = Identity.FromSeed(c.Bytes("recipient_seed32"));
        byte[] wire = c.Bytes("wire");
        wire[0] = 1;
        var ex = Assert.Throws<SessionException>(() => BlindedBox.Decrypt(recipient, c.Bytes("server_pk"), wire, SessionId.Parse(c.Str("sender_id")), SessionId.Parse(c.Str("recipient_id"))));
        Assert.That(ex!.Code, Is.EqualTo("crypto.unknown_version"));
    }

    [TestCaseSource(nameof(Inbox))]
    public void A_tampered_wire_is_rejected(Case c)
    {
        using Identity recipient = Identity.FromSeed(c.Bytes("recipient_seed32"));
        byte[] wire = c.Bytes("wire");
        for (int i = 1; i < wire.Length; i++)
        {
            byte[] t = (byte[])wire.Clone();
            t[i] ^= 0x01;
            var ex = Assert.Throws<SessionException>(() => BlindedBox.Decrypt(recipient, c.Bytes("server_pk"), t, SessionId.Parse(c.Str("sender_id")), SessionId.Parse(c.Str("recipient_id"))));
            Assert.That(ex!.Status, Is.EqualTo(SessionStatus.ECrypto));
        }
    }

    [TestCase(15)]
    [TestCase(25)]
    public void A_sender_id_that_does_not_match_the_inner_key_is_rejected(int kind)
    {
        // Mallory encrypts to Bob but the item claims Carol's blinded id: the key derivation uses
        // the claimed id, so either decryption or the sender check must fail.
        using Identity mallory = TestRandom.NewIdentity();
        using Identity carol = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        byte[] server = new byte[32];
        TestRandom.Rng.NextBytes(server);
        SessionId Id(Identity i) => kind == 15 ? i.Blinded15(server).Id : i.Blinded25(server).Id;
        byte[] wire = BlindedBox.Encrypt(mallory, server, Id(bob), "hi"u8);
        var ex = Assert.Throws<SessionException>(() => BlindedBox.Decrypt(bob, server, wire, Id(carol), Id(bob)));
        Assert.That(ex!.Status, Is.EqualTo(SessionStatus.ECrypto));
    }

    [Test]
    public void A_valid_box_whose_inner_key_is_not_the_claimed_sender_is_rejected()
    {
        // Build a box with the right shared key (Mallory's) but a different Ed25519 key inside.
        using Identity mallory = TestRandom.NewIdentity();
        using Identity carol = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        byte[] server = new byte[32];
        TestRandom.Rng.NextBytes(server);
        SessionId m = mallory.Blinded15(server).Id, b = bob.Blinded15(server).Id;
        byte[] point = new byte[32], key = new byte[32];
        Assert.That(Primitives.PointMul(point, mallory.X25519SecretKey, b.Key), Is.True);
        Primitives.Blake2b(key, default, point, m.Key, b.Key);
        byte[] inner = [.. "hi"u8, .. carol.Ed25519PublicKey];
        byte[] nonce = new byte[24];
        byte[] ct = new byte[inner.Length + 16];
        Primitives.AeadEncrypt(inner, nonce, key, ct);
        byte[] wire = [0, .. ct, .. nonce];
        var ex = Assert.Throws<SessionException>(() => BlindedBox.Decrypt(bob, server, wire, m, b));
        Assert.That(ex!.Code, Is.EqualTo("crypto.sender_mismatch"));
    }

    [Test]
    public void Mixed_or_unblinded_prefixes_and_short_input_are_rejected()
    {
        using Identity bob = TestRandom.NewIdentity();
        byte[] server = new byte[32];
        SessionId b15 = bob.Blinded15(server).Id, b25 = bob.Blinded25(server).Id;
        var ex = Assert.Throws<SessionException>(() => BlindedBox.Decrypt(bob, server, new byte[100], b15, b25));
        Assert.That(ex!.Code, Is.EqualTo("id.wrong_prefix"));
        ex = Assert.Throws<SessionException>(() => BlindedBox.Decrypt(bob, server, new byte[40], b15, b15));
        Assert.That(ex!.Code, Is.EqualTo("crypto.ciphertext_too_short"));
        ex = Assert.Throws<SessionException>(() => BlindedBox.Encrypt(bob, server, bob.SessionId, "x"u8));
        Assert.That(ex!.Code, Is.EqualTo("id.wrong_prefix"));
    }

    [Test, Repeat(30)]
    public void Random_accounts_round_trip_with_both_blindings()
    {
        using Identity alice = TestRandom.NewIdentity();
        using Identity bob = TestRandom.NewIdentity();
        byte[] server = new byte[32];
        TestRandom.Rng.NextBytes(server);
        byte[] message = new byte[TestRandom.Rng.Next(0, 500)];
        TestRandom.Rng.NextBytes(message);
        foreach (bool use25 in new[] { false, true })
        {
            SessionId a = use25 ? alice.Blinded25(server).Id : alice.Blinded15(server).Id;
            SessionId b = use25 ? bob.Blinded25(server).Id : bob.Blinded15(server).Id;
            byte[] wire = BlindedBox.Encrypt(alice, server, b, message);
            Assert.That(wire, Has.Length.EqualTo(message.Length + BlindedBox.Overhead));
            BlindedOpened opened = BlindedBox.Decrypt(bob, server, wire, a, b);
            Assert.That(opened.Message, Is.EqualTo(message));
            Assert.That(opened.Sender, Is.EqualTo(alice.SessionId));
            Assert.That(BlindedBox.Decrypt(alice, server, wire, a, b).Outgoing, Is.True);
        }
    }
}
