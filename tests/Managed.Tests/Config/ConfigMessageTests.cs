using NUnit.Framework;
using SessionInterop.Config;
using SessionInterop.Crypto;
using static SessionInterop.Tests.Config.ConfigTestData;

namespace SessionInterop.Tests.Config;

/// <summary>
/// The config message: serialization, hashes, increments, diffs, signatures and merges. Every
/// vector is from libsession-util tests/test_configdata.cpp (session-foundation/libsession-util,
/// protocol-config.md §3 and §7 V-CFG / V-SIG), transcribed here.
/// </summary>
public class ConfigMessageTests
{
    private static void AssertBytes(byte[] actual, byte[] expected) =>
        Assert.That(Printable(actual), Is.EqualTo(Printable(expected)));

    private static ConfigMessage Seqno10()
    {
        ConfigMessage m = ConfigMessage.NewMutable(10);
        m.Data[K("foo")] = 123L;
        m.Data[K("bar")] = D(("asdf", 123), ("xyz", "abc"), ("", S("a", "b", 42)));
        return m;
    }

    private static readonly byte[] Seqno10Unsigned = B(
        "d", "1:#", "i10e",
        "1:&", "d", "3:bar", "d", "0:", "li42e1:a1:be", "4:asdf", "i123e", "3:xyz", "3:abc", "e", "3:foo", "i123e", "e",
        "1:<", "le",
        "1:=", "d", "3:bar", "d", "0:", "lli42e1:a1:belee", "4:asdf", "0:", "3:xyz", "0:", "e", "3:foo", "0:", "e");

    /// <summary>The m2 edits of test_configdata.cpp ("config diff" and "serialization"); 42 is already present.</summary>
    private static void EditsOfM2(ConfigMessage m2)
    {
        m2.Data[K("foo")] = 123L;
        Sub(m2.Data, "bar")[K("xyz")] = 42L;
        Sub(m2.Data, "bar")[K("a")] = 42L;
        Set(Sub(m2.Data, "bar"), "").Add(K("c"));
        Set(Sub(m2.Data, "bar"), "").Add(99L);
        Set(Sub(m2.Data, "bar"), "").Remove(K("b"));
        Set(Sub(m2.Data, "bar"), "").Add(42L);
    }

    [Test]
    public void PruningRemovesEmptySetsAndDicts()
    {
        ConfigMessage m = ConfigMessage.NewMutable();
        m.Data[K("a")] = 123L;
        m.Data[K("b")] = new BtDict();
        m.Data[K("c")] = D(("a", 1));
        m.Data[K("d")] = S(42);
        m.Data[K("e")] = new ConfigSet();
        m.Data[K("f")] = D(("a", 1), ("b", new ConfigSet()));
        m.Data[K("g")] = D(("a", D(("a", D(("a", new BtDict()))))));
        ConfigMessage.Prune(m.Data);
        Assert.That(Bt.Same(m.Data, D(("a", 123), ("c", D(("a", 1))), ("d", S(42)), ("f", D(("a", 1))))), Is.True);
    }

    [Test]
    public void DiffListsChanges()
    {
        ConfigMessage m = ConfigMessage.NewMutable();
        m.Data[K("foo")] = 123L;
        m.Data[K("empty")] = new ConfigSet();
        m.Data[K("empty2")] = new BtDict();
        m.Data[K("bar")] = D(("asdf", 123), ("xyz", "abc"), ("", S("a", "b", 42)));
        AssertBytes(Bt.Encode(m.Diff()), B("d3:bard0:lli42e1:a1:belee4:asdf0:3:xyz0:e3:foo0:e"));

        ConfigMessage m1 = m.Increment();
        Assert.That(m1.Seqno, Is.EqualTo(1));
        Assert.That(m1.Diff(), Is.Empty);
        m1.Data.Remove(K("foo"));
        AssertBytes(Bt.Encode(m1.Diff()), B("d3:foo1:-e"));

        ConfigMessage m2 = m1.Increment();
        EditsOfM2(m2);
        AssertBytes(Bt.Encode(m2.Diff()), B("d3:bard0:lli99e1:cel1:bee1:a0:3:xyz0:e3:foo0:e"));
    }

