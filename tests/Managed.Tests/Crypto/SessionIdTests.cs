using NUnit.Framework;
using SessionInterop.Crypto;

namespace SessionInterop.Tests.Crypto;

public sealed class SessionIdTests
{
    private const string Key = "d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72";

    [TestCase("00", SessionIdPrefix.Unblinded)]
    [TestCase("03", SessionIdPrefix.Group)]
    [TestCase("05", SessionIdPrefix.Standard)]
    [TestCase("07", SessionIdPrefix.VersionBlinded)]
    [TestCase("15", SessionIdPrefix.Blinded15)]
    [TestCase("25", SessionIdPrefix.Blinded25)]
    public void Every_known_prefix_parses(string prefix, SessionIdPrefix expected)
    {
        SessionId id = SessionId.Parse(prefix + Key);
        Assert.That(id.Prefix, Is.EqualTo(expected));
        Assert.That(Convert.ToHexStringLower(id.Key), Is.EqualTo(Key));
        Assert.That(id.ToString(), Is.EqualTo(prefix + Key));
    }

    [Test]
    public void Upper_case_and_surrounding_whitespace_are_normalised()
    {
        SessionId id = SessionId.Parse("  05" + Key.ToUpperInvariant() + "\n");
        Assert.That(id.ToString(), Is.EqualTo("05" + Key));
        Assert.That(id, Is.EqualTo(SessionId.Parse("05" + Key)));
    }

    [TestCase("05")]
    [TestCase("05" + Key + "00")]
    [TestCase("5" + Key)]
    [TestCase("")]
    public void Wrong_length_is_rejected(string text) =>
        Expect.Failure(() => SessionId.Parse(text), "id.bad_length");

    [Test]
    public void Non_hex_characters_are_rejected() =>
        Expect.Failure(() => SessionId.Parse("05" + Key[..63] + "g"), "id.bad_hex");

    [TestCase("01")]
    [TestCase("06")]
    [TestCase("ff")]
    public void Unknown_prefixes_are_rejected(string prefix) =>
        Expect.Failure(() => SessionId.Parse(prefix + Key), "id.unknown_prefix");

    [TestCase("15")]
    [TestCase("25")]
    [TestCase("03")]
    public void A_blinded_or_group_id_is_rejected_where_an_account_id_is_required(string prefix) =>
        Expect.Failure(() => SessionId.Parse(prefix + Key, SessionIdPrefix.Standard), "id.wrong_prefix");

    [Test]
    public void Error_messages_do_not_echo_the_id()
    {
        var ex = Assert.Throws<SessionException>(() => SessionId.Parse("15" + Key, SessionIdPrefix.Standard));
        Assert.That(ex!.Message, Does.Not.Contain(Key[..16]));
        Assert.That(ex.Status, Is.EqualTo(SessionStatus.EInvalidArgument));
    }

    [Test]
    public void TryParse_reports_failure_without_throwing()
    {
        Assert.That(SessionId.TryParse("nonsense", out _), Is.False);
        Assert.That(SessionId.TryParse(null, out _), Is.False);
        Assert.That(SessionId.TryParse("05" + Key, out SessionId id), Is.True);
        Assert.That(id.Prefix, Is.EqualTo(SessionIdPrefix.Standard));
    }

    [Test]
    public void Bytes_round_trip_and_equality_is_by_value()
    {
        SessionId a = SessionId.Parse("05" + Key);
        SessionId b = SessionId.FromBytes(a.AsSpan());
        Assert.That(b, Is.EqualTo(a));
        Assert.That(b.GetHashCode(), Is.EqualTo(a.GetHashCode()));
        Assert.That(a == b, Is.True);
        Assert.That(SessionId.FromKey(SessionIdPrefix.Blinded15, a.Key) != a, Is.True);
        Expect.Failure(() => SessionId.FromBytes(new byte[32]), "id.bad_length");
    }

    [Test]
    public void Short_string_hides_most_of_the_id()
    {
        string s = SessionId.Parse("05" + Key).ToShortString();
        Assert.That(s, Does.StartWith("05d2ad"));
        Assert.That(s, Does.Not.Contain(Key[10..30]));
    }

}
