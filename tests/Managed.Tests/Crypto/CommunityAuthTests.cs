using System.Text;
using NUnit.Framework;
using SessionInterop.Crypto;

namespace SessionInterop.Tests.Crypto;

public sealed class CommunityAuthTests
{
    private const string Desktop = "desktop-open-group-auth.json";
    private static readonly System.Text.Json.JsonElement s_desktop = Vectors.Load(Desktop);

    private static string D(string name) => s_desktop.GetProperty(name).GetString()!;

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { Desktop, "cases" })]
    public void Desktop_header_vectors_are_reproduced(Case c)
    {
        using Identity id = Identity.FromSeed(Vectors.Hex(D("seed")));
        Assert.That(Convert.ToHexStringLower(id.Ed25519PublicKey), Is.EqualTo(D("ed25519_pk")));
        byte[] body = c.Bool("with_body") ? Encoding.UTF8.GetBytes(D("body_utf8")) : [];
        CommunityAuthHeaders headers = CommunityAuth.Sign(id, Vectors.Hex(D("server_pk")), D("method"), D("path"), body,
            s_desktop.GetProperty("timestamp").GetInt64(), Convert.FromBase64String(D("nonce_base64")), c.Bool("blinded"),
            Blinding.Blind15NonceSource.Seed);
        Assert.That(headers.Pubkey, Is.EqualTo(c.Str("pubkey")));
        Assert.That(headers.Signature, Is.EqualTo(c.Str("signature")));
        Assert.That(headers.Nonce, Is.EqualTo(D("nonce_base64")));
        Assert.That(headers.Timestamp, Is.EqualTo("1642472103"));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { "independent.json", "sogs_auth_libsession_form" })]
    public void Libsession_form_signatures_and_body_hash_match_the_independent_vectors(Case c)
    {
        using Identity id = Identity.FromSeed(c.Bytes("seed32"));
        Assert.That(id.SessionId.ToString(), Is.EqualTo(c.Str("session_id")));
        byte[] body = Encoding.UTF8.GetBytes(c.Str("body_utf8"));
        byte[] hash = new byte[64];
        Primitives.Blake2b(hash, body);
        Assert.That(Convert.ToHexStringLower(hash), Is.EqualTo(c.Str("body_hash")));

        byte[] nonce = Convert.FromBase64String(c.Str("nonce_base64"));
        byte[] serverPk = c.Bytes("server_pk");
        var noBody = CommunityAuth.Sign(id, serverPk, c.Str("method"), c.Str("path"), [], c.Long("timestamp"), nonce, true, Blinding.Blind15NonceSource.SecretKey);
        var withBody = CommunityAuth.Sign(id, serverPk, c.Str("method"), c.Str("path"), body, c.Long("timestamp"), nonce, true, Blinding.Blind15NonceSource.SecretKey);
        Assert.That(noBody.Signature, Is.EqualTo(c.Str("signature_no_body")));
        Assert.That(withBody.Signature, Is.EqualTo(c.Str("signature_with_body")));
    }

    [Test]
    public void Default_signing_uses_a_fresh_nonce_and_verifies_against_the_blinded_key()
    {
        using Identity id = TestRandom.NewIdentity();
        byte[] serverPk = new byte[32];
        TestRandom.Rng.NextBytes(serverPk);
        var a = CommunityAuth.Sign(id, serverPk, "POST", "/room/x/message", "{}"u8, 1_700_000_000);
        var b = CommunityAuth.Sign(id, serverPk, "POST", "/room/x/message", "{}"u8, 1_700_000_000);
        Assert.That(a.Nonce, Is.Not.EqualTo(b.Nonce));
        Assert.That(a.AsHeaders().Select(h => h.Key), Is.EqualTo(new[] { "X-SOGS-Pubkey", "X-SOGS-Timestamp", "X-SOGS-Nonce", "X-SOGS-Signature" }));

        // Rebuild the signed bytes the way the server does and verify.
        byte[] bodyHash = new byte[64];
        Primitives.Blake2b(bodyHash, "{}"u8);
        byte[] signed = [.. serverPk, .. Convert.FromBase64String(a.Nonce), .. "1700000000POST/room/x/message"u8, .. bodyHash];
        SessionId pubkey = SessionId.Parse(a.Pubkey, SessionIdPrefix.Blinded15);
        Assert.That(Primitives.Verify(Convert.FromBase64String(a.Signature), signed, pubkey.Key), Is.True);
        signed[^1] ^= 1;
        Assert.That(Primitives.Verify(Convert.FromBase64String(a.Signature), signed, pubkey.Key), Is.False);
    }

    [Test]
    public void Bad_server_key_or_nonce_lengths_are_rejected()
    {
        using Identity id = TestRandom.NewIdentity();
        var ex = Assert.Throws<SessionException>(() => CommunityAuth.Sign(id, new byte[31], "GET", "/", [], 1));
        Assert.That(ex!.Code, Is.EqualTo("community.bad_server_key"));
        ex = Assert.Throws<SessionException>(() => CommunityAuth.Sign(id, new byte[32], "GET", "/", [], 1, new byte[15], true, Blinding.Blind15NonceSource.SecretKey));
        Assert.That(ex!.Code, Is.EqualTo("community.bad_nonce"));
    }
}
