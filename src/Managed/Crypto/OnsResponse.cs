using System.Text;

namespace SessionInterop.Crypto;

/// <summary>
/// Decrypts an ONS (Session name) lookup result (§10.2): key = H_32(name; key = H_32(name)),
/// plaintext = XChaCha20-Poly1305(ciphertext, nonce, key) = the 33-byte Session ID.
/// Only the current (nonce-carrying) form is supported; the pre-HF16 Argon2 form is not.
/// </summary>
internal static class OnsResponse
{
    public static SessionId Decrypt(string name, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> nonce)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (nonce.Length != Primitives.AeadNonceBytes)
            throw Errors.InvalidArgument("ons.bad_nonce", "an ONS nonce has 24 bytes");
        if (ciphertext.Length != SessionId.ByteLength + Primitives.AeadTagBytes)
            throw Errors.Crypto("ons.bad_ciphertext", "an ONS ciphertext has 49 bytes");
        byte[] nameBytes = Encoding.UTF8.GetBytes(name.ToLowerInvariant());
        Span<byte> nameHash = stackalloc byte[32];
        Span<byte> key = stackalloc byte[32];
        Span<byte> plain = stackalloc byte[SessionId.ByteLength];
        Primitives.Blake2b(nameHash, nameBytes);
        Primitives.Blake2b(key, nameBytes, nameHash);
        if (!Primitives.AeadDecrypt(ciphertext, nonce, key, plain))
            throw Errors.Crypto("crypto.decrypt_failed", "the ONS result could not be decrypted");
        return SessionId.FromBytes(plain);
    }
}
