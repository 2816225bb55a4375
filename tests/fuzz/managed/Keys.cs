using SessionInterop.Crypto;

namespace SessionInterop.Fuzz;

/// <summary>
/// Fixed identities and keys, so every input replays to the same result. The "sealed" targets use
/// them to wrap fuzz bytes in valid cryptography, which lets the fuzzer reach the parsers behind
/// decryption and signature checks (random bytes never get past an AEAD tag).
/// </summary>
internal static class Keys
{
    public static readonly Identity Me = Identity.FromSeed(Seed(1));
    public static readonly Identity Peer = Identity.FromSeed(Seed(2));
    public static readonly Identity ServerIdentity = Identity.FromSeed(Seed(3));
    public static readonly byte[] ServerPk = ServerIdentity.X25519PublicKey.ToArray();
    public static readonly string ServerPkHex = Convert.ToHexStringLower(ServerPk);
    public static readonly byte[] SymmetricKey = Seed(4);
    public static readonly SessionId GroupId = SessionId.FromKey(SessionIdPrefix.Group, ServerIdentity.Ed25519PublicKey);

    private static byte[] Seed(byte b)
    {
        var seed = new byte[32];
        for (int i = 0; i < seed.Length; i++) seed[i] = (byte)(b * 31 + i);
        return seed;
    }
}
