using SessionInterop.Interop;

namespace SessionInterop.Crypto.Attachments;

/// <summary>What a deterministic encryption is for: its BLAKE2b personalisation keeps the keys apart.</summary>
internal enum AttachmentDomain
{
    Attachment,
    ProfilePicture,
}

/// <summary>
/// The deterministic ("stream") attachment encryption of newer clients (protocol-network.md §8.4,
/// flagged by <c>d</c> in the URL fragment): key and header nonce are BLAKE2b of the plaintext
/// keyed by the uploader's seed, so one file always encrypts to the same blob (the file server
/// de-duplicates it). Output: 'S' ‖ 24-byte header ‖ secretstream chunks of (padding ‖ data),
/// 32 KiB each plus 17 bytes, the last one FINAL.
/// </summary>
internal static unsafe class StreamAttachmentCipher
{
    public const int KeyBytes = 32;
    public const int HeaderBytes = 24;
    public const int ChunkSize = 32_768;
    public const int ChunkOverhead = 17;
    private const int ChunkTotal = ChunkSize + ChunkOverhead;
    private const int StateBytes = 52;
    private const byte TagMessage = 0, TagFinal = 3;

    /// <summary>The largest plaintext (libsession's limit: it fits a 10,223,616-byte blob).</summary>
    public const long MaxPlaintext = 10_218_286;

    /// <summary>
    /// Bytes of padding (zeros then one 0x01) before n bytes of data, chosen so the whole blob is a
    /// multiple of bit_floor(max(size, 131072)) / 32 (the tags the padding itself adds count as padding).
    /// </summary>
    public static long Padding(long n)
    {
        const long prefix = 1 + HeaderBytes, minPadding = 1;
        long chunks = (n + ChunkSize - 1) / ChunkSize;
        long encrypted = n + prefix + minPadding + chunks * ChunkOverhead;
        long factor = (long)BitFloor((ulong)Math.Max(encrypted, 131_072)) >> 5;
        long padded = (encrypted + factor - 1) / factor * factor;
        long padding = padded - encrypted + minPadding;
        long implicitPadding = padding >= ChunkTotal ? padding / ChunkTotal * ChunkOverhead : 0;
        long free = chunks * ChunkSize - n;
        if (padding % ChunkTotal > free) implicitPadding += ChunkOverhead;
        return padding - implicitPadding;
    }

    /// <summary>Length of the blob for an n-byte plaintext.</summary>
    public static long EncryptedLength(long n)
    {
        long padded = n + Padding(n);
        return 1 + HeaderBytes + padded + (padded + ChunkSize - 1) / ChunkSize * ChunkOverhead;
    }

    /// <summary>
    /// Encrypts the bytes of <paramref name="data"/> (read twice: once for the key, once to
    /// encrypt; the stream must be seekable) into a new blob; returns it with the 32-byte key.
    /// <paramref name="seed"/> is the uploader's Ed25519 seed (its first 32 bytes are used).
    /// </summary>
    public static (byte[] Blob, byte[] Key) Encrypt(ReadOnlySpan<byte> seed, AttachmentDomain domain, Stream data)
    {
        if (seed.Length < 32) throw Errors.InvalidArgument("attachment.bad_seed", "the seed is 32 bytes");
        long n = data.Length - data.Position;
        if (n > MaxPlaintext) throw Errors.TooLarge("attachment.too_large", $"an attachment is at most {MaxPlaintext} bytes");
        long start = data.Position;
        Span<byte> nk = stackalloc byte[56];
        DeriveNonceKey(seed[..32], domain, data, nk);
        data.Position = start;
        byte[] key = nk[24..].ToArray();
        var blob = new byte[EncryptedLength(n)];
        blob[0] = (byte)'S';
        nk[..24].CopyTo(blob.AsSpan(1));

        byte* state = stackalloc byte[StateBytes];
        try
        {
            InitPush(state, key, blob.AsSpan(1, HeaderBytes));
            long padding = Padding(n);
            byte[] chunk = new byte[ChunkSize];
            long remainingPadding = padding, remainingData = n;
            int outPos = 1 + HeaderBytes;
            while (true)
            {
                // Fill one chunk: padding first (zeros, the last one 0x01), then data.
                int fill = 0;
                while (fill < ChunkSize && remainingPadding > 0)
                {
                    chunk[fill++] = remainingPadding == 1 ? (byte)1 : (byte)0;
                    remainingPadding--;
                }
                while (fill < ChunkSize && remainingData > 0)
                {
                    int read = data.Read(chunk, fill, (int)Math.Min(ChunkSize - fill, remainingData));
                    if (read == 0) throw Errors.InvalidArgument("attachment.changed", "the attachment's source ended before its size");
                    fill += read;
                    remainingData -= read;
                }
                bool last = remainingPadding == 0 && remainingData == 0;
                fixed (byte* c = &blob[outPos], m = chunk)
                {
                    if (LibSodium.crypto_secretstream_xchacha20poly1305_push(state, c, null, m, (ulong)fill, null, 0, last ? TagFinal : TagMessage) != 0)
                        throw Errors.Crypto("attachment.internal", "secretstream push failed");
                }
                outPos += fill + ChunkOverhead;
                if (last) break;
            }
            Array.Clear(chunk);
            if (outPos != blob.Length) throw Errors.Crypto("attachment.internal", "encrypted length mismatch");
            return (blob, key);
        }
        finally
        {
            LibSodium.sodium_memzero(state, StateBytes);
            Interop.LibSodium.Zero(nk);
        }
    }