    [Test]
    public void SerializationChain()
    {
        ConfigMessage m = Seqno10();
        AssertBytes(m.Serialize(), B(Seqno10Unsigned, "e"));
        byte[] hash0 = Hex("d65738bba88b0f3455cef20fe09a7b4b10f25f9db82be24a6ce1bd06da197526");
        Assert.That(ToHex(m.Hash()), Is.EqualTo(ToHex(hash0)));

        ConfigMessage m1 = m.Increment();
        m1.Data.Remove(K("foo"));
        byte[] hash1 = Hex("5b30b4abf4cba71db25dbc0d977cc25df1d0a8a87cad7f561cdec2b8caf65f5e");
        Assert.That(ToHex(m1.Hash()), Is.EqualTo(ToHex(hash1)));

        ConfigMessage m2 = m1.Increment();
        EditsOfM2(m2);
        byte[] hash2 = Hex("027552203cf669070d3ecbeecfa65c65497d59aa4da490e0f68f8131ce081320");
        Assert.That(ToHex(m2.Hash()), Is.EqualTo(ToHex(hash2)));
        AssertBytes(m2.Serialize(), B(
            "d", "1:#", "i12e",
            "1:&", "d", "3:bar", "d", "0:", "li42ei99e1:a1:ce", "1:a", "i42e", "4:asdf", "i123e", "3:xyz", "i42e", "e", "3:foo", "i123e", "e",
            "1:<", "l",
            "l", "i10e", "32:", hash0, "d", "3:bar", "d", "0:", "lli42e1:a1:belee", "4:asdf", "0:", "3:xyz", "0:", "e", "3:foo", "0:", "e", "e",
            "l", "i11e", "32:", hash1, "d", "3:foo", "1:-", "e", "e",
            "e",
            "1:=", "d", "3:bar", "d", "0:", "l", "li99e1:ce", "l1:be", "e", "1:a", "0:", "3:xyz", "0:", "e", "3:foo", "0:", "e",
            "e"));

        byte[] hash3 = Hex("b83871ea06587f9254cdf2b2af8daff19bd7fb550fb90d5f8f9f546464c08bc5");
        byte[] hash4 = Hex("c30e2cfa7ec93c64a1ab6420c9bccfb63da8e4c2940ed6509ffb64f3f0131860");
        byte[] hash5 = Hex("3234eb7da8cf4b79b9eec2a144247279d10f6f118184f82429a42c5996bea60c");
        Assert.That(ToHex(m2.Increment().Hash()), Is.EqualTo(ToHex(hash3)));
        Assert.That(ToHex(m2.Increment().Increment().Hash()), Is.EqualTo(ToHex(hash4)));
        ConfigMessage m5 = m2.Increment().Increment().Increment();
        Assert.That(ToHex(m5.Hash()), Is.EqualTo(ToHex(hash5)));
        AssertBytes(m5.Serialize(), B(
            "d", "1:#", "i15e",
            "1:&", "d", "3:bar", "d", "0:", "li42ei99e1:a1:ce", "1:a", "i42e", "4:asdf", "i123e", "3:xyz", "i42e", "e", "3:foo", "i123e", "e",
            "1:<", "l",
            "l", "i11e", "32:", hash1, "d", "3:foo", "1:-", "e", "e",
            "l", "i12e", "32:", hash2, "d", "3:bar", "d", "0:", "l", "li99e1:ce", "l1:be", "e", "1:a", "0:", "3:xyz", "0:", "e", "3:foo", "0:", "e", "e",
            "l", "i13e", "32:", hash3, "de", "e",
            "l", "i14e", "32:", hash4, "de", "e",
            "e",
            "1:=", "d", "e",
            "e"));
    }

    // ------------------------------------------------------------------ signatures (V-SIG)

