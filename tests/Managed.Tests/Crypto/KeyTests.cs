using NUnit.Framework;
using SessionInterop.Crypto;

namespace SessionInterop.Tests.Crypto;

public sealed class KeyTests
{
    private static IEnumerable<TestCaseData> OfficialKeys() =>
        Vectors.Cases("lsu-session-encrypt.json", "keys");

    private static IEnumerable<TestCaseData> BlindingTestKeys()
    {
        var file = Vectors.Load("lsu-blinding.json");
        foreach (TestCaseData data in Vectors.Cases("lsu-blinding.json", "keys"))
        {
            var c = (Case)data.Arguments[0]!;
            string seed = file.GetProperty("seeds").GetProperty(c.Str("seed")).GetString()!;
            yield return new TestCaseData(seed, c.Str("ed25519_pk"), c.Str("session_id")).SetArgDisplayNames(c.Str("seed"));
        }
    }

    [TestCaseSource(nameof(OfficialKeys))]
    public void Seed_derives_the_official_ed25519_key_and_session_id(Case c)
    {
        using Identity id = Identity.FromSeed(c.Bytes("seed32"));
        Assert.That(Convert.ToHexStringLower(id.Ed25519PublicKey), Is.EqualTo(c.Str("ed25519_pk")));
        Assert.That(id.SessionId.ToString(), Is.EqualTo(c.Str("session_id")));
    }

    [TestCaseSource(nameof(OfficialKeys))]
    public void A_16_byte_seed_is_padded_with_zeros_like_the_apps(Case c)
    {
        byte[] seed32 = c.Bytes("seed32");
        using Identity id16 = Identity.FromSeed(seed32.AsSpan(0, 16));
        Assert.That(id16.SessionId.ToString(), Is.EqualTo(c.Str("session_id")));
    }

    [TestCaseSource(nameof(BlindingTestKeys))]
    public void Full_32_byte_seed_derives_the_official_keys(string seed, string edPk, string sessionId)
    {
        using Identity id = Identity.FromSeed(Vectors.Hex(seed));
        Assert.That(Convert.ToHexStringLower(id.Ed25519PublicKey), Is.EqualTo(edPk));
        Assert.That(id.SessionId.ToString(), Is.EqualTo(sessionId));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { "independent.json", "x25519_secret_keys" })]
    public void X25519_secret_key_matches_the_independent_vector(Case c)
    {
        using Identity id = Identity.FromSeed(c.Bytes("seed32"));
        Assert.That(Convert.ToHexStringLower(id.X25519SecretKey), Is.EqualTo(c.Str("x25519_sk")));
        Span<byte> pub = stackalloc byte[32];
        Primitives.X25519Base(id.X25519SecretKey, pub);
        Assert.That(pub.ToArray(), Is.EqualTo(id.X25519PublicKey.ToArray()));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { "independent.json", "retrieve_signature" })]
    public void Plain_ed25519_signature_matches_the_retrieve_vector(Case c)
    {
        using Identity id = Identity.FromSeed(c.Bytes("seed16"));
        Assert.That(Convert.ToHexStringLower(id.Ed25519PublicKey), Is.EqualTo(c.Str("ed25519_pk")));
        Assert.That(id.SessionId.ToString(), Is.EqualTo(c.Str("session_id")));
        byte[] sig = new byte[64];
        Primitives.Sign(id.Ed25519SecretKey, System.Text.Encoding.ASCII.GetBytes(c.Str("message_ascii")), sig);
        Assert.That(Convert.ToBase64String(sig), Is.EqualTo(c.Str("signature_base64")));
    }

    [TestCase(0)]
    [TestCase(15)]
    [TestCase(17)]
    [TestCase(64)]
    public void Seeds_of_other_lengths_are_rejected(int length)
    {
        var ex = Assert.Throws<SessionException>(() => Identity.FromSeed(new byte[length]));
        Assert.That(ex!.Code, Is.EqualTo("key.bad_seed_length"));
    }

    [Test]
    public void Dispose_zeroes_the_secret_and_blocks_further_use()
    {
        Identity id = Identity.FromSeed(Vectors.Hex("0123456789abcdef0123456789abcdef"));
        id.Dispose();
        var ex = Assert.Throws<SessionException>(() => _ = id.Ed25519SecretKey.Length);
        Assert.That(ex!.Code, Is.EqualTo("identity.disposed"));
        Assert.That(ex.Status, Is.EqualTo(SessionStatus.EWrongState));
    }

    [Test]
    public void Generated_identities_are_distinct_and_round_trip_through_their_phrase()
    {
        using Identity a = Identity.Generate();
        using Identity b = Identity.Generate();
        Assert.That(a.SessionId, Is.Not.EqualTo(b.SessionId));
        string phrase = a.ToRecoveryPhrase();
        Assert.That(phrase.Split(' '), Has.Length.EqualTo(13));
        using Identity restored = Identity.FromRecoveryPhrase(phrase);
        Assert.That(restored.SessionId, Is.EqualTo(a.SessionId));
    }
}
