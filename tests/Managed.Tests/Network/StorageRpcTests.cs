using System.Text;
using System.Text.Json;
using NUnit.Framework;
using SessionInterop.Crypto;
using SessionInterop.Network.Client;
using SessionInterop.Network.Swarms;
using Sodium;

namespace SessionInterop.Tests.Network;

// protocol-network.md §4.2-§4.7 and vector v4_storage_auth of Vectors/onion_vectors.json.
public sealed class StorageRpcTests
{
    private static JsonElement Auth => VectorFile.Case("v4_storage_auth");

    private static byte[] SecretKey => PublicKeyAuth.GenerateKeyPair(Auth.Hex("ed25519_seed")).PrivateKey;

    private static string SessionId => Auth.Str("session_id");

    private static long Timestamp => Auth.GetProperty("timestamp_ms").GetInt64();

    [Test]
    public void Signature_strings_match_the_vector()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Ascii(StorageSignatures.RetrieveMessage(0, Timestamp)), Is.EqualTo(Auth.Str("retrieve_ns0_msg")));
            Assert.That(Ascii(StorageSignatures.RetrieveMessage(2, Timestamp)), Is.EqualTo(Auth.Str("retrieve_ns2_msg")));
            Assert.That(Ascii(StorageSignatures.StoreMessage(2, Timestamp)), Is.EqualTo(Auth.Str("store_ns2_msg")));
            Assert.That(Ascii(StorageSignatures.DeleteAllMessage(null, Timestamp)), Is.EqualTo(Auth.Str("delete_all_all_msg")));
            Assert.That(Ascii(StorageSignatures.DeleteMessage(["AAAA", "BBBB"])), Is.EqualTo(Auth.Str("delete_msg")));
            Assert.That(Ascii(StorageSignatures.RetrieveMessage(-10, 5)), Is.EqualTo("retrieve-105"));
        });
    }

    [Test]
    public void Signatures_match_the_vector()
    {
        byte[] sk = SecretKey;
        Assert.Multiple(() =>
        {
            Assert.That(StorageSignatures.Sign(StorageSignatures.RetrieveMessage(0, Timestamp), sk), Is.EqualTo(Auth.Str("retrieve_ns0_sig")));
            Assert.That(StorageSignatures.Sign(StorageSignatures.RetrieveMessage(2, Timestamp), sk), Is.EqualTo(Auth.Str("retrieve_ns2_sig")));
            Assert.That(StorageSignatures.Sign(StorageSignatures.StoreMessage(2, Timestamp), sk), Is.EqualTo(Auth.Str("store_ns2_sig")));
            Assert.That(StorageSignatures.Sign(StorageSignatures.DeleteAllMessage(null, Timestamp), sk), Is.EqualTo(Auth.Str("delete_all_all_sig")));
            Assert.That(StorageSignatures.Sign(StorageSignatures.DeleteMessage(["AAAA", "BBBB"]), sk), Is.EqualTo(Auth.Str("delete_sig")));
        });
    }

    [Test]
    public void Retrieve_request_has_the_signed_params_and_ed25519_key()
    {
        string hash = new('A', 43);
        using JsonDocument doc = JsonDocument.Parse(StorageRpc.Retrieve(SessionId, 0, hash, Timestamp, SecretKey));
        JsonElement root = doc.RootElement;
        JsonElement p = root.GetProperty("params");
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("method").GetString(), Is.EqualTo("retrieve"));
            Assert.That(p.GetProperty("pubkey").GetString(), Is.EqualTo(SessionId));
            Assert.That(p.GetProperty("namespace").GetInt32(), Is.Zero);
            Assert.That(p.GetProperty("last_hash").GetString(), Is.EqualTo(hash));
            Assert.That(p.GetProperty("timestamp").ValueKind, Is.EqualTo(JsonValueKind.Number));
            Assert.That(p.GetProperty("timestamp").GetInt64(), Is.EqualTo(Timestamp));
            Assert.That(p.GetProperty("signature").GetString(), Is.EqualTo(Auth.Str("retrieve_ns0_sig")));
            Assert.That(p.GetProperty("pubkey_ed25519").GetString(), Is.EqualTo(Auth.Str("ed25519_pk")));
        });
    }

    [Test]
    public void Store_to_namespace_zero_is_unsigned_and_to_namespace_two_is_signed()
    {
        using JsonDocument open = JsonDocument.Parse(StorageRpc.Store(SessionId, 0, "aGVsbG8=", 86_400_000, Timestamp, default));
        using JsonDocument signed = JsonDocument.Parse(StorageRpc.Store(SessionId, 2, "aGVsbG8=", 86_400_000, Timestamp, SecretKey));
        JsonElement o = open.RootElement.GetProperty("params");
        JsonElement s = signed.RootElement.GetProperty("params");
        Assert.Multiple(() =>
        {
            Assert.That(open.RootElement.GetProperty("method").GetString(), Is.EqualTo("store"));
            Assert.That(o.GetProperty("ttl").GetInt64(), Is.EqualTo(86_400_000));
            Assert.That(o.GetProperty("data").GetString(), Is.EqualTo("aGVsbG8="));
            Assert.That(o.TryGetProperty("signature", out _), Is.False);
            Assert.That(s.GetProperty("signature").GetString(), Is.EqualTo(Auth.Str("store_ns2_sig")));
            Assert.That(s.GetProperty("pubkey_ed25519").GetString(), Is.EqualTo(Auth.Str("ed25519_pk")));
        });
        Assert.That(() => StorageRpc.Store(SessionId, 2, "aGVsbG8=", 1, Timestamp, default),
            Throws.TypeOf<SessionException>().With.Property(nameof(SessionException.Code)).EqualTo("network.auth_required"));
    }

    [Test]
    public void Delete_request_lists_hashes_and_signs_them()
    {
        string[] hashes = [new('A', 43), new('B', 43)];
        using JsonDocument doc = JsonDocument.Parse(StorageRpc.Delete(SessionId, hashes, SecretKey));
        JsonElement p = doc.RootElement.GetProperty("params");
        Assert.That(p.GetProperty("messages").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(hashes));
        Assert.That(p.GetProperty("signature").GetString(), Is.EqualTo(StorageSignatures.Sign(StorageSignatures.DeleteMessage(hashes), SecretKey)));
    }

    [Test]
    public void Group_account_requests_carry_no_ed25519_param()
    {
        string group = "03" + Auth.Str("ed25519_pk");
        using JsonDocument doc = JsonDocument.Parse(StorageRpc.Retrieve(group, 11, null, Timestamp, SecretKey));
        Assert.That(doc.RootElement.GetProperty("params").TryGetProperty("pubkey_ed25519", out _), Is.False);
    }

    [Test]
    public void Get_swarm_and_seed_bodies_have_the_documented_shape()
    {
        Assert.That(Ascii(StorageRpc.GetSwarm(SessionId)), Is.EqualTo($$$"""{"method":"get_swarm","params":{"pubkey":"{{{SessionId}}}"}}"""));
        using JsonDocument seed = JsonDocument.Parse(StorageRpc.SeedGetServiceNodes());
        JsonElement r = seed.RootElement;
        Assert.That(r.GetProperty("method").GetString(), Is.EqualTo("get_n_service_nodes"));
        Assert.That(r.GetProperty("params").GetProperty("active_only").GetBoolean(), Is.True);
        Assert.That(r.GetProperty("params").GetProperty("fields").GetProperty("pubkey_ed25519").GetBoolean(), Is.True);
        Assert.That(r.GetProperty("params").TryGetProperty("limit", out _), Is.False);
    }

    [Test]
    public void Bad_arguments_are_rejected_before_any_io()
    {
        Assert.That(() => StorageRpc.GetSwarm("05abc"), Throws.TypeOf<SessionException>());
        Assert.That(() => StorageRpc.Retrieve(SessionId, 0, "short", Timestamp, SecretKey), Throws.TypeOf<SessionException>());
        Assert.That(() => StorageRpc.Retrieve(SessionId, 40000, null, Timestamp, SecretKey), Throws.TypeOf<SessionException>());
        Assert.That(() => StorageRpc.Delete(SessionId, [], SecretKey), Throws.TypeOf<SessionException>());
    }

    // Storage-server vectors of protocol-network.md §6.2 (SS unit_test/swarm.cpp, service_node.cpp)
    // and the storage values of v4_storage_auth, on the SwarmSpace/StorageMessageHash LocalNet shares.
    [TestCase("053506f4a71324b7dd114eddbf4e311f39dde243e1f2cb97c40db1961f70ebaae8", 17589930838143112648UL)]
    [TestCase("05cf27da303a50ac8c4b2d43d27259505c9bcd73fc21cf2a57902c3d050730b604", 10370619079776428163UL)]
    [TestCase("03d3511706b8b34f6e8411bf07bd22ba6b2435ca56846fbccf6eb1e166a6cd15cc", 2144983569669512198UL)]
    [TestCase("ff0f06693428fca9102a451e3f28d9cc743d8ea60a89ab6aa69eb119470c11cbd3", 9690840703409570833UL)]
    [TestCase("05ffba630924aa1224bb930dde21c0d11bf004608f2812217f8ac812d6c7e3ad48", 4532060000165252872UL)]
    [TestCase("05eeeeeeeeeeeeeeee777777777777777711111111111111118888888888888888", 0UL)]
    [TestCase("050123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", 0UL)]
    [TestCase("05fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe", 1UL)]
    [TestCase("05ffffffffffffffffffffffffffffffffffffffffffffffff7fffffffffffffff", 9223372036854775808UL)]
    [TestCase("05000000000000000000000000000000000000000000000000ffffffffffffffff", 18446744073709551615UL)]
    [TestCase("050000000000000000000000000000000000000000000000000123456789abcdef", 0x0123456789abcdefUL)]
    [TestCase("054701d08488451f545a409fb58ae3e58581ca40ac3f7f114698cd71deac73ca01", 308072453193212310UL)]
    public void Swarm_space_matches_the_storage_server(string pubkey, ulong space) =>
        Assert.That(SwarmSpace.Of(Convert.FromHexString(pubkey)), Is.EqualTo(space));

    private static readonly ulong[] s_swarms = [100, 200, 300, 399, 498, 596, 694];

    [TestCase(0x64UL, 100UL)]
    [TestCase(0xc8UL, 200UL)]
    [TestCase(0x1f2UL, 498UL)]
    [TestCase(0UL, 100UL)]
    [TestCase(1UL, 100UL)]
    [TestCase(0x8000000000000000UL, 694UL)]
    [TestCase(0xa000000000000000UL, 100UL)]
    [TestCase(0xffffffffffffffffUL, 100UL)]
    [TestCase(0xfffffffffffffffeUL, 100UL)]
    [TestCase(0x95UL, 100UL)]
    [TestCase(0x96UL, 100UL)]
    [TestCase(0x97UL, 200UL)]
    [TestCase(0xf9UL, 200UL)]
    [TestCase(0xfaUL, 200UL)]
    [TestCase(0xfbUL, 300UL)]
    [TestCase(0x15dUL, 300UL)]
    [TestCase(0x15eUL, 399UL)]
    [TestCase(0x1c0UL, 399UL)]
    [TestCase(0x1c1UL, 498UL)]
    [TestCase(0x222UL, 498UL)]
    [TestCase(0x223UL, 498UL)]
    [TestCase(0x224UL, 596UL)]
    [TestCase(0x285UL, 596UL)]
    [TestCase(0x286UL, 694UL)]
    [TestCase(0x800000000000018cUL, 694UL)]
    [TestCase(0x800000000000018dUL, 694UL)]
    [TestCase(0x800000000000018eUL, 100UL)]
    public void Swarm_choice_matches_the_storage_server(ulong space, ulong swarm) =>
        Assert.That(SwarmSpace.Choose(SpaceOfKey(space), s_swarms), Is.EqualTo(swarm));

    [TestCase(0x27UL, 18446744073709551596UL)]
    [TestCase(0x28UL, 18446744073709551596UL)]
    [TestCase(0x29UL, 100UL)]
    public void Swarm_choice_wraps_around_with_a_swarm_near_the_top(ulong space, ulong swarm) =>
        Assert.That(SwarmSpace.Choose(SpaceOfKey(space), [.. s_swarms, ulong.MaxValue - 19]), Is.EqualTo(swarm));

    [TestCase(0xffffffffffffffffUL)]
    [TestCase(0xfffffffffffffffeUL)]
    public void Swarm_choice_wraps_to_swarm_zero(ulong space) =>
        Assert.That(SwarmSpace.Choose(SpaceOfKey(space), [.. s_swarms, ulong.MaxValue - 19, 0]), Is.EqualTo(0UL));

    [Test]
    public void A_single_swarm_is_always_chosen() =>
        Assert.That(SwarmSpace.Choose(12345, [7UL]), Is.EqualTo(7UL));

    [Test]
    public void Message_hash_matches_the_storage_server_vector()
    {
        const string data = "CAES1gIKA1BVVBIPL2FwaS92MS9tZXNzYWdlGrsCCAYovfqZv4YvQq8CVwutUBbhRzZw80TvR6uTYMKg9DSagrtpeEpY31L7VxawfS8aSya0SiDa4J025SkjP13YX8g5pxgQ8Z6hgfNArMqr/tSijJ9miVKVDJ63YWE85O8kyWF8tdtZR5j0Vxb+JH5U8Rg1bp7ftKk3OSf7JJMcrUUrDnctQHe540zJ2OTDJ03DfubkX5NmKqEu5nhXGxeeDv3mTiL63fjtCvZYcikfjf6Nh1AX++HTgJ9SGoEIMastGUorFrmmXb2sbjHxNiJn0Radj/VzcA9VxYwBW5+AbGQ2d9+vvm7X+8vh+jIenJfjxf+8CWER+9adNfb4YUH07I+godNCV0O0J05gzqfKdT7J8MBZzFBtKrbk8oCagPpTsq/wZyYFKFKKD+q+zh704dYBILvs5yXUA96pIAA=";
        byte[] key = Convert.FromHexString("05ffba630924aa1224bb930dde21c0d11bf004608f2812217f8ac812d6c7e3ad48");
        Assert.That(StorageMessageHash.Compute(key, 0, Convert.FromBase64String(data)), Is.EqualTo("4sMyAuaZlMwww3oFvfhazfw7ASx/7TDtO+TVc8aAjHs"));
    }

    [TestCase(0, "message_hash_ns0")]
    [TestCase(-10, "message_hash_ns_minus10")]
    [TestCase(2, "message_hash_ns2")]
    public void Message_hash_inserts_the_namespace_text_between_key_and_data(int ns, string field)
    {
        byte[] key = Convert.FromHexString(SessionId);
        Assert.That(StorageMessageHash.Compute(key, ns, Encoding.UTF8.GetBytes(Auth.Str("message_data_utf8"))), Is.EqualTo(Auth.Str(field)));
    }

    private static ulong SpaceOfKey(ulong v)
    {
        byte[] key = Convert.FromHexString("05" + new string('0', 48) + v.ToString("x16"));
        return SwarmSpace.Of(key);
    }

    private static string Ascii(byte[] bytes) => Encoding.ASCII.GetString(bytes);

    [Test]
    public void Delete_all_expire_and_batch_requests_have_the_documented_shape()
    {
        using JsonDocument all = JsonDocument.Parse(StorageRpc.DeleteAll(SessionId, null, Timestamp, SecretKey));
        JsonElement a = all.RootElement.GetProperty("params");
        Assert.That(a.GetProperty("namespace").GetString(), Is.EqualTo("all"));
        Assert.That(a.GetProperty("signature").GetString(), Is.EqualTo(Auth.Str("delete_all_all_sig")));

        string[] hashes = [new('A', 43)];
        using JsonDocument expire = JsonDocument.Parse(StorageRpc.Expire(SessionId, hashes, Timestamp, "extend", SecretKey));
        JsonElement e = expire.RootElement.GetProperty("params");
        Assert.That(e.GetProperty("extend").GetBoolean(), Is.True);
        Assert.That(Ascii(StorageSignatures.ExpireMessage("extend", Timestamp, hashes)), Is.EqualTo("expireextend" + Timestamp + hashes[0]));
        Assert.That(e.GetProperty("signature").GetString(), Is.EqualTo(StorageSignatures.Sign(StorageSignatures.ExpireMessage("extend", Timestamp, hashes), SecretKey)));

        byte[] batch = StorageRpc.Batch([StorageRpc.Info(), StorageRpc.GetSwarm(SessionId)]);
        Assert.That(Ascii(batch), Is.EqualTo($$$"""{"method":"batch","params":{"requests":[{"method":"info","params":{}},{"method":"get_swarm","params":{"pubkey":"{{{SessionId}}}"}}]}}"""));
        Assert.That(() => StorageRpc.Batch([]), Throws.TypeOf<SessionException>());
    }
}