    private static readonly byte[] SigningKey = Hex("79f530dbf3d81aecc04072933c1b3e3edc0b7d91f2dcc2f7756f2611886cca5f4384261cdd338f5820ca9cbbe3fc72ac8944ee60d3b795b797fbbf5597b09f17");

    private static byte[] Sign(byte[] data)
    {
        var sig = new byte[64];
        Primitives.Sign(SigningKey, data, sig);
        return sig;
    }

    private static bool Verify(byte[] data, byte[] sig) => Primitives.Verify(sig, data, SigningKey.AsSpan(32));

    [Test]
    public void SignatureVector()
    {
        byte[] expectedSig = Hex("77267f4de7701ae348eba0ef73175281512ba3f1051cfed22dc3e31b9c6993302938863e09bc8b33638161071bd8dc397d5c1d3f674120d08fbb9c64dde2e907");
        Assert.That(ToHex(Sign(Seqno10Unsigned)), Is.EqualTo(ToHex(expectedSig)));
        ConfigMessage m = Seqno10();
        m.Signer = Sign;
        byte[] expected = B(Seqno10Unsigned, "1:~64:", expectedSig, "e");
        AssertBytes(m.Serialize(), expected);

        ConfigMessage parsed = ConfigMessage.Parse(expected, Verify);
        Assert.That(parsed.VerifiedSignature, Is.True);
        Assert.That(ToHex(parsed.Hash()), Is.EqualTo(ToHex(m.Hash())));
        parsed.Signer = Sign;
        AssertBytes(parsed.Serialize(), expected);

        byte[] broken = (byte[])expected.Clone();
        Assert.That(broken[^2], Is.EqualTo(0x07));
        broken[^2] = 0x17;
        Assert.That(Assert.Throws<SessionException>(() => ConfigMessage.Parse(broken, Verify))!.Code, Is.EqualTo("config.bad_signature"));
        Assert.Throws<SessionException>(() => ConfigMessage.Merge([broken, broken], Verify));
        ConfigMessage m2 = ConfigMessage.Merge([broken, expected], Verify);
        Assert.That(m2.Merged, Is.False);
        Assert.That(m2.Seqno, Is.EqualTo(10));
        Assert.That(ToHex(m2.Hash()), Is.EqualTo(ToHex(m.Hash())));
        Assert.DoesNotThrow(() => ConfigMessage.Merge([expected, broken], Verify));

        byte[] unsigned = B(Seqno10Unsigned, "e");
        Assert.That(Assert.Throws<SessionException>(() => ConfigMessage.Parse(unsigned, Verify))!.Code, Is.EqualTo("config.missing_signature"));
    }

    // ------------------------------------------------------------------ examples 1-4 (docs/config-merge-logic.md)

    private static BtDict Data118() => D(
        ("dictB", D(("changed", -1), ("foo", 123), ("removed", "x"), ("removed2", "y"))),
        ("dictC", D(("x", D(("y", 1))))),
        ("good", S(99, 456, "bar")),
        ("great", S(-42, "omg")),
        ("int0", -9999),
        ("int1", 100),
        ("string1", "hello"),
        ("string2", "goodbye"));

    private static readonly byte[] H119 = Hex("43094f68c1faa37eff79e1c2f3973ffd5f9d6423b00ccda306fc6e7dac5f0c44");
    private static readonly byte[] H120 = Hex("e3a237f91014d31e4d30569c4a8bfcd72157804f99b8732c611c48bf126432b5");
    private static readonly byte[] H121 = Hex("1a7f602055124deaf21175ef3f32983dee7c9de570e5d9c9a0bbc2db71dcb97f");
    private static readonly byte[] H122 = Hex("46560604fe352101bb869435260d7100ccfe007be5f741c7e96303f02f394e8a");
    private static readonly byte[] H123 = Hex("d9398c597b058ac7e28e3febb76ed68eb8c5b6c369610562ab5f2b596775d73c");
    private static readonly byte[] H124 = Hex("8b73f316178765b9b3b37168e865c84bb5a78610cbb59b84d0fa4d3b4b3c102b");
    private static readonly byte[] H125a = Hex("80f229c3667de6d0fa6f96b53118e097fbda82db3ca1aea221a3db91ea9c45fb");
    private static readonly byte[] H125b = Hex("ab12f0efe9a9ed00db6b17b44ae0ff36b9f49094077fb114f415522f2a0e98de");

