using NUnit.Framework;
using SessionInterop.Config;
using static SessionInterop.Tests.Config.ConfigTestData;

namespace SessionInterop.Tests.Config;

/// <summary>
/// bt-encoding. Encoding vectors from libsession-util tests/test_configdata.cpp ("config data
/// scalar/set/dict encoding", protocol-config.md §2.1); the rest are our strictness rules (§2.3).
/// </summary>
public class BtTests
{
    [Test]
    public void ScalarsEncodeAsLibsession()
    {
        Assert.That(Printable(Bt.Encode(3L)), Is.EqualTo("i3e"));
        Assert.That(Printable(Bt.Encode(K("hi"))), Is.EqualTo("2:hi"));
        Assert.That(Printable(Bt.Encode(-42L)), Is.EqualTo("i-42e"));
    }

    [Test]
    public void SetsSortIntegersFirstThenBytes()
    {
        ConfigSet s = S("foo", 23, "Foo", "~", "!", "foo", -123);
        Assert.That(Printable(Bt.Encode(s)), Is.EqualTo("li-123ei23e1:!3:Foo3:foo1:~e"));
    }

    [Test]
    public void DictKeysSortByUnsignedBytes()
    {
        BtDict d = D(("a", 23), ("B", "x"), ("c", S("2", "1", 4, -3)), ("D", D(("x", 1), ("y", 2))),
            ("d", D(("e", D(("f", D(("g", ""))))))));
        Assert.That(Printable(Bt.Encode(d)), Is.EqualTo("d1:B1:x1:Dd1:xi1e1:yi2ee1:ai23e1:cli-3ei4e1:11:2e1:dd1:ed1:fd1:g0:eeee"));
        // High bytes sort after ASCII (unsigned comparison), as std::string keys do.
        var high = new BtDict { [new byte[] { 0xff }] = 1L, [K("z")] = 2L };
        Assert.That(Bt.Encode(high), Is.EqualTo(B("d1:zi2e1:", new byte[] { 0xff }, "i1ee")));
    }

    [Test]
    public void DecodeRoundTripsCanonicalInput()
    {
        byte[] input = B("d1:B1:x1:Dd1:xi1e1:yi2ee1:ai23e1:cli-3ei4e1:11:2e1:dd1:ed1:fd1:g0:eeee");
        Assert.That(Bt.Encode(Bt.Decode(input)), Is.EqualTo(input));
        Assert.That(Bt.Decode(B("i-9223372036854775808e")), Is.EqualTo(long.MinValue));
        Assert.That(Bt.Decode(B("i9223372036854775807e")), Is.EqualTo(long.MaxValue));
    }

    [TestCase("i01e", TestName = "leading zero")]
    [TestCase("i-0e", TestName = "negative zero")]
    [TestCase("ie", TestName = "empty integer")]
    [TestCase("i9223372036854775808e", TestName = "integer overflow")]
    [TestCase("i-9223372036854775809e", TestName = "integer underflow")]
    [TestCase("i1x2e", TestName = "junk in integer")]
    [TestCase("5:abc", TestName = "string past end")]
    [TestCase("03:abc", TestName = "string length leading zero")]
    [TestCase("3abc", TestName = "string without colon")]
    [TestCase("d1:bi1e1:ai2ee", TestName = "unsorted keys")]
    [TestCase("d1:ai1e1:ai2ee", TestName = "duplicate keys")]
    [TestCase("di1ei2ee", TestName = "integer key")]
    [TestCase("d1:ae", TestName = "key without value")]
    [TestCase("l", TestName = "unterminated list")]
    [TestCase("d", TestName = "unterminated dict")]
    [TestCase("i1ei2e", TestName = "trailing value")]
    [TestCase("x", TestName = "unknown type")]
    [TestCase("", TestName = "empty input")]
    public void DecoderRejects(string input)
    {
        var e = Assert.Throws<SessionException>(() => Bt.Decode(B(input)));
        Assert.That(e!.Code, Is.EqualTo("config.malformed"));
    }

    [Test]
    public void NestingIsBounded()
    {
        string deep = new string('l', Bt.MaxDepth + 2) + new string('e', Bt.MaxDepth + 2);
        Assert.Throws<SessionException>(() => Bt.Decode(B(deep)));
        string ok = new string('l', Bt.MaxDepth) + new string('e', Bt.MaxDepth);
        Assert.DoesNotThrow(() => Bt.Decode(B(ok)));
    }

    [Test]
    public void HugeLengthPrefixIsRejectedWithoutAllocating()
    {
        Assert.Throws<SessionException>(() => Bt.Decode(B("99999999999:x")));
        Assert.Throws<SessionException>(() => Bt.Decode(B("2147483647:x")));
    }
}
