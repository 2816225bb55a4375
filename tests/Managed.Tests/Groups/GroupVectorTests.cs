using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NUnit.Framework;
using SessionInterop.Config;
using SessionInterop.Config.Groups;
using SessionInterop.Crypto;
using SessionInterop.Crypto.Groups;
using SessionInterop.Protocol;

namespace SessionInterop.Tests.Groups;

/// <summary>The groups v2 vectors (Vectors/lsu-groups.json): official libsession test values and the research notes' derived ones.</summary>
public sealed class GroupVectorTests
{
    private static readonly JsonElement V = Vectors.Load("lsu-groups.json");

    private static string S(JsonElement e, string name) => e.GetProperty(name).GetString()!;
    private static byte[] H(JsonElement e, string name) => Convert.FromHexString(S(e, name));
    private static JsonElement Key(string role) => V.GetProperty("keys").EnumerateArray().First(k => S(k, "role") == role);
    private static Identity Person(string role) => Identity.FromSeed(H(Key(role), "seed"));

    private static IEnumerable<TestCaseData> Roles() =>
        V.GetProperty("keys").EnumerateArray().Select(k => new TestCaseData(S(k, "role")).SetArgDisplayNames(S(k, "role")));

    [TestCaseSource(nameof(Roles))]
    public void Test_keys_give_the_official_ids(string role)
    {
        JsonElement k = Key(role);
        using Identity who = Person(role);
        if (role == "group")
            Assert.That(SessionId.FromKey(SessionIdPrefix.Group, who.Ed25519PublicKey).ToString(), Is.EqualTo(S(k, "id")));
        else
            Assert.That(who.SessionId.ToString(), Is.EqualTo(S(k, "id")));
        if (k.TryGetProperty("ed_pk", out _))
            Assert.That(Convert.ToHexStringLower(who.Ed25519PublicKey), Is.EqualTo(S(k, "ed_pk")));
    }

    // ------------------------------------------------------------------ subaccounts (official)

    [Test]
    public void Swarm_subaccount_auth_reproduces_the_official_vector()
    {
        JsonElement v = V.GetProperty("swarm_auth");
        using Identity group = Identity.FromSeed(H(v, "group_seed"));
        using Identity member = Identity.FromSeed(H(v, "member_seed"));
        byte[] auth = Subaccount.MakeAuth(group, member.SessionId);
        Assert.That(Convert.ToHexStringLower(auth), Is.EqualTo(S(v, "auth_hex")));
        Assert.That(Convert.ToHexStringLower(Subaccount.Token(group, member.SessionId)), Is.EqualTo(S(v, "token_hex")));

        SubaccountSignature sig = Subaccount.Sign(member, auth, Encoding.ASCII.GetBytes(S(v, "message")));
        Assert.That(sig.TokenBase64, Is.EqualTo(S(v, "subaccount")));
        Assert.That(sig.TokenSignatureBase64, Is.EqualTo(S(v, "subaccount_sig")));
        Assert.That(sig.SignatureBase64, Is.EqualTo(S(v, "signature")));
        // What the storage server checks: the token under the group key, the request under kT.
        Assert.That(Primitives.Verify(sig.TokenSignature, sig.Token, group.Ed25519PublicKey), Is.True);
        Assert.That(Primitives.Verify(sig.Signature, Encoding.ASCII.GetBytes(S(v, "message")), sig.Token.AsSpan(4)), Is.True);
        Assert.That(Subaccount.Verify(group.Ed25519PublicKey, member, auth), Is.True);
    }

    [Test]
    public void Flipping_any_bit_of_the_auth_value_fails_verification_except_bit_7_of_byte_35()
    {
        JsonElement v = V.GetProperty("swarm_auth");
        using Identity group = Identity.FromSeed(H(v, "group_seed"));
        using Identity member = Identity.FromSeed(H(v, "member_seed"));
        byte[] auth = H(v, "auth_hex");
        int accepted = 0;
        for (int bit = 0; bit < auth.Length * 8; bit++)
        {
            byte[] copy = (byte[])auth.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            if (Subaccount.Verify(group.Ed25519PublicKey, member, copy))
            {
                accepted++;
                Assert.That(bit, Is.EqualTo(35 * 8 + 7), "only the unused top bit of the scalar k may flip");
            }
        }
        Assert.That(accepted, Is.LessThanOrEqualTo(1));
    }