    private const string Data123Text =
        "5:dictBd7:changedi-1e3:fooi123e7:removed1:x8:removed21:ye5:dictCd1:xd1:yi1eee4:goodli99ei456e3:bare" +
        "5:greatli-42e3:omge4:int1i1e4:int2i2e7:string15:hello7:string27:goodbyee";

    private static readonly byte[] M123 = B(
        "d", "1:#", "i123e", "1:&", "d", Data123Text,
        "1:<", "l",
        "l", "i119e", "32:", H119, "de", "e",
        "l", "i120e", "32:", H120, "de", "e",
        "l", "i121e", "32:", H121, "de", "e",
        "l", "i122e", "32:", H122, "de", "e",
        "e",
        "1:=", "d", "4:int0", "1:-", "4:int1", "0:", "4:int2", "0:", "e",
        "e");

    private const string Diff124Text =
        "d5:dictAd7:goodbyelli123ei456eelee5:hello0:e5:dictBd5:added0:7:changed0:6:nestedd1:a0:e7:removed1:-8:removed21:-e" +
        "5:dictCd1:xd1:y1:-ee4:goodlli123e3:Fooeli456eee5:greatlleli-42e3:omgee4:int10:7:string11:-7:string20:7:string30:e";

    private static void Updates124(ConfigMessage m)
    {
        m.Data[K("dictA")] = D(("hello", 123), ("goodbye", S(123, 456)));
        BtDict dictB = Sub(m.Data, "dictB");
        dictB[K("changed")] = 1L;
        dictB[K("added")] = 9999L;
        dictB[K("nested")] = D(("a", 1));
        dictB.Remove(K("removed"));
        dictB.Remove(K("removed2"));
        m.Data.Remove(K("dictC"));
        Set(m.Data, "good").Add(K("Foo"));
        Set(m.Data, "good").Remove(456L);
        Set(m.Data, "good").Add(123L);
        m.Data[K("int1")] = 42L;
        m.Data.Remove(K("string1"));
        m.Data[K("string2")] = K("hello");
        m.Data[K("string3")] = K("omg");
        m.Data.Remove(K("great"));
    }

    [Test]
    public void Example1OrdinaryUpdate()
    {
        ConfigMessage m118 = ConfigMessage.NewMutable(118);
        foreach (var (k, v) in Data118()) m118.Data[k] = v;
        byte[] expected118 = B(
            "d", "1:#", "i118e",
            "1:&", "d5:dictBd7:changedi-1e3:fooi123e7:removed1:x8:removed21:ye5:dictCd1:xd1:yi1eee4:goodli99ei456e3:bare",
            "5:greatli-42e3:omge4:int0i-9999e4:int1i100e7:string15:hello7:string27:goodbyee",
            "1:<", "le",
            "1:=", "d5:dictBd7:changed0:3:foo0:7:removed0:8:removed20:e5:dictCd1:xd1:y0:ee4:goodlli99ei456e3:barelee",
            "5:greatlli-42e3:omgelee4:int00:4:int10:7:string10:7:string20:e",
            "e");
        AssertBytes(m118.Serialize(), expected118);
        Assert.That(ToHex(m118.Hash()), Is.EqualTo(ToHex(ConfigMessage.HashOf(expected118))));

        ConfigMessage m = m118.Increment();
        Assert.That(ToHex(m.Hash()), Is.EqualTo(ToHex(H119)));
        m = m.Increment();
        Assert.That(ToHex(m.Hash()), Is.EqualTo(ToHex(H120)));
        m = m.Increment();
        Assert.That(ToHex(m.Hash()), Is.EqualTo(ToHex(H121)));
        m = m.Increment();
        Assert.That(ToHex(m.Hash()), Is.EqualTo(ToHex(H122)));
        m = m.Increment();
        m.Data[K("int1")] = 1L;
        m.Data[K("int2")] = 2L;
        m.Data.Remove(K("int0"));
        m.Data[K("string1")] = K("hello");   // unchanged value: no diff entry
        AssertBytes(m.Serialize(), M123);
    }

