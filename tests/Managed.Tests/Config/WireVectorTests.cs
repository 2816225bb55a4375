using NUnit.Framework;
using SessionInterop.Config;
using SessionInterop.Crypto;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;
using static SessionInterop.Tests.Config.ConfigTestData;

namespace SessionInterop.Tests.Config;

/// <summary>
/// Encryption, padding, compression and protobuf wrapping. Vectors from libsession-util
/// tests/test_encrypt.cpp (V-ENC, V-PAD), tests/test_compression.cpp (V-ZSTD),
/// tests/test_config_determinism.cpp (V-WRAP) and tests/test_proto.cpp (V-OLD), as listed in
/// protocol-config.md §7.
/// </summary>
public class WireVectorTests
{
    private static readonly byte[] Key1 = Hex("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
    private static readonly byte[] Key2 = Hex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    [Test]
    public void EncryptionVector()
    {
        byte[] msg = K("some message 1");
        byte[] enc = ConfigEncryption.Encrypt(msg, Key1, "test-suite1");
        Assert.That(ToHex(enc), Is.EqualTo("f14f242a26638f3305707d1035e734577f943cd7d28af58e32637e0966dcaf2f4860cb4d0f8ba7e09d29e31f5e4a18f65847287a54a0"));
        Assert.That(ToHex(enc[^24..]), Is.EqualTo("af2f4860cb4d0f8ba7e09d29e31f5e4a18f65847287a54a0"));
        Assert.That(ToHex(ConfigEncryption.Encrypt(msg, Key1, "test-suite2")[^24..]), Is.EqualTo("277e639d36ba46470dfff509a68cb73d9a96386c51739bdd"));
        Assert.That(ToHex(ConfigEncryption.Encrypt(msg, Key2, "test-suite1")[^24..]), Is.EqualTo("af2f4860cb4d0f8ba7e09d29e31f5e4a18f65847287a54a0"));
        var key = new byte[32];
        ConfigEncryption.DeriveKey(Key1, msg.Length, K("test-suite1"), key);
        Assert.That(ToHex(key), Is.EqualTo("c44ec8e0bab039298b54bb956dc4029c948fa225f5451d317b3c159ec74bef72"));

        Assert.That(ConfigEncryption.Decrypt(enc, Key1, "test-suite1"), Is.EqualTo(msg));
        Assert.Throws<SessionException>(() => ConfigEncryption.Decrypt(enc, Key1, "test-suite2"));
        Assert.Throws<SessionException>(() => ConfigEncryption.Decrypt(enc, Key2, "test-suite1"));
        byte[] flipped = (byte[])enc.Clone();
        flipped[3] ^= 1;
        Assert.Throws<SessionException>(() => ConfigEncryption.Decrypt(flipped, Key1, "test-suite1"));
        Assert.Throws<SessionException>(() => ConfigEncryption.Decrypt(enc[..39], Key1, "test-suite1"));
    }

    [TestCase(1, 0, 256)] [TestCase(1, 10, 246)] [TestCase(246, 10, 246)] [TestCase(247, 10, 502)] [TestCase(247, 256, 256)]
    [TestCase(3744, 96, 3744)] [TestCase(3745, 96, 4000)] [TestCase(4864, 0, 4864)] [TestCase(4865, 0, 5120)]
    [TestCase(5121, 0, 6144)] [TestCase(9216, 0, 9216)] [TestCase(9217, 0, 10240)] [TestCase(10241, 0, 11264)]
    [TestCase(20480, 0, 20480)] [TestCase(20481, 0, 22528)] [TestCase(38912, 0, 38912)] [TestCase(38913, 0, 40960)]
    [TestCase(40961, 0, 46080)] [TestCase(46081, 0, 51200)] [TestCase(71680, 0, 71680)] [TestCase(71681, 0, 76800)]
    [TestCase(76800, 0, 76800)] [TestCase(76776, 24, 76776)] [TestCase(3839, 96, 4000)]
    public void PaddedSizeVector(int size, int overhead, int expected) =>
        Assert.That(ConfigEncryption.PaddedSize(size, overhead), Is.EqualTo(expected));

    [Test]
    public void CompressionVector()
    {
        byte[] data = Enumerable.Repeat((byte)0xaa, 81).ToArray();
        Assert.That(ToHex(ConfigWire.Compress(data)), Is.EqualTo("7a28b52ffd205145000010aaaa01008c022c"));
        Assert.That(ToHex(Zstd.TryCompress(data, 5)!), Is.EqualTo("28b52ffd20513d000008aa01000dea84"));

        byte[] hash0 = Hex("ea173b57beca8af18c3519a7bbf69c3e7a05d1c049fa9558341d8ebb48b0c965");
        byte[] profile = B("d1:#i1e1:&d1:n6:Kallie1:p34:http://example.org/omg-pic-123.bmp1:q6:secrete1:<lli0e32:", hash0, "deee1:=d1:n0:1:p0:1:q0:ee");
        Assert.That(profile.Length, Is.EqualTo(142));
        Assert.That(ConfigWire.Compress(profile), Is.SameAs(profile), "does not shrink: left as is");

        byte[] data2 = B("d1:#i1e1:&d1:n12:KallieKallie1:p29:http://kallie.example.org/Kallie.bmp1:q24:KallieKalliesecretKalliee1:<lli0e32:",
            hash0, "deee1:=d1:n0:1:p0:1:q0:ee");
        byte[] z = ConfigWire.Compress(data2);
        Assert.That(ToHex(z), Is.EqualTo(
            "7a28b52ffd20aabd0400640864313a23693165313a2664313a6e31323a4b616c6c6965313a7032393a68" +
            "7474703a2f2f6b2e6578616d706c652e6f72672f4b626d70313a71323473656372657465313a3c6c6c69" +
            "306533323aea173b57beca8af18c3519a7bbf69c3e7a05d1c049fa9558341d8ebb48b0c9656465656531" +
            "3a3d64313a6e303a313a70303a313a71303a656505003587f2d5e1c02836af9aa13401"));
        Assert.That(ConfigWire.Finish(B("z", Zstd.TryCompress(B("d1:#i0ee"))!)), Is.EqualTo(B("d1:#i0ee")));
        Assert.That(ConfigWire.Finish(B("znot zstd")), Is.Null);
    }

    private static readonly byte[] TestSeed = Hex("0123456789abcdef0123456789abcdef00000000000000000000000000000000");

    [TestCase(1, "e5bcbe0595e82d55e80079dc9cf8c8b6952c099ee8306c413833e0eecd45ce03")]
    [TestCase(2, "1573a2e233008a47f445a8f1b328fe37bcd49450c94b743202b68902a1a94a89")]
    [TestCase(3, "121dabefb251fa586c14f7e9c82590361c2db4efcb9817771bb4d9b0aaba9362")]
    [TestCase(4, "b78bd9b62719db76ff7a9ec59eef3de0b4aaee4e4d55b515f70b04d674f8b8a9")]
    public void WrapDigestVector(int kindNumber, string digest)
    {
        var kind = (SharedConfigMessage.Types.Kind)kindNumber;
        using Identity me = Identity.FromSeed(TestSeed);
        byte[] payload = K("Hello from the other side");
        byte[] wrapped = ConfigWire.Wrap(me, payload, 1, kind);
        Assert.That(wrapped.Length, Is.EqualTo(199));
        Assert.That(ToHex(ConfigMessage.HashOf(wrapped)), Is.EqualTo(digest));
        Assert.That(ConfigWire.Unwrap(me, wrapped, kind), Is.EqualTo(payload));
        // Another config kind, another account, or extra bytes: not accepted as a wrapping.
        var other = kind == SharedConfigMessage.Types.Kind.Contacts ? SharedConfigMessage.Types.Kind.UserProfile : SharedConfigMessage.Types.Kind.Contacts;
        Assert.That(ConfigWire.Unwrap(me, wrapped, other), Is.Null);
        using Identity stranger = Identity.Generate();
        Assert.That(ConfigWire.Unwrap(stranger, wrapped, kind), Is.Null);
        byte[] junk = K("jfeejj0ifdoesam");
        foreach (int at in new[] { 0, wrapped.Length - 4, wrapped.Length })
            Assert.That(ConfigWire.Unwrap(me, [.. wrapped[..at], .. junk, .. wrapped[at..]], kind), Is.Null);
    }

    [Test]
    public void OldClientMessageVector()
    {
        using Identity me = Identity.FromSeed(Hex("f887566576de6c16d9ec251d55e24c1400000000000000000000000000000000"));
        byte[] stored = Hex(UserConfigVectors.OldClientMessage);
        Assert.That(stored.Length, Is.EqualTo(839));
        byte[]? data = ConfigWire.Unwrap(me, stored, SharedConfigMessage.Types.Kind.UserProfile);
        Assert.That(data, Is.Not.Null);
        Assert.That(data!.Length, Is.EqualTo(512));
        byte[] plain = ConfigWire.Finish(ConfigEncryption.Unpad(ConfigEncryption.Decrypt(data, me.Seed, "UserProfile")))!;
        Assert.That(plain.Length, Is.EqualTo(223));
        ConfigMessage m = ConfigMessage.Parse(plain);
        Assert.That(m.Seqno, Is.EqualTo(4));
        Assert.That(Printable((byte[])m.Data[K("n")]), Is.EqualTo("Test1"));
        Assert.That(m.Data[K("+")], Is.EqualTo(-1L));
        Assert.That(m.Lagged.Keys.Select(k => k.Seqno), Is.EqualTo(new long[] { 0, 1, 2, 3 }));
        Assert.That(ToHex(m.Lagged.Keys.Last().Hash), Is.EqualTo("3e766d34dc6ac55aabdeb656d01a81992c04762375e3c994cfa7c61d91367384"));

        // And through the whole receive path: a fresh profile adopts it.
        var profile = new UserProfile(me);
        Assert.That(profile.Merge([("oldhash", stored)], 0), Is.EquivalentTo(new[] { "oldhash" }));
        Assert.That(profile.Name, Is.EqualTo("Test1"));
        Assert.That(profile.NoteToSelfPriority, Is.EqualTo(-1));
        Assert.That(profile.NeedsPush, Is.False);
    }
}