    [Test]
    public void A_member_whose_ed25519_key_has_the_sign_bit_set_signs_as_the_admins_token()
    {
        JsonElement v = V.GetProperty("negative_sign_subaccount");
        using Identity group = Identity.FromSeed(H(v, "group_seed"));
        using Identity member = Identity.FromSeed(H(v, "member_seed"));
        Assert.That(member.Ed25519PublicKey[31] & 0x80, Is.Not.Zero, "the vector's member has a negative key");
        byte[] auth = Subaccount.MakeAuth(group, member.SessionId);
        Assert.That(Convert.ToHexStringLower(Subaccount.Token(group, member.SessionId)), Is.EqualTo(S(v, "token_hex")));
        byte[] message = "retrieve111693340111000"u8.ToArray();
        SubaccountSignature sig = Subaccount.Sign(member, auth, message);
        Assert.That(Convert.ToHexStringLower(sig.Token), Is.EqualTo(S(v, "token_hex")));
        Assert.That(Primitives.Verify(sig.Signature, message, sig.Token.AsSpan(4)), Is.True);
        Assert.That(Subaccount.Verify(group.Ed25519PublicKey, member, auth), Is.True);
    }

    [Test]
    public void Auth_for_someone_else_or_without_read_fails_verification()
    {
        JsonElement v = V.GetProperty("swarm_auth");
        using Identity group = Identity.FromSeed(H(v, "group_seed"));
        using Identity member = Identity.FromSeed(H(v, "member_seed"));
        using Identity other = Person("member2");
        Assert.That(Subaccount.Verify(group.Ed25519PublicKey, other, H(v, "auth_hex")), Is.False);
        byte[] writeOnly = Subaccount.MakeAuth(group, member.SessionId, SubaccountFlags.Write);
        Assert.That(Subaccount.Verify(group.Ed25519PublicKey, member, writeOnly), Is.False);
        Assert.That(Subaccount.Verify(group.Ed25519PublicKey, member, H(v, "auth_hex"), SubaccountFlags.Delete), Is.False);
    }

    // ------------------------------------------------------------------ multi-recipient encryption (official)

    private static (byte[] X, byte[] Pub)[] MultiKeys()
    {
        JsonElement v = V.GetProperty("multi_encrypt");
        return v.GetProperty("seeds").EnumerateArray().Select(s =>
        {
            using Identity id = Identity.FromSeed(Convert.FromHexString(s.GetString()!));
            return (id.X25519SecretKey.ToArray(), id.X25519PublicKey.ToArray());
        }).ToArray();
    }

    [Test]
    public void Multi_recipient_encryption_reproduces_the_official_vectors()
    {
        JsonElement v = V.GetProperty("multi_encrypt");
        var keys = MultiKeys();
        Assert.That(keys.Select(k => Convert.ToHexStringLower(k.Pub)),
            Is.EqualTo(v.GetProperty("x_pks").EnumerateArray().Select(e => e.GetString())));
        byte[] nonce = H(v, "nonce");
        byte[][] recipients = [keys[1].Pub, keys[2].Pub, keys[3].Pub];
        List<byte[]> all = MultiEncrypt.Encrypt(["hello"u8.ToArray()], recipients, nonce, keys[0].X, keys[0].Pub, "test suite");
        Assert.That(all.Select(Convert.ToHexStringLower), Is.EqualTo(v.GetProperty("hello_to_all").EnumerateArray().Select(e => e.GetString())));
        List<byte[]> each = MultiEncrypt.Encrypt(["hello"u8.ToArray(), "cruel"u8.ToArray(), "world"u8.ToArray()], recipients, nonce, keys[0].X, keys[0].Pub, "test suite");
        Assert.That(each.Select(Convert.ToHexStringLower), Is.EqualTo(v.GetProperty("hello_cruel_world").EnumerateArray().Select(e => e.GetString())));

        string[] expected = ["hello", "cruel", "world"];
        for (int i = 1; i <= 3; i++)
        {
            byte[]? m = MultiEncrypt.Decrypt(each, nonce, keys[i].X, keys[i].Pub, keys[0].Pub, "test suite");
            Assert.That(m is null ? null : Encoding.ASCII.GetString(m), Is.EqualTo(expected[i - 1]));
        }
        Assert.That(MultiEncrypt.Decrypt(each, nonce, keys[3].X, keys[3].Pub, keys[0].Pub, "not test suite"), Is.Null);
        Assert.That(MultiEncrypt.Decrypt(each, nonce, keys[4].X, keys[4].Pub, keys[0].Pub, "test suite"), Is.Null);
        Assert.Throws<SessionException>(() => MultiEncrypt.Encrypt(["a"u8.ToArray(), "b"u8.ToArray()], recipients, nonce, keys[0].X, keys[0].Pub, "test suite"));
    }

