using NUnit.Framework;
using SessionInterop.State;

namespace SessionInterop.Tests.State;

public sealed class IdentityProtectorTests
{
    private static readonly byte[] s_seed = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Test]
    public void A_sealed_seed_opens_with_the_same_key()
    {
        byte[] key = [.. Enumerable.Repeat((byte)7, 32)];
        byte[] box = IdentityProtector.Seal(s_seed, key);
        Assert.That(box, Has.Length.EqualTo(24 + 32 + 16));
        Assert.That(box.AsSpan().IndexOf(s_seed.AsSpan(0, 16)), Is.EqualTo(-1), "the seed is not stored in the clear");
        Assert.That(IdentityProtector.Open(box, key), Is.EqualTo(s_seed));
    }

    [Test]
    public void A_wrong_key_is_reported_as_wrong_key()
    {
        byte[] box = IdentityProtector.Seal(s_seed, [1, 2, 3]);
        var e = Assert.Throws<SessionException>(() => IdentityProtector.Open(box, [1, 2, 4]))!;
        Assert.That(e.Status, Is.EqualTo(SessionStatus.EWrongKey));
        Assert.Throws<SessionException>(() => IdentityProtector.Open(box, []));
    }

    [Test]
    public void Without_an_app_key_the_seed_still_round_trips()
    {
        byte[] box = IdentityProtector.Seal(s_seed, []);
        Assert.That(IdentityProtector.Open(box, []), Is.EqualTo(s_seed));
    }

    [Test]
    public void A_truncated_box_is_bad_state_data()
    {
        var e = Assert.Throws<SessionException>(() => IdentityProtector.Open(new byte[20], []))!;
        Assert.That(e.Status, Is.EqualTo(SessionStatus.EBadStateData));
    }

    [Test]
    public void Sealing_twice_uses_fresh_nonces() =>
        Assert.That(IdentityProtector.Seal(s_seed, []), Is.Not.EqualTo(IdentityProtector.Seal(s_seed, [])));
}
