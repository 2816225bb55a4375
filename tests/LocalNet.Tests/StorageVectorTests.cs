using System.Text;
using SessionInterop.Crypto;
using SessionInterop.LocalNet.Tests.Support;
using SessionInterop.Network.Swarms;

namespace SessionInterop.LocalNet.Tests;

// Storage-server vectors of protocol-network.md §6.2 (SS unit_test/swarm.cpp, service_node.cpp)
// and the storage values of the §6.3 v4_storage_auth vector.
[TestFixture]
internal sealed class StorageVectorTests
{
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
        var v = Vectors.Case("v4_storage_auth");
        byte[] key = Convert.FromHexString(Vectors.Str(v["session_id"]));
        Assert.That(StorageMessageHash.Compute(key, ns, Encoding.UTF8.GetBytes(Vectors.Str(v["message_data_utf8"]))), Is.EqualTo(Vectors.Str(v[field])));
    }

    private static ulong SpaceOfKey(ulong v)
    {
        byte[] key = Convert.FromHexString("05" + new string('0', 48) + v.ToString("x16"));
        return SwarmSpace.Of(key);
    }
}