    [Test]
    public void The_simple_encoding_matches_the_official_layout()
    {
        JsonElement v = V.GetProperty("multi_encrypt");
        var keys = MultiKeys();
        byte[] nonce = H(v, "nonce");
        byte[] encoded = MultiEncrypt.EncryptSimple(["hello"u8.ToArray(), "cruel"u8.ToArray(), "world"u8.ToArray()],
            [keys[1].Pub, keys[2].Pub, keys[3].Pub], keys[0].X, keys[0].Pub, "test suite", nonce);
        string[] c = v.GetProperty("hello_cruel_world").EnumerateArray().Select(e => e.GetString()!).ToArray();
        byte[] expected = [.. "d1:#24:"u8, .. nonce, .. "1:el21:"u8, .. Convert.FromHexString(c[0]), .. "21:"u8,
            .. Convert.FromHexString(c[1]), .. "21:"u8, .. Convert.FromHexString(c[2]), .. "ee"u8];
        Assert.That(encoded, Is.EqualTo(expected));
        Assert.That(MultiEncrypt.DecryptSimple(encoded, keys[2].X, keys[2].Pub, keys[0].Pub, "test suite"), Is.EqualTo("cruel"u8.ToArray()));
        Assert.That(MultiEncrypt.DecryptSimple(encoded, keys[4].X, keys[4].Pub, keys[0].Pub, "test suite"), Is.Null);
        Assert.That(MultiEncrypt.DecryptSimple("garbage"u8, keys[2].X, keys[2].Pub, keys[0].Pub, "test suite"), Is.Null);
    }

    // ------------------------------------------------------------------ group messages

    [TestCase(true)]
    [TestCase(false)]
    public void Official_group_message_sizes_with_and_without_compression(bool compress)
    {
        JsonElement v = V.GetProperty("message_sizes");
        string text = S(v, "text");
        for (int i = 0; i < v.GetProperty("doublings").GetInt32(); i++) text += text;
        Assert.That(text, Has.Length.EqualTo(1632));
        using Identity group = Person("group");
        using Identity sender = Person("admin1");
        byte[] key = RandomNumberGenerator.GetBytes(32), nonce = RandomNumberGenerator.GetBytes(24);
        byte[] wire = GroupMessages.EncryptPayload(sender, group.Ed25519PublicKey, key, Encoding.ASCII.GetBytes(text), nonce, compress);
        Assert.That(wire, Has.Length.EqualTo(v.GetProperty(compress ? "compressed_size" : "uncompressed_size").GetInt32()));
        (SessionId from, byte[] payload) = GroupMessages.DecryptPayload([RandomNumberGenerator.GetBytes(32), key], group.Ed25519PublicKey, wire);
        Assert.That(from, Is.EqualTo(sender.SessionId));
        Assert.That(Encoding.ASCII.GetString(payload), Is.EqualTo(text));
    }

