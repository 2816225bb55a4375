using System.Text;
using NUnit.Framework;
using SessionInterop.Crypto;

namespace SessionInterop.Tests.Crypto;

public sealed class BlindingTests
{
    private const string File = "lsu-blinding.json";
    private static readonly System.Text.Json.JsonElement s_file = Vectors.Load(File);

    private static Identity Seed(Case c) =>
        Identity.FromSeed(Vectors.Hex(s_file.GetProperty("seeds").GetProperty(c.Str("seed")).GetString()!));

    private static byte[] Server(Case c) =>
        Vectors.Hex(s_file.GetProperty("servers").GetProperty(c.Str("server")).GetString()!);

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { File, "blind25_ids" })]
    public void Blind25_id_from_the_keypair_matches_the_official_vector(Case c)
    {
        using Identity id = Seed(c);
        Assert.That(id.Blinded25(Server(c)).Id.ToString(), Is.EqualTo(c.Str("id")));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { File, "blind25_ids" })]
    public void Blind25_id_from_the_session_id_matches_the_official_vector(Case c)
    {
        using Identity id = Seed(c);
        Assert.That(Blinding.Blind25Id(id.SessionId, Server(c)).ToString(), Is.EqualTo(c.Str("id")));
        Assert.That(Blinding.Matches(id.SessionId, SessionId.Parse(c.Str("id")), Server(c)), Is.True);
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { File, "blind15_ids" })]
    public void Blind15_first_candidate_matches_and_the_keypair_id_is_one_of_the_two(Case c)
    {
        using Identity id = Seed(c);
        var (first, second) = Blinding.Blind15Ids(id.SessionId, Server(c));
        Assert.That(first.ToString(), Is.EqualTo(c.Str("first_candidate")));
        Assert.That(second.AsSpan()[..32].ToArray(), Is.EqualTo(first.AsSpan()[..32].ToArray()));
        Assert.That(second.AsSpan()[32], Is.EqualTo(first.AsSpan()[32] ^ 0x80));
        Assert.That(id.Blinded15(Server(c)).Id, Is.AnyOf(first, second));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { "independent.json", "blind15_other_candidate" })]
    public void A_negative_key_blinds_to_the_sign_flipped_15_candidate(Case c)
    {
        using Identity id = Identity.FromSeed(c.Bytes("seed32"));
        SessionId own = id.Blinded15(c.Bytes("server_pk")).Id;
        Assert.That(own.ToString(), Is.EqualTo(c.Str("keypair_id")));
        Assert.That(Blinding.Matches(id.SessionId, own, c.Bytes("server_pk")), Is.True);
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { File, "blind25_signatures" })]
    public void Blind25_signature_matches_the_official_vector_and_verifies(Case c)
    {
        using Identity id = Seed(c);
        byte[] message = Encoding.UTF8.GetBytes(c.Str("message"));
        byte[] sig = new byte[64];
        Blinding.Sign25(id, Server(c), message, sig);
        Assert.That(Convert.ToHexStringLower(sig), Is.EqualTo(c.Str("signature")));
        Assert.That(Primitives.Verify(sig, message, id.Blinded25(Server(c)).PublicKey), Is.True);
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { File, "blind15_signatures" })]
    public void Blind15_signature_in_libsession_form_matches_the_official_vector_and_verifies(Case c)
    {
        using Identity id = Seed(c);
        byte[] message = Encoding.UTF8.GetBytes(c.Str("message"));
        byte[] sig = new byte[64];
        Blinding.Sign15(id, Server(c), message, sig);
        Assert.That(Convert.ToHexStringLower(sig), Is.EqualTo(c.Str("signature")));
        Assert.That(Primitives.Verify(sig, message, id.Blinded15(Server(c)).PublicKey), Is.True);
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { "independent.json", "blind15_desktop_form" })]
    public void Blind15_signature_in_desktop_form_matches_the_independent_vector_and_verifies(Case c)
    {
        using Identity id = Identity.FromSeed(c.Bytes("seed32"));
        byte[] message = Encoding.UTF8.GetBytes(c.Str("message"));
        byte[] sig = new byte[64];
        Blinding.Sign15(id, c.Bytes("server_pk"), message, sig, Blinding.Blind15NonceSource.Seed);
        Assert.That(Convert.ToHexStringLower(sig), Is.EqualTo(c.Str("signature")));
        Assert.That(Primitives.Verify(sig, message, id.Blinded15(c.Bytes("server_pk")).PublicKey), Is.True);
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { "sogs-blinding.json", "derivations" })]
    public void Pysogs_blind_derivations_match(Case c)
    {
        byte[] serverPk = Vectors.Hex(Vectors.Load("sogs-blinding.json").GetProperty("server_pk").GetString()!);
        using Identity id = Identity.FromSeed(c.Bytes("seed"));
        if (c.Has("session_id")) Assert.That(id.SessionId.ToString(), Is.EqualTo(c.Str("session_id")));
        Assert.That(id.Blinded15(serverPk).Id.ToString(), Is.EqualTo(c.Str("blinded_id")));
        Assert.That(Blinding.Matches(id.SessionId, SessionId.Parse(c.Str("blinded_id")), serverPk), Is.True);
        if (c.Has("blinded25_id"))
        {
            Assert.That((id.Ed25519PublicKey[31] & 0x80) == 0, "25 ids are only kept for positive keys");
            Assert.That(id.Blinded25(serverPk).Id.ToString(), Is.EqualTo(c.Str("blinded25_id")));
            Assert.That(Blinding.Blind25Id(id.SessionId, serverPk).ToString(), Is.EqualTo(c.Str("blinded25_id")));
        }
        else
        {
            // pysogs' commented-out value skips the negation, so it must differ from the real 25 id.
            Assert.That((id.Ed25519PublicKey[31] & 0x80) != 0);
            Assert.That(id.Blinded25(serverPk).Id.ToString(), Is.Not.EqualTo(c.Str("pysogs_unnegated_25_id")));
            Assert.That(id.Blinded25(serverPk).Id, Is.EqualTo(Blinding.Blind25Id(id.SessionId, serverPk)));
        }
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { File, "version_key" })]
    public void Version_blinded_key_and_signature_match_the_official_vector(Case c)
    {
        using Identity id = Seed(c);
        using var key = VersionBlinding.Derive(id);
        Assert.That(key.Id.ToString(), Is.EqualTo("07" + c.Str("vpk")));
        Assert.That(Convert.ToHexStringLower(key.SecretKey), Is.EqualTo(c.Str("vseed") + c.Str("vpk")));
        string sig = VersionBlinding.SignRequest(key, c.Long("timestamp"), c.Str("method"), c.Str("path"), default);
        Assert.That(Convert.FromBase64String(sig), Is.EqualTo(c.Bytes("signature")));

        // With a body the body bytes are appended to the signed text (libsession blind_version_sign_request).
        byte[] body = "some body (once told me)"u8.ToArray();
        string withBody = VersionBlinding.SignRequest(key, 1234567890, "GET", "/path/to/somewhere", body);
        byte[] signed = [.. "1234567890GET/path/to/somewhere"u8, .. body];
        Assert.That(Primitives.Verify(Convert.FromBase64String(withBody), signed, key.Id.Key), Is.True);
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { File, "blind15_ids" })]
    public void Both_sign_variants_of_a_15_id_match_the_session_id(Case c)
    {
        // §10.5: …44 and …c4 style ids (last byte bit 7 flipped) both belong to the account.
        using Identity id = Seed(c);
        byte[] candidate = SessionId.Parse(c.Str("first_candidate")).AsSpan().ToArray();
        Assert.That(Blinding.Matches(id.SessionId, SessionId.FromBytes(candidate), Server(c)), Is.True);
        candidate[32] ^= 0x80;
        Assert.That(Blinding.Matches(id.SessionId, SessionId.FromBytes(candidate), Server(c)), Is.True);
        candidate[32] ^= 0x01;
        Assert.That(Blinding.Matches(id.SessionId, SessionId.FromBytes(candidate), Server(c)), Is.False);
    }

    [Test]
    public void Blinded_pairs_are_cached_per_server()
    {
        using Identity id = TestRandom.NewIdentity();
        byte[] a = new byte[32], b = new byte[32];
        a[0] = 1; b[0] = 2;
        Assert.That(id.Blinded15(a), Is.SameAs(id.Blinded15(a)));
        Assert.That(id.Blinded15(a), Is.Not.SameAs(id.Blinded15(b)));
        Assert.That(id.Blinded25(a), Is.Not.SameAs(id.Blinded15(a)));
    }

    [Test]
    public void A_blinded_id_of_another_account_does_not_match()
    {
        using Identity me = TestRandom.NewIdentity();
        using Identity other = TestRandom.NewIdentity();
        byte[] server = new byte[32];
        TestRandom.Rng.NextBytes(server);
        Assert.That(Blinding.Matches(me.SessionId, other.Blinded15(server).Id, server), Is.False);
        Assert.That(Blinding.Matches(me.SessionId, other.Blinded25(server).Id, server), Is.False);
    }

    [Test, Repeat(30)]
    public void Random_accounts_blind_consistently_from_keys_and_from_ids()
    {
        using Identity id = TestRandom.NewIdentity();
        byte[] server = new byte[32];
        TestRandom.Rng.NextBytes(server);
        Assert.That(Blinding.Blind25Id(id.SessionId, server), Is.EqualTo(id.Blinded25(server).Id));
        Assert.That(Blinding.Matches(id.SessionId, id.Blinded15(server).Id, server), Is.True);
        byte[] msg = new byte[TestRandom.Rng.Next(0, 200)];
        TestRandom.Rng.NextBytes(msg);
        byte[] sig15 = new byte[64], sig25 = new byte[64];
        Blinding.Sign15(id, server, msg, sig15);
        Blinding.Sign25(id, server, msg, sig25);
        Assert.That(Primitives.Verify(sig15, msg, id.Blinded15(server).PublicKey), Is.True);
        Assert.That(Primitives.Verify(sig25, msg, id.Blinded25(server).PublicKey), Is.True);
        sig15[0] ^= 1;
        Assert.That(Primitives.Verify(sig15, msg, id.Blinded15(server).PublicKey), Is.False);
    }

    [Test]
    public void Blinding_rejects_a_bad_server_key_length()
    {
        using Identity id = TestRandom.NewIdentity();
        var ex = Assert.Throws<SessionException>(() => id.Blinded15(new byte[31]));
        Assert.That(ex!.Code, Is.EqualTo("community.bad_server_key"));
    }
}
