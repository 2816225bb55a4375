using NUnit.Framework;
using SessionInterop.Crypto;

namespace SessionInterop.Tests.Crypto;

public sealed class NameAndPushTests
{
    private const string File = "lsu-session-encrypt.json";

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { File, "ons" })]
    public void Ons_result_decrypts_to_the_official_session_id(Case c)
    {
        SessionId id = OnsResponse.Decrypt(c.Str("name"), c.Bytes("ciphertext"), c.Bytes("nonce"));
        Assert.That(id.ToString(), Is.EqualTo(c.Str("session_id")));
        Assert.That(OnsResponse.Decrypt(c.Str("name").ToUpperInvariant(), c.Bytes("ciphertext"), c.Bytes("nonce")), Is.EqualTo(id));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { File, "ons" })]
    public void Ons_result_for_another_name_fails(Case c)
    {
        var ex = Assert.Throws<SessionException>(() => OnsResponse.Decrypt(c.Str("name") + "x", c.Bytes("ciphertext"), c.Bytes("nonce")));
        Assert.That(ex!.Code, Is.EqualTo("crypto.decrypt_failed"));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { File, "push" })]
    public void Push_payload_decrypts_to_the_official_plaintext(Case c)
    {
        byte[] plain = PushNotification.Decrypt(c.Bytes("key"), c.Bytes("payload"));
        Assert.That(System.Text.Encoding.ASCII.GetString(plain), Is.EqualTo(c.Str("plaintext_ascii")));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { File, "push" })]
    public void Push_payload_with_a_flipped_byte_fails(Case c)
    {
        byte[] payload = c.Bytes("payload");
        payload[^1] ^= 1;
        var ex = Assert.Throws<SessionException>(() => PushNotification.Decrypt(c.Bytes("key"), payload));
        Assert.That(ex!.Code, Is.EqualTo("crypto.decrypt_failed"));
    }
}