    [Test]
    public void Derived_hello_group_message_reproduces_the_notes()
    {
        JsonElement v = V.GetProperty("group_message_hello");
        using Identity group = Person("group");
        using Identity sender = Person(S(v, "sender"));
        byte[] key = H(V.GetProperty("key_message_gen1"), "h1")[..32];
        byte[] wire = GroupMessages.EncryptPayload(sender, group.Ed25519PublicKey, key, "hello"u8.ToArray(), H(v, "nonce"), compress: true);
        Assert.That(wire, Has.Length.EqualTo(256));
        Assert.That(Convert.ToHexStringLower(wire[..32]), Is.EqualTo(S(v, "wire_prefix")));
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(wire)), Is.EqualTo(S(v, "wire_sha256")));
        byte[] sig = new byte[64];
        Primitives.Sign(sender.Ed25519SecretKey, [.. "hello"u8, .. group.Ed25519PublicKey], sig);
        Assert.That(Convert.ToHexStringLower(sig), Is.EqualTo(S(v, "signature")));
    }

    [Test]
    public void A_group_message_signed_for_another_group_is_rejected()
    {
        using Identity group = Person("group");
        using Identity other = Person("member3b");
        using Identity sender = Person("admin1");
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] wire = GroupMessages.EncryptPayload(sender, other.Ed25519PublicKey, key, "cross-post"u8.ToArray(), RandomNumberGenerator.GetBytes(24), true);
        Assert.Throws<SessionException>(() => GroupMessages.DecryptPayload([key], group.Ed25519PublicKey, wire));
    }

    // ------------------------------------------------------------------ key messages (derived)

    private static SessionId Id(string role) => SessionId.Parse(S(Key(role), "id"));

    [Test]
    public void Generation_0_key_message_for_no_members_reproduces_the_notes()
    {
        JsonElement v = V.GetProperty("key_message_gen0");
        using Identity group = Identity.FromSeed(H(v, "group_seed"));
        using Identity admin = Person("admin1");
        var keys = new GroupKeys(group.Ed25519PublicKey, group, admin);
        byte[] message = keys.Rekey([]);
        Assert.That(Convert.ToHexStringLower(message), Is.EqualTo(S(v, "message")));
        Assert.That(message, Has.Length.EqualTo(167));
        Assert.That(keys.EncryptionKey, Is.EqualTo(H(v, "key")), "the pending key encrypts until loaded back");
        Assert.That(keys.KnownKeys, Is.Empty);
        Assert.That(keys.Load("h0", message, 1_700_000_000_000), Is.True);
        Assert.That(keys.PendingMessage, Is.Null);
        Assert.That(keys.KnownKeys.Single().Key, Is.EqualTo(H(v, "key")));
    }

    [Test]
    public void Generation_1_key_message_reproduces_the_notes_and_every_member_finds_its_key()
    {
        JsonElement v = V.GetProperty("key_message_gen1");
        using Identity group = Person("group");
        using Identity admin = Person("admin1");
        var keys = new GroupKeys(group.Ed25519PublicKey, group, admin);
        keys.Load("h0", keys.Rekey([]), 1_700_000_000_000);
        SessionId[] members = v.GetProperty("members").EnumerateArray().Select(e => Id(e.GetString()!)).Order(Comparer<SessionId>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()))).ToArray();
        byte[] message = keys.Rekey(members);
        Assert.That(message, Has.Length.EqualTo(v.GetProperty("length").GetInt32()));
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(message)), Is.EqualTo(S(v, "sha256")));
        BtDict d = Bt.DecodeDict(message);
        Assert.That(d.Get("G"), Is.EqualTo(1L));
        Assert.That(Convert.ToHexStringLower((byte[])d.Get("K")!), Is.EqualTo(S(v, "K")));
        var k = (BtList)d.Get("k")!;
        Assert.That(k, Has.Count.EqualTo(75));
        string[] expected = v.GetProperty("k").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.That(k.Take(expected.Length).Select(e => Convert.ToHexStringLower((byte[])e)), Is.EqualTo(expected));
        Assert.That(Convert.ToHexStringLower((byte[])d.Get("~")!), Is.EqualTo(S(v, "signature")));

        byte[] groupKey = H(v, "h1")[..32];
        foreach (string role in new[] { "member1", "member2", "member3", "member4" })
        {
            using Identity m = Person(role);
            var theirs = new GroupKeys(group.Ed25519PublicKey, null, m);
            Assert.That(theirs.Load("h1", message, 1_700_000_100_000), Is.True, role);
            Assert.That(theirs.EncryptionKey, Is.EqualTo(groupKey), role);
        }
        using Identity outsider = Person("member3b");
        var none = new GroupKeys(group.Ed25519PublicKey, null, outsider);
        Assert.That(none.Load("h1", message, 1_700_000_100_000), Is.False);
        Assert.That(none.EncryptionKey, Is.Null);
        Assert.That(none.ActiveHashes, Is.EqualTo(new[] { "h1" }), "a message with nothing for us is still kept alive");
    }
}
