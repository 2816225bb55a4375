using NUnit.Framework;
using SessionInterop.Crypto;

namespace SessionInterop.Tests.Crypto;

public sealed class PaddingTests
{
    [TestCase(0, 160)]
    [TestCase(10, 160)]
    [TestCase(158, 160)]
    [TestCase(159, 320)]
    [TestCase(160, 320)]
    [TestCase(319, 480)]
    public void Current_padding_rounds_up_to_a_multiple_of_160(int payload, int padded)
    {
        byte[] data = Enumerable.Range(1, payload).Select(i => (byte)(i % 255 + 1)).ToArray();
        byte[] result = Padding.Pad(data);
        Assert.That(result, Has.Length.EqualTo(padded));
        Assert.That(result.AsSpan(0, payload).ToArray(), Is.EqualTo(data));
        Assert.That(result[payload], Is.EqualTo(0x80));
        Assert.That(result.Skip(payload + 1), Is.All.EqualTo((byte)0));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { "desktop-padding.json", "legacy" })]
    public void Legacy_padding_reproduces_the_desktop_vector(Case c)
    {
        byte[] padded = Padding.PadLegacy(c.Bytes("payload"));
        Assert.That(padded, Has.Length.EqualTo((int)c.Long("padded_length")));
        Assert.That(padded, Is.EqualTo(c.Bytes("padded")));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { "desktop-padding.json", "legacy" })]
    public void Unpad_accepts_the_legacy_form(Case c) =>
        Assert.That(Padding.Unpad(c.Bytes("padded")).ToArray(), Is.EqualTo(c.Bytes("payload")));

    [Test]
    public void Unpad_treats_data_without_0x80_as_unpadded_and_strips_trailing_zeros() =>
        Assert.That(Padding.Unpad(new byte[] { 1, 2, 5, 0, 0 }).ToArray(), Is.EqualTo(new byte[] { 1, 2, 5 }));

    [Test]
    public void Unpad_of_all_zeros_or_empty_is_empty()
    {
        Assert.That(Padding.Unpad(new byte[10]).Length, Is.Zero);
        Assert.That(Padding.Unpad([]).Length, Is.Zero);
    }

    [Test]
    public void Unpad_removes_only_the_last_0x80()
    {
        byte[] payload = [0x80, 1, 0x80];
        Assert.That(Padding.Unpad(Padding.Pad(payload)).ToArray(), Is.EqualTo(payload));
    }

    [Test, Repeat(100)]
    public void Random_payloads_round_trip_through_both_forms()
    {
        byte[] payload = new byte[TestRandom.Rng.Next(0, 1000)];
        TestRandom.Rng.NextBytes(payload);
        if (payload.Length > 0) payload[^1] = (byte)TestRandom.Rng.Next(1, 256);   // real protobuf never ends in 0x00
        Assert.That(Padding.Unpad(Padding.Pad(payload)).ToArray(), Is.EqualTo(payload));
        Assert.That(Padding.Unpad(Padding.PadLegacy(payload)).ToArray(), Is.EqualTo(payload));
    }
}