    [Test]
    public void Deserialization()
    {
        ConfigMessage m = ConfigMessage.Parse(M123);
        Assert.That(m.Seqno, Is.EqualTo(123));
        Assert.That(ToHex(m.Hash()), Is.EqualTo(ToHex(H123)));
        AssertBytes(Bt.Encode(m.Diff()), B("d4:int01:-4:int10:4:int20:e"));
        Assert.That(m.VerifiedSignature, Is.False);
        BtDict expectedData = Data118();
        expectedData[K("int1")] = 1L;
        expectedData.Remove(K("int0"));
        expectedData[K("int2")] = 2L;
        Assert.That(Bt.Same(m.Data, expectedData), Is.True);

        // Loading as mutable (libsession's MutableConfigMessage(bytes)) increments at once.
        ConfigMessage mut = ConfigMessage.Merge([M123]).ToMutableAfterMerge();
        Assert.That(mut.Seqno, Is.EqualTo(124));
        Assert.That(ToHex(mut.Hash()), Is.EqualTo("3ea36410cf7086ce816eb193b0c94e88632abfb75771d82f8ddb3a909124c580"));
        Assert.That(mut.Diff(), Is.Empty);
        Assert.That(mut.Merged, Is.False);
        AssertBytes(mut.Serialize(), B(
            "d", "1:#", "i124e", "1:&", "d", Data123Text,
            "1:<", "l",
            "l", "i120e", "32:", H120, "de", "e",
            "l", "i121e", "32:", H121, "de", "e",
            "l", "i122e", "32:", H122, "de", "e",
            "l", "i123e", "32:", H123, "d", "4:int0", "1:-", "4:int1", "0:", "4:int2", "0:", "e", "e",
            "e",
            "1:=", "de",
            "e"));
    }

    [TestCase("d1:#i0e1:&d0:lee1:<le1:=dee", TestName = "empty set in data")]
    [TestCase("d1:#i0e1:&d0:dee1:<le1:=dee", TestName = "empty dict in data")]
    [TestCase("d1:!i1e1:#i0e1:&de1:<le1:=dee", TestName = "key before # (major version break)")]
    [TestCase("d1:&de1:<le1:=dee", TestName = "no seqno")]
    [TestCase("d1:#i0e1:<le1:=dee", TestName = "no data")]
    [TestCase("d1:#i0e1:&le1:<le1:=dee", TestName = "data not a dict")]
    [TestCase("d1:#i0e1:&d1:ali2ei1eee1:<le1:=dee", TestName = "unsorted set")]
    [TestCase("d1:#i0e1:&d1:alli1eeee1:<le1:=dee", TestName = "list inside set")]
    [TestCase("d1:#i0e1:&de1:<le1:=d1:a1:xee", TestName = "bad scalar diff")]
    [TestCase("d1:#i0e1:&de1:<le1:=d1:alleee", TestName = "set diff with one list")]
    [TestCase("d1:#i1e1:&de1:<li1ee1:=dee", TestName = "lagged row not a list")]
    [TestCase("d1:#i5e1:&de1:<lli7e0:deee1:=dee", TestName = "lagged row newer than message")]
    [TestCase("d1:#i0e1:&de1:<le1:=de1:~3:abce", TestName = "short signature")]
    [TestCase("d1:#i0e1:&de1:<le1:=de1:\x7fi1ee", TestName = "key after ~")]
    public void ParserRejects(string text)
    {
        Assert.Throws<SessionException>(() => ConfigMessage.Parse(B(text)));
    }

