using System.Security.Cryptography;
using Sodium;

namespace SessionInterop.Network.Client;

// The only source of randomness for onion building, so tests can replay the spec vectors
// byte for byte. Layer numbering follows onion_vectors.json: 0 = destination layer, then
// 1 = exit, 2 = middle, 3 = guard (i.e. counted from the inside out).
internal interface IOnionEntropy
{
    /// <summary>Fills a fresh X25519 secret for onion layer <paramref name="layer"/>.</summary>
    void FillEphemeralSecret(int layer, Span<byte> secret);

    /// <summary>Fills a fresh nonce for onion layer <paramref name="layer"/>.</summary>
    void FillNonce(int layer, Span<byte> nonce);
}

/// <summary>Production entropy: the OS CSPRNG.</summary>
internal sealed class RandomOnionEntropy : IOnionEntropy
{
    public static readonly RandomOnionEntropy Instance = new();

    public void FillEphemeralSecret(int layer, Span<byte> secret) => RandomNumberGenerator.Fill(secret);

    public void FillNonce(int layer, Span<byte> nonce) => RandomNumberGenerator.Fill(nonce);
}

/// <summary>An X25519 key pair for one onion layer.</summary>
internal sealed class EphemeralKeyPair
{
    private EphemeralKeyPair(byte[] secret, byte[] publicKey)
    {
        Secret = secret;
        Public = publicKey;
    }

    public byte[] Secret { get; }
    public byte[] Public { get; }

    public static EphemeralKeyPair Create(IOnionEntropy entropy, int layer)
    {
        byte[] secret = new byte[32];
        entropy.FillEphemeralSecret(layer, secret);
        return new EphemeralKeyPair(secret, ScalarMult.Base(secret));
    }

    public void Clear() => CryptographicOperations.ZeroMemory(Secret);
}
