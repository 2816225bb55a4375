using System.Text;
using Sodium;

namespace SessionInterop.LocalNet.Tests.Support;

// A Session account for tests: Ed25519 identity, its X25519 Session ID, and request signing (§4.5).
internal sealed class TestAccount
{
    internal TestAccount(byte[]? seed = null)
    {
        KeyPair kp = seed is null ? PublicKeyAuth.GenerateKeyPair() : PublicKeyAuth.GenerateKeyPair(seed);
        EdPublic = kp.PublicKey;
        EdSecret = kp.PrivateKey;
        SessionId = "05" + Convert.ToHexStringLower(PublicKeyAuth.ConvertEd25519PublicKeyToCurve25519PublicKey(kp.PublicKey));
    }

    internal byte[] EdPublic { get; }
    internal byte[] EdSecret { get; }
    internal string SessionId { get; }
    internal string EdHex => Convert.ToHexStringLower(EdPublic);

    internal string Sign(string message) => Convert.ToBase64String(PublicKeyAuth.SignDetached(Encoding.UTF8.GetBytes(message), EdSecret));

    internal static long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
