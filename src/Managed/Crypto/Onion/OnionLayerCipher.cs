using System.Security.Cryptography;
using Sodium;

namespace SessionInterop.Crypto.Onion;

// One onion layer's symmetric key and cipher (protocol-network.md §5.1).
//   AES-GCM:   K = HMAC-SHA256(key "LOKI", S);            ct = nonce(12) || AES-256-GCM(ct) || tag(16)
//   XChaCha20: K = BLAKE2b-256(S || sender_pk || recipient_pk); ct = nonce(24) || XChaCha20-Poly1305(ct+tag)
// where S = X25519(own secret, other public). Both sides use the same (sender, recipient) order,
// so the recipient passes the sender's ephemeral key as sender_pk and its own key as recipient_pk.
// Replies travel with the same key and cipher, with a fresh nonce.
internal static class OnionLayerCipher
{
    internal const int KeySize = 32;
    internal const int AesGcmNonceSize = 12;
    internal const int XChaChaNonceSize = 24;
    internal const int TagSize = 16;

    private static readonly byte[] s_lokiKey = "LOKI"u8.ToArray();

    /// <summary>Ciphertext overhead (nonce + tag) of a cipher.</summary>
    internal static int Overhead(OnionEncType type) =>
        (type == OnionEncType.XChaCha20 ? XChaChaNonceSize : AesGcmNonceSize) + TagSize;

    /// <summary>
    /// Derives the layer key. <paramref name="ownSecret"/> is the caller's X25519 secret key;
    /// <paramref name="senderPublic"/> is the ephemeral (client) public key and
    /// <paramref name="recipientPublic"/> the node's/server's public key, whichever side calls.
    /// </summary>
    internal static byte[] DeriveKey(OnionEncType type, ReadOnlySpan<byte> ownSecret, ReadOnlySpan<byte> otherPublic,
        ReadOnlySpan<byte> senderPublic, ReadOnlySpan<byte> recipientPublic)
    {
        if (ownSecret.Length != 32 || otherPublic.Length != 32 || senderPublic.Length != 32 || recipientPublic.Length != 32)
            throw new ArgumentException("X25519 keys are 32 bytes.");
        byte[] shared = ScalarMult.Mult(ownSecret.ToArray(), otherPublic.ToArray());
        try
        {
            if (type == OnionEncType.AesGcm)
                return HMACSHA256.HashData(s_lokiKey, shared);
            byte[] input = new byte[96];
            shared.CopyTo(input, 0);
            senderPublic.CopyTo(input.AsSpan(32));
            recipientPublic.CopyTo(input.AsSpan(64));
            byte[] key = GenericHash.Hash(input, (byte[]?)null, KeySize);
            CryptographicOperations.ZeroMemory(input);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(shared);
        }
    }

    /// <summary>Encrypts with a random nonce (or <paramref name="nonce"/> when given, for vectors).</summary>
    internal static byte[] Encrypt(OnionEncType type, ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> nonce = default)
    {
        if (key.Length != KeySize) throw new ArgumentException("Onion layer keys are 32 bytes.", nameof(key));
        int nonceSize = type == OnionEncType.XChaCha20 ? XChaChaNonceSize : AesGcmNonceSize;
        byte[] n = nonce.IsEmpty ? RandomNumberGenerator.GetBytes(nonceSize) : nonce.ToArray();
        if (n.Length != nonceSize) throw new ArgumentException("Wrong nonce size.", nameof(nonce));

        if (type == OnionEncType.AesGcm)
        {
            byte[] output = new byte[nonceSize + plaintext.Length + TagSize];
            n.CopyTo(output, 0);
            using var aes = new AesGcm(key, TagSize);
            aes.Encrypt(n, plaintext, output.AsSpan(nonceSize, plaintext.Length), output.AsSpan(nonceSize + plaintext.Length));
            return output;
        }

        byte[] sealedBox = SecretAeadXChaCha20Poly1305.Encrypt(plaintext.ToArray(), n, key.ToArray());
        byte[] result = new byte[nonceSize + sealedBox.Length];
        n.CopyTo(result, 0);
        sealedBox.CopyTo(result, nonceSize);
        return result;
    }

    /// <summary>Decrypts <c>nonce || ciphertext || tag</c>; returns false when it does not authenticate.</summary>
    internal static bool TryDecrypt(OnionEncType type, ReadOnlySpan<byte> key, ReadOnlySpan<byte> ciphertext, out byte[] plaintext)
    {
        plaintext = [];
        if (key.Length != KeySize) return false;
        int nonceSize = type == OnionEncType.XChaCha20 ? XChaChaNonceSize : AesGcmNonceSize;
        if (ciphertext.Length < nonceSize + TagSize) return false;

        ReadOnlySpan<byte> nonce = ciphertext[..nonceSize];
        ReadOnlySpan<byte> body = ciphertext[nonceSize..];
        if (type == OnionEncType.AesGcm)
        {
            byte[] output = new byte[body.Length - TagSize];
            using var aes = new AesGcm(key, TagSize);
            try
            {
                aes.Decrypt(nonce, body[..^TagSize], body[^TagSize..], output);
            }
            catch (CryptographicException)
            {
                return false;
            }
            plaintext = output;
            return true;
        }

        try
        {
            plaintext = SecretAeadXChaCha20Poly1305.Decrypt(body.ToArray(), nonce.ToArray(), key.ToArray());
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