    /// <summary>
    /// Decrypts a blob into <paramref name="output"/> chunk by chunk; returns the plaintext length.
    /// Wrong key, corrupted, truncated or re-ordered data fails with a crypto error (output may
    /// then hold a prefix: callers write to a temporary file).
    /// </summary>
    public static long Decrypt(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> key, Stream output)
    {
        if (key.Length != KeyBytes) throw Errors.Crypto("attachment.bad_key", "a stream attachment key is 32 bytes");
        if (blob.Length < 1 + HeaderBytes + ChunkOverhead + 1)
            throw Errors.Crypto("attachment.truncated", "the encrypted attachment is truncated");
        if (blob[0] != (byte)'S')
            throw Errors.Crypto("attachment.unknown_format", $"unknown attachment encryption 0x{blob[0]:x2}; expected 0x53 (S)");
        byte* state = stackalloc byte[StateBytes];
        byte[] chunk = new byte[ChunkSize];
        try
        {
            fixed (byte* h = blob.Slice(1, HeaderBytes), k = key)
                LibSodium.crypto_secretstream_xchacha20poly1305_init_pull(state, h, k);
            int pos = 1 + HeaderBytes;
            bool inPadding = true;
            long written = 0;
            while (true)
            {
                int left = blob.Length - pos;
                if (left <= ChunkOverhead) throw Errors.Crypto("attachment.truncated", "the attachment ends before its final chunk");
                int size = Math.Min(left - ChunkOverhead, ChunkSize);
                byte tag;
                fixed (byte* c = blob.Slice(pos, size + ChunkOverhead), m = chunk)
                {
                    if (LibSodium.crypto_secretstream_xchacha20poly1305_pull(state, m, null, &tag, c, (ulong)(size + ChunkOverhead), null, 0) != 0)
                        throw Errors.Crypto("attachment.bad_mac", "the attachment does not decrypt (wrong key or corrupted data)");
                }
                pos += size + ChunkOverhead;
                int from = 0;
                if (inPadding)
                {
                    while (from < size && chunk[from] == 0) from++;
                    if (from < size)
                    {
                        if (chunk[from] != 1) throw Errors.Crypto("attachment.bad_padding", "the attachment's padding is invalid");
                        from++;
                        inPadding = false;
                    }
                }
                if (!inPadding)
                {
                    output.Write(chunk, from, size - from);
                    written += size - from;
                }
                bool final = tag == TagFinal;
                if (final && pos != blob.Length) throw Errors.Crypto("attachment.bad_mac", "the attachment has data after its final chunk");
                if (final)
                {
                    if (inPadding) throw Errors.Crypto("attachment.bad_padding", "the attachment ends inside its padding");
                    return written;
                }
                if (pos == blob.Length) throw Errors.Crypto("attachment.truncated", "the attachment ends without its final chunk");
            }
        }
        finally
        {
            LibSodium.sodium_memzero(state, StateBytes);
            Array.Clear(chunk);
        }
    }

    /// <summary>BLAKE2b-448 of the plaintext keyed by the seed, personalised by the domain: nonce (24) ‖ key (32).</summary>
    private static void DeriveNonceKey(ReadOnlySpan<byte> seed32, AttachmentDomain domain, Stream data, Span<byte> output56)
    {
        ReadOnlySpan<byte> personal = domain == AttachmentDomain.Attachment ? "SessionAttachmnt"u8 : "Session_Prof_Pic"u8;
        byte* raw = stackalloc byte[384 + 64];
        byte* st = (byte*)(((nuint)raw + 63) & ~(nuint)63);
        if ((int)LibSodium.crypto_generichash_blake2b_statebytes() > 384) throw Errors.Crypto("crypto.init_failed", "unexpected libsodium state size");
        byte[] buffer = new byte[81920];
        try
        {
            fixed (byte* k = seed32, p = personal, o = output56)
            {
                if (LibSodium.crypto_generichash_blake2b_init_salt_personal(st, k, 32, 56, null, p) != 0)
                    throw Errors.Crypto("crypto.init_failed", "BLAKE2b init failed");
                int read;
                while ((read = data.Read(buffer, 0, buffer.Length)) > 0)
                    fixed (byte* b = buffer) LibSodium.crypto_generichash_blake2b_update(st, b, (ulong)read);
                LibSodium.crypto_generichash_blake2b_final(st, o, 56);
            }
        }
        finally
        {
            LibSodium.sodium_memzero(raw, 384 + 64);
            Array.Clear(buffer);
        }
    }

    /// <summary>
    /// crypto_secretstream init_push with a given header (libsodium draws it at random, with no way
    /// to pass one): k = HChaCha20(key, header[0..16)), counter 1, inonce = header[16..24).
    /// The state layout is libsodium's: k[32], nonce[12] (counter ‖ inonce), pad[8].
    /// </summary>
    private static void InitPush(byte* state, ReadOnlySpan<byte> key, ReadOnlySpan<byte> header)
    {
        if ((int)LibSodium.crypto_secretstream_xchacha20poly1305_statebytes() != StateBytes)
            throw Errors.Crypto("crypto.init_failed", "unexpected secretstream state size");
        fixed (byte* k = key, h = header)
            LibSodium.crypto_core_hchacha20(state, h, k, null);
        new Span<byte>(state + 32, 20).Clear();
        state[32] = 1;
        header[16..24].CopyTo(new Span<byte>(state + 36, 8));
    }

    private static ulong BitFloor(ulong x) => x == 0 ? 0 : 1UL << (63 - System.Numerics.BitOperations.LeadingZeroCount(x));
}
