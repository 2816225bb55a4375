using System.Security.Cryptography;
using Sodium;

namespace SessionInterop.Crypto.Onion;

// One onion layer's symmetric key and cipher (protocol-network.md §5.1), for the client and LocalNet.
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

    internal static int NonceSize(OnionCipher cipher) =>
        cipher == OnionCipher.XChaCha20 ? XChaChaNonceSize : AesGcmNonceSize;

    /// <summary>Ciphertext overhead (nonce + tag) of a cipher.</summary>
    internal static int Overhead(OnionCipher cipher) => NonceSize(cipher) + TagSize;

    /// <summary>
    /// Derives the layer key. <paramref name="ownSecret"/> is the caller's X25519 secret key;
    /// <paramref name="senderPublic"/> is the ephemeral (client) public key and
    /// <paramref name="recipientPublic"/> the node's/server's public key, whichever side calls.
    /// </summary>
    internal static byte[] DeriveKey(OnionCipher cipher, ReadOnlySpan<byte> ownSecret, ReadOnlySpan<byte> otherPublic,
        ReadOnlySpan<byte> senderPublic, ReadOnlySpan<byte> recipientPublic)
    {
        if (ownSecret.Length != 32 || otherPublic.Length != 32 || senderPublic.Length != 32 || recipientPublic.Length != 32)
            throw Errors.InvalidArgument("onion.bad_key", "onion layer keys must be 32 bytes");
        byte[] shared = ScalarMult.Mult(ownSecret.ToArray(), otherPublic.ToArray());
        try
        {
            if (cipher == OnionCipher.AesGcm)
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

    /// <summary>Encrypts to nonce || ciphertext || tag with a random nonce (or <paramref name="nonce"/> when given).</summary>
    internal static byte[] Encrypt(OnionCipher cipher, ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> nonce = default)
    {
        if (key.Length != KeySize) throw Errors.InvalidArgument("onion.bad_key", "onion layer keys must be 32 bytes");
        int nonceSize = NonceSize(cipher);
        byte[] n = nonce.IsEmpty ? RandomNumberGenerator.GetBytes(nonceSize) : nonce.ToArray();
        if (n.Length != nonceSize) throw Errors.InvalidArgument("onion.bad_nonce", $"nonce must be {nonceSize} bytes");

        byte[] output = new byte[nonceSize + plaintext.Length + TagSize];
        n.CopyTo(output, 0);
        if (cipher == OnionCipher.AesGcm)
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Encrypt(n, plaintext, output.AsSpan(nonceSize, plaintext.Length), output.AsSpan(nonceSize + plaintext.Length));
        }
        else
        {
            byte[] sealedBox = SecretAeadXChaCha20Poly1305.Encrypt(plaintext.ToArray(), n, key.ToArray());
            sealedBox.CopyTo(output, nonceSize);
        }
        return output;
    }

    /// <summary>Decrypts <c>nonce || ciphertext || tag</c>; false when it is too short or does not authenticate.</summary>
    internal static bool TryDecrypt(OnionCipher cipher, ReadOnlySpan<byte> key, ReadOnlySpan<byte> ciphertext, out byte[] plaintext)
    {
        plaintext = [];
        if (key.Length != KeySize) return false;
        int nonceSize = NonceSize(cipher);
        if (ciphertext.Length < nonceSize + TagSize) return false;

        ReadOnlySpan<byte> nonce = ciphertext[..nonceSize];
        ReadOnlySpan<byte> body = ciphertext[nonceSize..];
        try
        {
            if (cipher == OnionCipher.AesGcm)
            {
                byte[] output = new byte[body.Length - TagSize];
                using var aes = new AesGcm(key, TagSize);
                aes.Decrypt(nonce, body[..^TagSize], body[^TagSize..], output);
                plaintext = output;
            }
            else
            {
                plaintext = SecretAeadXChaCha20Poly1305.Decrypt(body.ToArray(), nonce.ToArray(), key.ToArray());
            }
            return true;
        }
        catch (CryptographicException)
        {
            return false; // failed authentication is an expected outcome, not misuse
        }
    }
}
