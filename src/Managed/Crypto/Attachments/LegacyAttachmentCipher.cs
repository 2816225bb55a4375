using System.Security.Cryptography;

namespace SessionInterop.Crypto.Attachments;

/// <summary>
/// The attachment encryption the official desktop still produces by default (protocol-network.md
/// §8.3): the plaintext is zero-padded to a size bucket, encrypted with AES-256-CBC (PKCS#7) under
/// a random key and IV, and authenticated with HMAC-SHA256; the uploaded blob is
/// <c>iv ‖ ciphertext ‖ mac</c> and the message carries the 64-byte key (AES key ‖ MAC key), the
/// blob's SHA-256 digest and the plaintext size (which strips the padding on receipt).
/// </summary>
internal static class LegacyAttachmentCipher
{
    public const int KeyBytes = 64;
    public const int IvBytes = 16;
    public const int MacBytes = 32;
    public const int DigestBytes = 32;

    /// <summary>The largest plaintext the apps send (desktop MAX_ATTACHMENT_FILESIZE_BYTES).</summary>
    public const long MaxPlaintext = 10_000_000;

    /// <summary>
    /// The padded size of an n-byte attachment: max(541, ⌊1.05^⌈log n / log 1.05⌉⌋), never above
    /// 10,000,000 for an attachment that fits (desktop's getPaddedAttachmentLength).
    /// </summary>
    public static long PaddedLength(long n)
    {
        if (n <= 0) return 541;
        double bucket = Math.Floor(Math.Pow(1.05, Math.Ceiling(Math.Log(n) / Math.Log(1.05))));
        long padded = Math.Max(541, Math.Max(n, (long)bucket));
        return n <= MaxPlaintext ? Math.Min(padded, MaxPlaintext) : n;
    }

    /// <summary>Encrypted blob length for an n-byte plaintext.</summary>
    public static long BlobLength(long n) => IvBytes + (PaddedLength(n) / 16 + 1) * 16 + MacBytes;

    /// <summary>
    /// Encrypts <paramref name="length"/> bytes read from <paramref name="plaintext"/> (streamed,
    /// never buffered whole) into the upload blob, under a fresh random key; returns the blob, the
    /// 64-byte key and the blob's digest.
    /// </summary>
    public static (byte[] Blob, byte[] Key, byte[] Digest) Encrypt(Stream plaintext, long length)
    {
        var key = new byte[KeyBytes];
        var iv = new byte[IvBytes];
        Primitives.RandomBytes(key);
        Primitives.RandomBytes(iv);
        byte[] blob = Encrypt(plaintext, length, key, iv);
        return (blob, key, SHA256.HashData(blob));
    }

    /// <summary>Encrypts with a given key and IV (tests pin them).</summary>
    internal static byte[] Encrypt(Stream plaintext, long length, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        if (key.Length != KeyBytes || iv.Length != IvBytes) throw Errors.InvalidArgument("attachment.bad_key", "the key is 64 bytes and the IV 16");
        if (length is < 0 or > MaxPlaintext)
            throw Errors.TooLarge("attachment.too_large", $"an attachment is at most {MaxPlaintext} bytes");
        long padded = PaddedLength(length);
        var blob = new byte[BlobLength(length)];
        iv.CopyTo(blob);
        using (Aes aes = Aes.Create())
        {
            aes.Key = key[..32].ToArray();
            using ICryptoTransform encryptor = aes.CreateEncryptor(aes.Key, iv.ToArray());
            var output = new MemoryStream(blob, IvBytes, blob.Length - IvBytes - MacBytes, writable: true);
            using (var crypto = new CryptoStream(output, encryptor, CryptoStreamMode.Write, leaveOpen: true))
            {
                CopyExactly(plaintext, crypto, length);
                WriteZeros(crypto, padded - length);
            }
            if (output.Position != blob.Length - IvBytes - MacBytes) throw Errors.Crypto("attachment.internal", "ciphertext length mismatch");
            Interop.LibSodium.Zero(aes.Key);
        }
        HMACSHA256.HashData(key[32..], blob.AsSpan(0, blob.Length - MacBytes), blob.AsSpan(blob.Length - MacBytes));
        return blob;
    }

    /// <summary>
    /// Checks and decrypts a downloaded blob into <paramref name="output"/>: the digest (when the
    /// pointer has one), the MAC, then AES-CBC; writes <paramref name="size"/> bytes (the padding is
    /// dropped), or everything when size is 0 (a pointer without a size). Nothing is written unless
    /// digest and MAC check out.
    /// </summary>
    public static long Decrypt(byte[] blob, ReadOnlySpan<byte> key, ReadOnlySpan<byte> digest, long size, Stream output)
    {
        if (key.Length != KeyBytes) throw Errors.Crypto("attachment.bad_key", "a legacy attachment key is 64 bytes");
        if (blob.Length < IvBytes + 16 + MacBytes || (blob.Length - IvBytes - MacBytes) % 16 != 0)
            throw Errors.Crypto("attachment.truncated", "the encrypted attachment is truncated");
        if (!digest.IsEmpty && !CryptographicOperations.FixedTimeEquals(SHA256.HashData(blob), digest))
            throw Errors.Crypto("attachment.bad_digest", "the downloaded attachment does not match its digest");
        Span<byte> mac = stackalloc byte[MacBytes];
        HMACSHA256.HashData(key[32..], blob.AsSpan(0, blob.Length - MacBytes), mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, blob.AsSpan(blob.Length - MacBytes)))
            throw Errors.Crypto("attachment.bad_mac", "the attachment's MAC does not verify (wrong key or corrupted data)");

        // Streamed: the plaintext is never held whole next to the blob.
        long plainMax = blob.Length - IvBytes - MacBytes; // an upper bound (PKCS#7 adds 1..16 bytes)
        if (size > plainMax - 1) throw Errors.Crypto("attachment.bad_size", "the attachment is shorter than its declared size");
        using Aes aes = Aes.Create();
        aes.Key = key[..32].ToArray();
        try
        {
            using ICryptoTransform decryptor = aes.CreateDecryptor(aes.Key, blob[..IvBytes]);
            using var input = new MemoryStream(blob, IvBytes, (int)plainMax, writable: false);
            using var crypto = new CryptoStream(input, decryptor, CryptoStreamMode.Read);
            if (size > 0)
            {
                CopyExactly(crypto, output, size);
                return size;
            }
            long before = output.CanSeek ? output.Position : 0;
            crypto.CopyTo(output);
            return output.CanSeek ? output.Position - before : plainMax;
        }
        catch (CryptographicException)
        {
            throw Errors.Crypto("attachment.bad_padding", "the attachment's block padding is invalid");
        }
        finally
        {
            Interop.LibSodium.Zero(aes.Key);
        }
    }

    private static void CopyExactly(Stream from, Stream to, long length)
    {
        byte[] buffer = new byte[81920];
        long left = length;
        while (left > 0)
        {
            int read = from.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0) throw Errors.InvalidArgument("attachment.changed", "the attachment's source ended before its size");
            to.Write(buffer, 0, read);
            left -= read;
        }
        Array.Clear(buffer);
    }

    private static void WriteZeros(Stream to, long count)
    {
        byte[] zeros = new byte[(int)Math.Min(count, 81920)];
        while (count > 0)
        {
            int n = (int)Math.Min(zeros.Length, count);
            to.Write(zeros, 0, n);
            count -= n;
        }
    }
}