    [Test]
    public void UnknownTopLevelKeysSurviveIncrement()
    {
        byte[] input = B("d1:#i3e1:%i7e1:&d1:ai1ee1:;3:xyz1:<le1:=de1:>le1:}dee");
        ConfigMessage m = ConfigMessage.Parse(input);
        AssertBytes(m.Serialize(), input);
        ConfigMessage next = m.Increment();
        next.Data[K("b")] = 2L;
        byte[] h = m.Hash();
        AssertBytes(next.Serialize(), B("d1:#i4e1:%i7e1:&d1:ai1e1:bi2ee1:;3:xyz1:<lli3e32:", h, "deee1:=d1:b0:e1:>le1:}dee"));
    }

    [Test]
    public void Example2LargeUpdate()
    {
        ConfigMessage m = ConfigMessage.Merge([M123]).ToMutableAfterMerge();
        Updates124(m);
        AssertBytes(m.Serialize(), B(
            "d", "1:#", "i124e",
            "1:&", "d5:dictAd7:goodbyeli123ei456ee5:helloi123ee5:dictBd5:addedi9999e7:changedi1e3:fooi123e6:nestedd1:ai1eee",
            "4:goodli99ei123e3:Foo3:bare4:int1i42e4:int2i2e7:string25:hello7:string33:omge",
            "1:<", "l",
            "l", "i120e", "32:", H120, "de", "e",
            "l", "i121e", "32:", H121, "de", "e",
            "l", "i122e", "32:", H122, "de", "e",
            "l", "i123e", "32:", ConfigMessage.HashOf(M123), "d", "4:int0", "1:-", "4:int1", "0:", "4:int2", "0:", "e", "e",
            "e",
            "1:=", Diff124Text,
            "e"));
        Assert.That(ToHex(m.Hash()), Is.EqualTo(ToHex(H124)));
    }

    private static readonly byte[] M126 = B(
        "d", "1:#", "i126e",
        "1:&", "d5:dictAd7:goodbyeli123ei456ee5:helloi123ee5:dictBd5:addedi9999e7:changedi1e6:nestedd1:ai1eee",
        "4:goodli99ei123e3:Foo3:bare4:int1i5e4:int2i2e7:string25:hello7:string33:omge",
        "1:<", "l",
        "l", "i122e", "32:", H122, "de", "e",
        "l", "i123e", "32:", H123, "d", "4:int0", "1:-", "4:int1", "0:", "4:int2", "0:", "e", "e",
        "l", "i124e", "32:", H124, Diff124Text, "e",
        "l", "i125e", "32:", H125a, "d5:dictBd3:foo1:-ee", "e",
        "l", "i125e", "32:", H125b, "d4:int10:e", "e",
        "e",
        "1:=", "de",
        "e");

    [Test]
    public void Example3SimpleConflict()
    {
        ConfigMessage m124 = ConfigMessage.Merge([M123]).ToMutableAfterMerge();
        Updates124(m124);
        Assert.That(ToHex(m124.Hash()), Is.EqualTo(ToHex(H124)));
        ConfigMessage m125a = m124.Increment();
        Sub(m125a.Data, "dictB").Remove(K("foo"));
        ConfigMessage m125b = m124.Increment();
        m125b.Data[K("int1")] = 5L;
        Assert.That(ToHex(m125a.Hash()), Is.EqualTo(ToHex(H125a)));
        Assert.That(ToHex(m125b.Hash()), Is.EqualTo(ToHex(H125b)));

        ConfigMessage m = ConfigMessage.Merge([m125a.Serialize(), m125b.Serialize()]);
        Assert.That(m.Merged, Is.True);
        Assert.That(m.Seqno, Is.EqualTo(126));
        AssertBytes(m.Serialize(), M126);
        AssertBytes(ConfigMessage.Merge([m125b.Serialize(), m125a.Serialize()]).Serialize(), M126);
        AssertBytes(ConfigMessage.Merge([m124.Serialize(), m125b.Serialize(), m125a.Serialize()]).Serialize(), M126);
        AssertBytes(ConfigMessage.Merge([m125b.Serialize(), m125a.Serialize(), m124.Serialize()]).Serialize(), M126);

        // 120b is too far behind the top seqno (125) and is ignored.
        ConfigMessage m120b = ConfigMessage.NewMutable(118).Increment().Increment();
        m120b.Data[K("too old")] = K("won't see");
        AssertBytes(ConfigMessage.Merge([m125b.Serialize(), m120b.Serialize(), m125a.Serialize()]).Serialize(), M126);
        Assert.That(ToHex(ConfigMessage.HashOf(M126)), Is.EqualTo("4880a507551dc04b578482b1f4d0872f022c96d04b9cd5f711d5616261e3f649"));
    }

