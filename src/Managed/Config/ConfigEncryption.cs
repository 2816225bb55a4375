using System.Buffers.Binary;
using System.Text;
using SessionInterop.Crypto;

namespace SessionInterop.Config;

/// <summary>
/// Config encryption (protocol-config.md §4.2–4.3): XChaCha20-Poly1305 with a key and nonce both
/// derived from the plaintext, so every device turns the same config into the same bytes (the
/// swarm then keeps one copy). Output = ciphertext ‖ tag ‖ nonce. Zero-prefix padding hides sizes.
/// </summary>
internal static class ConfigEncryption
{
    public const int Overhead = Primitives.AeadTagBytes + Primitives.AeadNonceBytes;   // 40
    private const int MaxDomainBytes = 24;
    private static ReadOnlySpan<byte> NonceKeyPrefix => "libsessionutil-config-encrypted-"u8;

    /// <summary>Encrypts already padded (and maybe compressed) plaintext.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> keyBase, string domain)
    {
        byte[] domainBytes = Domain(domain);
        var output = new byte[plaintext.Length + Overhead];
        Span<byte> nonce = output.AsSpan(plaintext.Length + Primitives.AeadTagBytes);
        Span<byte> key = stackalloc byte[32];
        try
        {
            NonceFor(plaintext, domainBytes, nonce);
            DeriveKey(keyBase, plaintext.Length, domainBytes, key);
            Primitives.AeadEncrypt(plaintext, nonce, key, output.AsSpan(0, plaintext.Length + Primitives.AeadTagBytes));
        }
        finally { Interop.LibSodium.Zero(key); }
        return output;
    }

    /// <summary>Decrypts; throws config.decrypt_failed when too short or the key/domain does not fit.</summary>
    public static byte[] Decrypt(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> keyBase, string domain)
    {
        if (ciphertext.Length < Overhead) throw Errors.Crypto("config.decrypt_failed", "ciphertext is too short");
        byte[] domainBytes = Domain(domain);
        int plainLength = ciphertext.Length - Overhead;
        var plain = new byte[plainLength];
        Span<byte> key = stackalloc byte[32];
        try
        {
            DeriveKey(keyBase, plainLength, domainBytes, key);
            if (!Primitives.AeadDecrypt(ciphertext[..(plainLength + Primitives.AeadTagBytes)], ciphertext[^Primitives.AeadNonceBytes..], key, plain))
                throw Errors.Crypto("config.decrypt_failed", "message decryption failed");
        }
        finally { Interop.LibSodium.Zero(key); }
        return plain;
    }

    /// <summary>enc_key = BLAKE2b-256(key_base ‖ be64(plaintext length) ‖ domain).</summary>
    internal static void DeriveKey(ReadOnlySpan<byte> keyBase, int plainLength, ReadOnlySpan<byte> domain, Span<byte> key)
    {
        if (keyBase.Length != 32) throw Errors.InvalidArgument("config.bad_key", "a config key is 32 bytes");
        Span<byte> size = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(size, (ulong)plainLength);
        Primitives.Blake2b(key, default, keyBase, size, domain);
    }

    /// <summary>nonce = BLAKE2b-192 keyed with "libsessionutil-config-encrypted-" ‖ domain, over the plaintext.</summary>
    internal static void NonceFor(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> domain, Span<byte> nonce)
    {
        Span<byte> hashKey = stackalloc byte[NonceKeyPrefix.Length + domain.Length];
        NonceKeyPrefix.CopyTo(hashKey);
        domain.CopyTo(hashKey[NonceKeyPrefix.Length..]);
        Primitives.Blake2b(nonce, plaintext, hashKey);
    }

    private static byte[] Domain(string domain)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(domain);
        if (bytes.Length is 0 or > MaxDomainBytes) throw Errors.InvalidArgument("config.bad_domain", "a config domain is 1 to 24 bytes");
        return bytes;
    }

    /// <summary>
    /// Padded plaintext size: size + overhead rounded up to 256 (below 5 KiB), 1 KiB (below 20 KiB),
    /// 2 KiB (below 40 KiB) or 5 KiB chunks, minus overhead.
    /// </summary>
    public static int PaddedSize(int size, int overhead)
    {
        int s2 = size + overhead;
        int chunk = s2 < 5120 ? 256 : s2 < 20480 ? 1024 : s2 < 40960 ? 2048 : 5120;
        return (s2 + chunk - 1) / chunk * chunk - overhead;
    }

    /// <summary>Prepends zeros up to <see cref="PaddedSize"/> with the encryption overhead.</summary>
    public static byte[] Pad(ReadOnlySpan<byte> data)
    {
        var padded = new byte[PaddedSize(data.Length, Overhead)];
        data.CopyTo(padded.AsSpan(padded.Length - data.Length));
        return padded;
    }

    /// <summary>Strips the leading zero padding (content starts with d, z or m, never 0).</summary>
    public static ReadOnlySpan<byte> Unpad(ReadOnlySpan<byte> data)
    {
        int start = data.IndexOfAnyExcept((byte)0);
        return start < 0 ? [] : data[start..];
    }
}
