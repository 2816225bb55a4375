using NUnit.Framework;
using SessionInterop.Crypto;

namespace SessionInterop.Tests.Crypto;

public sealed class SessionBoxTests
{
    private static readonly byte[] s_seed1 = Vectors.Hex("0123456789abcdef0123456789abcdef");
    private static readonly byte[] s_seed2 = Vectors.Hex("00112233445566778899aabbccddeeff");

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { "lsu-session-encrypt.json", "deterministic_box" })]
    public void Deterministic_seal_reproduces_the_official_ciphertext(Case c)
    {
        using Identity sender = Identity.FromSeed(c.Bytes("sender_seed32"));
        SessionId recipient = SessionId.Parse(c.Str("recipient_id"));
        byte[] sealedBox = SessionBox.SealDeterministic(sender, recipient.Key, System.Text.Encoding.ASCII.GetBytes(c.Str("message_ascii")));
        Assert.That(Convert.ToHexStringLower(sealedBox), Is.EqualTo(c.Str("ciphertext")));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { "lsu-session-encrypt.json", "deterministic_box" })]
    public void Open_recovers_the_official_message_and_sender(Case c)
    {
        using Identity recipient = Identity.FromSeed(c.Bytes("recipient_seed32"));
        OpenedMessage opened = SessionBox.Open(recipient, c.Bytes("ciphertext"));
        Assert.That(System.Text.Encoding.ASCII.GetString(opened.Message), Is.EqualTo(c.Str("message_ascii")));
        Assert.That(Convert.ToHexStringLower(opened.SenderEd25519), Is.EqualTo(c.Str("sender_ed25519_pk")));
        Assert.That(opened.Sender.ToString(), Is.EqualTo(c.Str("sender_id")));
    }

    [Test]
    public void Random_seal_of_the_same_input_differs_each_time()
    {
        using Identity sender = Identity.FromSeed(s_seed1);
        using Identity recipient = Identity.FromSeed(s_seed2);
        byte[] a = SessionBox.Seal(sender, recipient.X25519PublicKey, "hello"u8);
        byte[] b = SessionBox.Seal(sender, recipient.X25519PublicKey, "hello"u8);
        Assert.That(a, Is.Not.EqualTo(b));
        Assert.That(a, Has.Length.EqualTo(5 + SessionBox.Overhead));
    }

    [Test]
    public void Open_names_each_sender_when_senders_alternate()
    {
        // The recipient remembers the last sender's Ed→X conversion: it must never answer for another.
        using Identity alice = Identity.FromSeed(s_seed1);
        using Identity bob = Identity.FromSeed(Vectors.Hex("ffeeddccbbaa99887766554433221100"));
        using Identity recipient = Identity.FromSeed(s_seed2);
        foreach (Identity sender in new[] { alice, alice, bob, alice, bob, bob })
        {
            OpenedMessage opened = SessionBox.Open(recipient, SessionBox.Seal(sender, recipient.X25519PublicKey, "hi"u8));
            Assert.That(opened.Sender, Is.EqualTo(sender.SessionId));
            Assert.That(opened.SenderEd25519, Is.EqualTo(sender.Ed25519PublicKey.ToArray()));
        }
    }

    [Test]
    public void Open_with_the_senders_own_key_fails()
    {
        using Identity sender = Identity.FromSeed(s_seed1);
        using Identity recipient = Identity.FromSeed(s_seed2);
        byte[] sealedBox = SessionBox.Seal(sender, recipient.X25519PublicKey, "hello"u8);
        Expect.Failure(() => SessionBox.Open(sender, sealedBox), "crypto.decrypt_failed", SessionStatus.ECrypto);
    }

    [Test]
    public void Open_rejects_every_single_flipped_bit()
    {
        using Identity sender = Identity.FromSeed(s_seed1);
        using Identity recipient = Identity.FromSeed(s_seed2);
        byte[] sealedBox = SessionBox.SealDeterministic(sender, recipient.X25519PublicKey, "hello"u8);
        for (int bit = 0; bit < sealedBox.Length * 8; bit++)
        {
            byte[] tampered = (byte[])sealedBox.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            var ex = Assert.Throws<SessionException>(() => SessionBox.Open(recipient, tampered), $"bit {bit}");
            Assert.That(ex!.Status, Is.EqualTo(SessionStatus.ECrypto));
        }
    }

    [TestCase(0)]
    [TestCase(47)]
    [TestCase(143)]
    public void Open_rejects_truncated_ciphertext(int length)
    {
        using Identity recipient = Identity.FromSeed(s_seed2);
        Expect.Failure(() => SessionBox.Open(recipient, new byte[length]), "crypto.ciphertext_too_short", SessionStatus.ECrypto);
    }

    [Test]
    public void Open_rejects_a_valid_box_whose_signature_was_made_by_someone_else()
    {
        using Identity sender = Identity.FromSeed(s_seed1);
        using Identity impostor = TestRandom.NewIdentity();
        using Identity recipient = Identity.FromSeed(s_seed2);
        byte[] sig = SignInner(impostor, sender.Ed25519PublicKey, recipient.X25519PublicKey);
        byte[] box = Forge(sender.Ed25519PublicKey, sig, recipient);
        Expect.Failure(() => SessionBox.Open(recipient, box), "crypto.bad_signature", SessionStatus.ECrypto);
    }

    [Test]
    public void Open_rejects_a_box_whose_sender_key_was_replaced_by_another_valid_key()
    {
        // §10.5: P = M ‖ A' ‖ sig where sig is A's genuine signature over M ‖ A ‖ Y.
        using Identity sender = Identity.FromSeed(s_seed1);
        using Identity other = TestRandom.NewIdentity();
        using Identity recipient = Identity.FromSeed(s_seed2);
        byte[] sig = SignInner(sender, sender.Ed25519PublicKey, recipient.X25519PublicKey);
        byte[] box = Forge(other.Ed25519PublicKey, sig, recipient);
        Expect.Failure(() => SessionBox.Open(recipient, box), "crypto.bad_signature", SessionStatus.ECrypto);
    }

    [Test]
    public void Open_rejects_a_flipped_signature_byte_inside_the_box()
    {
        using Identity sender = Identity.FromSeed(s_seed1);
        using Identity recipient = Identity.FromSeed(s_seed2);
        byte[] sig = SignInner(sender, sender.Ed25519PublicKey, recipient.X25519PublicKey);
        sig[10] ^= 1;
        byte[] box = Forge(sender.Ed25519PublicKey, sig, recipient);
        Expect.Failure(() => SessionBox.Open(recipient, box), "crypto.bad_signature", SessionStatus.ECrypto);
    }

    [Test]
    public void Open_rejects_a_box_signed_for_another_recipient()
    {
        // The recipient key is inside the signature: re-sealing a message signed for C to B fails.
        using Identity sender = Identity.FromSeed(s_seed1);
        using Identity other = TestRandom.NewIdentity();
        using Identity recipient = Identity.FromSeed(s_seed2);
        byte[] sig = SignInner(sender, sender.Ed25519PublicKey, other.X25519PublicKey);
        byte[] box = Forge(sender.Ed25519PublicKey, sig, recipient);
        Expect.Failure(() => SessionBox.Open(recipient, box), "crypto.bad_signature", SessionStatus.ECrypto);
    }

    [Test]
    public void Seal_to_a_low_order_key_is_refused()
    {
        using Identity sender = Identity.FromSeed(s_seed1);
        Expect.Failure(() => SessionBox.Seal(sender, new byte[32], "x"u8), "crypto.bad_recipient_key", SessionStatus.ECrypto);
        Expect.Failure(() => SessionBox.SealDeterministic(sender, new byte[32], "x"u8), "crypto.bad_recipient_key", SessionStatus.ECrypto);
    }

    [Test]
    public void Span_open_writes_message_and_sender_key_into_caller_buffers()
    {
        using Identity sender = Identity.FromSeed(s_seed1);
        using Identity recipient = Identity.FromSeed(s_seed2);
        byte[] sealedBox = SessionBox.Seal(sender, recipient.X25519PublicKey, "hello"u8);
        byte[] message = new byte[5];
        byte[] senderEd = new byte[32];
        SessionId from = SessionBox.Open(recipient, sealedBox, message, senderEd);
        Assert.That(message, Is.EqualTo("hello"u8.ToArray()));
        Assert.That(senderEd, Is.EqualTo(sender.Ed25519PublicKey.ToArray()));
        Assert.That(from, Is.EqualTo(sender.SessionId));
        Expect.Failure(() => SessionBox.Open(recipient, sealedBox, new byte[4], senderEd), "crypto.bad_length");
    }

    [Test]
    public void Seal_accepts_a_05_id_and_rejects_other_prefixes()
    {
        using Identity sender = Identity.FromSeed(s_seed1);
        using Identity recipient = Identity.FromSeed(s_seed2);
        byte[] viaId = SessionBox.SealDeterministic(sender, recipient.SessionId.AsSpan(), "x"u8);
        byte[] viaKey = SessionBox.SealDeterministic(sender, recipient.X25519PublicKey, "x"u8);
        Assert.That(viaId, Is.EqualTo(viaKey));
        byte[] blinded = recipient.SessionId.AsSpan().ToArray();
        blinded[0] = 0x15;
        var ex = Assert.Throws<SessionException>(() => SessionBox.Seal(sender, blinded, "x"u8));
        Assert.That(ex!.Code, Is.EqualTo("id.wrong_prefix"));
    }

    [Test, Repeat(100)]
    public void Random_identities_and_messages_round_trip()
    {
        using Identity sender = TestRandom.NewIdentity();
        using Identity recipient = TestRandom.NewIdentity();
        byte[] message = new byte[TestRandom.Rng.Next(0, 2000)];
        TestRandom.Rng.NextBytes(message);
        OpenedMessage opened = SessionBox.Open(recipient, SessionBox.Seal(sender, recipient.X25519PublicKey, message));
        Assert.That(opened.Message, Is.EqualTo(message));
        Assert.That(opened.Sender, Is.EqualTo(sender.SessionId));
    }

    [Test, Repeat(50)]
    public void A_random_tampered_byte_is_always_rejected()
    {
        using Identity sender = TestRandom.NewIdentity();
        using Identity recipient = TestRandom.NewIdentity();
        byte[] message = new byte[TestRandom.Rng.Next(1, 300)];
        TestRandom.Rng.NextBytes(message);
        byte[] sealedBox = SessionBox.Seal(sender, recipient.X25519PublicKey, message);
        sealedBox[TestRandom.Rng.Next(sealedBox.Length)] ^= (byte)TestRandom.Rng.Next(1, 256);
        var ex = Assert.Throws<SessionException>(() => SessionBox.Open(recipient, sealedBox));
        Assert.That(ex!.Status, Is.EqualTo(SessionStatus.ECrypto));
    }

    private static readonly byte[] s_message = "hello"u8.ToArray();

    /// <summary>signer's signature over "hello" ‖ <paramref name="senderKey"/> ‖ <paramref name="recipientX"/>.</summary>
    private static byte[] SignInner(Identity signer, ReadOnlySpan<byte> senderKey, ReadOnlySpan<byte> recipientX)
    {
        byte[] sig = new byte[64];
        Primitives.Sign(signer.Ed25519SecretKey, [.. s_message, .. senderKey, .. recipientX], sig);
        return sig;
    }

    /// <summary>A genuine sealed box to <paramref name="recipient"/> of "hello" ‖ key ‖ sig, built by hand.</summary>
    private static byte[] Forge(ReadOnlySpan<byte> keyInside, byte[] sig, Identity recipient)
    {
        byte[] plain = [.. s_message, .. keyInside, .. sig];
        byte[] box = new byte[plain.Length + Primitives.SealOverhead];
        Primitives.Seal(plain, recipient.X25519PublicKey, box);
        return box;
    }
}
