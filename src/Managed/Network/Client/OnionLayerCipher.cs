using System.Security.Cryptography;
using Sodium;

namespace SessionInterop.Network.Client;

// Per-layer onion cryptography, client side (protocol-network.md §5.1).
//   S = X25519(e_sk, R)
//   aes-gcm:   K = HMAC-SHA256(key "LOKI", S); out = nonce(12) || ct || tag(16)
//   xchacha20: K = BLAKE2b-256(S || e_pk || R); out = nonce(24) || ct || tag(16)
// The reply from the layer's recipient is sealed with the same K and a fresh nonce.
internal static class OnionLayerCipher
{
    public const int KeySize = 32;
    public const int TagSize = 16;

    private static readonly byte[] s_hmacKey = "LOKI"u8.ToArray();

    public static int NonceSize(OnionCipher cipher) => cipher == OnionCipher.AesGcm ? 12 : 24;

    public static int Overhead(OnionCipher cipher) => NonceSize(cipher) + TagSize;

    /// <summary>The <c>enc_type</c> string the protocol uses for this cipher.</summary>
    public static string EncTypeName(OnionCipher cipher) => cipher == OnionCipher.AesGcm ? "aes-gcm" : "xchacha20";

    /// <summary>Parses an <c>enc_type</c> value with its aliases; null or absent means AES-GCM.</summary>
    public static bool TryParseEncType(string? value, out OnionCipher cipher)
    {
        switch (value)
        {
            case null or "aes-gcm" or "gcm":
                cipher = OnionCipher.AesGcm;
                return true;
            case "xchacha20" or "xchacha20-poly1305":
                cipher = OnionCipher.XChaCha20;
                return true;
            default:
                cipher = default;
                return false;
        }
    }

    /// <summary>Derives the symmetric key the sender shares with the layer's recipient.</summary>
    public static byte[] DeriveKey(OnionCipher cipher, byte[] ephemeralSecret, byte[] ephemeralPublic, byte[] recipientPublic)
    {
        if (ephemeralSecret.Length != 32 || ephemeralPublic.Length != 32 || recipientPublic.Length != 32)
            throw Errors.InvalidArgument("onion.bad_key", "onion layer keys must be 32 bytes");

        byte[] shared = ScalarMult.Mult(ephemeralSecret, recipientPublic);
        try
        {
            if (cipher == OnionCipher.AesGcm)
                return HMACSHA256.HashData(s_hmacKey, shared);

            // Client key first, recipient key second: the order both sides agree on.
            byte[] input = new byte[96];
            shared.CopyTo(input, 0);
            ephemeralPublic.CopyTo(input, 32);
            recipientPublic.CopyTo(input, 64);
            byte[] key = GenericHash.Hash(input, (byte[]?)null, KeySize);
            CryptographicOperations.ZeroMemory(input);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    /// <summary>Seals <paramref name="plaintext"/>; returns nonce || ciphertext || tag.</summary>
    public static byte[] Encrypt(OnionCipher cipher, byte[] key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext)
    {
        int nonceSize = NonceSize(cipher);
        if (nonce.Length != nonceSize)
            throw Errors.InvalidArgument("onion.bad_nonce", $"nonce must be {nonceSize} bytes");

        byte[] output = new byte[nonceSize + plaintext.Length + TagSize];
        nonce.CopyTo(output);
        if (cipher == OnionCipher.AesGcm)
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Encrypt(nonce, plaintext,
                output.AsSpan(nonceSize, plaintext.Length),
                output.AsSpan(nonceSize + plaintext.Length, TagSize));
        }
        else
        {
            byte[] sealedBytes = SecretAeadXChaCha20Poly1305.Encrypt(plaintext.ToArray(), nonce.ToArray(), key);
            sealedBytes.CopyTo(output, nonceSize);
        }
        return output;
    }

    /// <summary>Opens nonce || ciphertext || tag; null when it is too short or fails authentication.</summary>
    public static byte[]? TryDecrypt(OnionCipher cipher, byte[] key, ReadOnlySpan<byte> data)
    {
        int nonceSize = NonceSize(cipher);
        if (data.Length < nonceSize + TagSize)
            return null;

        ReadOnlySpan<byte> nonce = data[..nonceSize];
        ReadOnlySpan<byte> body = data[nonceSize..];
        try
        {
            if (cipher == OnionCipher.AesGcm)
            {
                byte[] plain = new byte[body.Length - TagSize];
                using var aes = new AesGcm(key, TagSize);
                aes.Decrypt(nonce, body[..^TagSize], body[^TagSize..], plain);
                return plain;
            }
            return SecretAeadXChaCha20Poly1305.Decrypt(body.ToArray(), nonce.ToArray(), key);
        }
        catch (CryptographicException)
        {
            return null; // failed authentication is an expected outcome, not misuse
        }
    }
}