    [Test]
    public void Example4ComplexConflict()
    {
        ConfigMessage m123 = ConfigMessage.Parse(M123);
        ConfigMessage m124a = m123.Increment();
        Sub(m124a.Data, "dictB")[K("foo")] = 66L;
        Sub(m124a.Data, "dictB")[K("answer")] = 42L;
        ConfigMessage m124b = m123.Increment();
        Updates124(m124b);
        Assert.That(ToHex(m124b.Hash()), Is.EqualTo(ToHex(H124)));
        ConfigMessage m125a = m124b.Increment();
        Sub(m125a.Data, "dictB").Remove(K("foo"));
        ConfigMessage m125b = m124b.Increment();
        m125b.Data[K("int1")] = 5L;
        ConfigMessage m126a = ConfigMessage.Merge([m125a.Serialize(), m125b.Serialize()]);
        ConfigMessage m120b = ConfigMessage.NewMutable(118).Increment().Increment();
        m120b.Data[K("too old")] = K("won't see");
        ConfigMessage m126b = ConfigMessage.Merge([m125b.Serialize(), m124a.Serialize(), m125a.Serialize(), m123.Serialize(), m120b.Serialize()]);
        Assert.That(m124a.Hash().AsSpan().SequenceCompareTo(m124b.Hash()), Is.LessThan(0));
        Assert.That(m126a.Hash().AsSpan().SequenceCompareTo(m126b.Hash()), Is.LessThan(0));

        ConfigMessage m127 = ConfigMessage.Merge([m126a.Serialize(), m126b.Serialize()]).ToMutableAfterMerge();
        Set(Sub(m127.Data, "dictA"), "goodbye").Add(789L);
        Assert.That(m127.Seqno, Is.EqualTo(127));
        AssertBytes(m127.Serialize(), B(
            "d", "1:#", "i127e",
            "1:&", "d5:dictAd7:goodbyeli123ei456ei789ee5:helloi123ee5:dictBd5:addedi9999e6:answeri42e7:changedi1e6:nestedd1:ai1eee",
            "4:goodli99ei123e3:Foo3:bare4:int1i5e4:int2i2e7:string25:hello7:string33:omge",
            "1:<", "l",
            "l", "i123e", "32:", H123, "d", "4:int0", "1:-", "4:int1", "0:", "4:int2", "0:", "e", "e",
            "l", "i124e", "32:", m124a.Hash(), "d5:dictBd6:answer0:3:foo0:ee", "e",
            "l", "i124e", "32:", H124, Diff124Text, "e",
            "l", "i125e", "32:", H125a, "d5:dictBd3:foo1:-ee", "e",
            "l", "i125e", "32:", H125b, "d4:int10:e", "e",
            "l", "i126e", "32:", m126a.Hash(), "de", "e",
            "l", "i126e", "32:", m126b.Hash(), "de", "e",
            "e",
            "1:=", "d5:dictAd7:goodbyelli789eeleeee",
            "e"));

        ConfigMessage alt = ConfigMessage.Merge([m127.Serialize(), m125a.Serialize(), m126b.Serialize()]);
        Assert.That(alt.Seqno, Is.EqualTo(127));
        Assert.That(ToHex(alt.Hash()), Is.EqualTo(ToHex(m127.Hash())));
    }
}
