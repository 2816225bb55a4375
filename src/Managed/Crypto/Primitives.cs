using SessionInterop.Interop;

namespace SessionInterop.Crypto;

/// <summary>
/// Span wrappers over the libsodium calls this layer uses. Bound directly (not through
/// Sodium.Core's byte[] API) so the hot paths allocate nothing. Sizes follow libsodium's constants.
/// Boolean results mean "the math said no" (bad signature, invalid point); they never throw.
/// </summary>
internal static unsafe class Primitives
{
    public const int Ed25519SeedBytes = 32;
    public const int Ed25519PublicKeyBytes = 32;
    public const int Ed25519SecretKeyBytes = 64;
    public const int SignatureBytes = 64;
    public const int X25519Bytes = 32;
    public const int SealOverhead = 48;        // ephemeral pk 32 + Poly1305 tag 16
    public const int BoxMacBytes = 16;
    public const int BoxNonceBytes = 24;
    public const int AeadKeyBytes = 32;
    public const int AeadNonceBytes = 24;
    public const int AeadTagBytes = 16;
    public const int ScalarBytes = 32;

    static Primitives()
    {
        // sodium_init is idempotent and thread-safe; -1 means the library cannot be used at all.
        if (LibSodium.sodium_init() < 0)
            throw Errors.Crypto("crypto.init_failed", "libsodium failed to initialise");
    }

    public static void RandomBytes(Span<byte> buffer)
    {
        fixed (byte* p = buffer) LibSodium.randombytes_buf(p, (nuint)buffer.Length);
    }

    /// <summary>libsodium's deterministic stream (ChaCha20-IETF keystream, nonce "LibsodiumDRG") from a 32-byte seed.</summary>
    public static void DeterministicBytes(Span<byte> buffer, ReadOnlySpan<byte> seed32)
    {
        CheckLength(seed32, 32);
        fixed (byte* p = buffer, s = seed32) LibSodium.randombytes_buf_deterministic(p, (nuint)buffer.Length, s);
    }

    public static void SeedKeypair(ReadOnlySpan<byte> seed32, Span<byte> pk32, Span<byte> sk64)
    {
        CheckLength(seed32, Ed25519SeedBytes); CheckLength(pk32, Ed25519PublicKeyBytes); CheckLength(sk64, Ed25519SecretKeyBytes);
        fixed (byte* s = seed32, pk = pk32, sk = sk64)
            LibSodium.crypto_sign_ed25519_seed_keypair(pk, sk, s);
    }

    public static void Sign(ReadOnlySpan<byte> sk64, ReadOnlySpan<byte> message, Span<byte> sig64)
    {
        CheckLength(sk64, Ed25519SecretKeyBytes); CheckLength(sig64, SignatureBytes);
        fixed (byte* sk = sk64, m = message, s = sig64)
            LibSodium.crypto_sign_ed25519_detached(s, null, m, (ulong)message.Length, sk);
    }

    public static bool Verify(ReadOnlySpan<byte> sig64, ReadOnlySpan<byte> message, ReadOnlySpan<byte> pk32)
    {
        if (sig64.Length != SignatureBytes || pk32.Length != Ed25519PublicKeyBytes) return false;
        fixed (byte* s = sig64, m = message, pk = pk32)
            return LibSodium.crypto_sign_ed25519_verify_detached(s, m, (ulong)message.Length, pk) == 0;
    }

    /// <summary>Ed25519 public key → X25519 (Montgomery u). False for invalid or small-order points.</summary>
    public static bool EdPkToX(ReadOnlySpan<byte> edPk, Span<byte> xPk)
    {
        CheckLength(edPk, Ed25519PublicKeyBytes); CheckLength(xPk, X25519Bytes);
        fixed (byte* e = edPk, x = xPk)
            return LibSodium.crypto_sign_ed25519_pk_to_curve25519(x, e) == 0;
    }

    /// <summary>Clamped first half of SHA-512(seed): the X25519 secret and also the Ed25519 scalar a.</summary>
    public static void EdSkToX(ReadOnlySpan<byte> edSk, Span<byte> xSk)
    {
        CheckLength(edSk, Ed25519SecretKeyBytes); CheckLength(xSk, X25519Bytes);
        fixed (byte* e = edSk, x = xSk)
            LibSodium.crypto_sign_ed25519_sk_to_curve25519(x, e);
    }

    public static bool X25519(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> point, Span<byte> shared)
    {
        CheckLength(secret, X25519Bytes); CheckLength(point, X25519Bytes); CheckLength(shared, X25519Bytes);
        fixed (byte* n = secret, p = point, q = shared)
            return LibSodium.crypto_scalarmult_curve25519(q, n, p) == 0;
    }

    public static void X25519Base(ReadOnlySpan<byte> secret, Span<byte> pub)
    {
        CheckLength(secret, X25519Bytes); CheckLength(pub, X25519Bytes);
        fixed (byte* n = secret, q = pub)
            LibSodium.crypto_scalarmult_curve25519_base(q, n);
    }

    public static void Seal(ReadOnlySpan<byte> message, ReadOnlySpan<byte> recipientX, Span<byte> ciphertext)
    {
        CheckLength(recipientX, X25519Bytes); CheckLength(ciphertext, message.Length + SealOverhead);
        fixed (byte* m = message, pk = recipientX, c = ciphertext)
            if (LibSodium.crypto_box_seal(c, m, (ulong)message.Length, pk) != 0)
                throw Errors.Crypto("crypto.bad_recipient_key", "recipient key rejected by the sealed box");
    }

    public static bool SealOpen(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> xPk, ReadOnlySpan<byte> xSk, Span<byte> message)
    {
        if (ciphertext.Length < SealOverhead) return false;
        CheckLength(message, ciphertext.Length - SealOverhead);
        fixed (byte* c = ciphertext, pk = xPk, sk = xSk, m = message)
            return LibSodium.crypto_box_seal_open(m, c, (ulong)ciphertext.Length, pk, sk) == 0;
    }

    public static void BoxSeedKeypair(ReadOnlySpan<byte> seed32, Span<byte> pk, Span<byte> sk)
    {
        CheckLength(seed32, 32); CheckLength(pk, X25519Bytes); CheckLength(sk, X25519Bytes);
        fixed (byte* s = seed32, p = pk, k = sk)
            LibSodium.crypto_box_seed_keypair(p, k, s);
    }

    public static void BoxEasy(ReadOnlySpan<byte> message, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> pk, ReadOnlySpan<byte> sk, Span<byte> ciphertext)
    {
        CheckLength(nonce, BoxNonceBytes); CheckLength(ciphertext, message.Length + BoxMacBytes);
        fixed (byte* m = message, n = nonce, p = pk, k = sk, c = ciphertext)
            if (LibSodium.crypto_box_easy(c, m, (ulong)message.Length, n, p, k) != 0)
                throw Errors.Crypto("crypto.bad_recipient_key", "recipient key rejected by the box");
    }

    /// <summary>BLAKE2b with an output of out.Length bytes (16..64), optionally keyed.</summary>
    public static void Blake2b(Span<byte> output, ReadOnlySpan<byte> input, ReadOnlySpan<byte> key = default)
    {
        fixed (byte* o = output, i = input, k = key)
            if (LibSodium.crypto_generichash_blake2b(o, (nuint)output.Length, i, (ulong)input.Length, key.IsEmpty ? null : k, (nuint)key.Length) != 0)
                throw Errors.InvalidArgument("crypto.bad_hash_parameters", "BLAKE2b output or key length out of range");
    }

    // Streaming states: libsodium declares the BLAKE2b state 64-byte aligned, so we over-allocate
    // on the stack and align by hand. Sizes are checked against libsodium's own report once.
    private const int Blake2bStateBytes = 384;
    private const int Sha512StateBytes = 208;
    private static readonly bool s_stateSizesOk =
        (int)LibSodium.crypto_generichash_blake2b_statebytes() <= Blake2bStateBytes &&
        (int)LibSodium.crypto_hash_sha512_statebytes() <= Sha512StateBytes;

    /// <summary>BLAKE2b over the concatenation of up to three parts, without building the buffer.</summary>
    public static void Blake2b(Span<byte> output, ReadOnlySpan<byte> key, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c = default)
    {
        if (!s_stateSizesOk) throw Errors.Crypto("crypto.init_failed", "unexpected libsodium state size");
        byte* raw = stackalloc byte[Blake2bStateBytes + 64];
        byte* st = (byte*)(((nuint)raw + 63) & ~(nuint)63);
        try
        {
            fixed (byte* k = key, o = output)
            {
                if (LibSodium.crypto_generichash_blake2b_init(st, key.IsEmpty ? null : k, (nuint)key.Length, (nuint)output.Length) != 0)
                    throw Errors.InvalidArgument("crypto.bad_hash_parameters", "BLAKE2b output or key length out of range");
                Blake2bUpdate(st, a); Blake2bUpdate(st, b); Blake2bUpdate(st, c);
                LibSodium.crypto_generichash_blake2b_final(st, o, (nuint)output.Length);
            }
        }
        finally
        {
            LibSodium.sodium_memzero(raw, Blake2bStateBytes + 64);
        }
    }

    private static void Blake2bUpdate(byte* st, ReadOnlySpan<byte> part)
    {
        fixed (byte* p = part) LibSodium.crypto_generichash_blake2b_update(st, p, (ulong)part.Length);
    }

    /// <summary>SHA-512 over the concatenation of up to three parts.</summary>
    public static void Sha512(Span<byte> output64, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c = default)
    {
        if (!s_stateSizesOk) throw Errors.Crypto("crypto.init_failed", "unexpected libsodium state size");
        CheckLength(output64, 64);
        byte* raw = stackalloc byte[Sha512StateBytes + 64];
        byte* st = (byte*)(((nuint)raw + 63) & ~(nuint)63);
        try
        {
            LibSodium.crypto_hash_sha512_init(st);
            fixed (byte* pa = a) LibSodium.crypto_hash_sha512_update(st, pa, (ulong)a.Length);
            fixed (byte* pb = b) LibSodium.crypto_hash_sha512_update(st, pb, (ulong)b.Length);
            fixed (byte* pc = c) LibSodium.crypto_hash_sha512_update(st, pc, (ulong)c.Length);
            fixed (byte* o = output64) LibSodium.crypto_hash_sha512_final(st, o);
        }
        finally
        {
            LibSodium.sodium_memzero(raw, Sha512StateBytes + 64);
        }
    }

    public static void Sha512(Span<byte> output64, ReadOnlySpan<byte> input)
    {
        CheckLength(output64, 64);
        fixed (byte* o = output64, i = input)
            LibSodium.crypto_hash_sha512(o, i, (ulong)input.Length);
    }

    public static void AeadEncrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key, Span<byte> ciphertext)
    {
        CheckLength(nonce, AeadNonceBytes); CheckLength(key, AeadKeyBytes); CheckLength(ciphertext, plaintext.Length + AeadTagBytes);
        fixed (byte* m = plaintext, n = nonce, k = key, c = ciphertext)
            LibSodium.crypto_aead_xchacha20poly1305_ietf_encrypt(c, null, m, (ulong)plaintext.Length, null, 0, null, n, k);
    }

    public static bool AeadDecrypt(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> key, Span<byte> plaintext)
    {
        if (ciphertext.Length < AeadTagBytes) return false;
        CheckLength(nonce, AeadNonceBytes); CheckLength(key, AeadKeyBytes); CheckLength(plaintext, ciphertext.Length - AeadTagBytes);
        fixed (byte* c = ciphertext, n = nonce, k = key, m = plaintext)
            return LibSodium.crypto_aead_xchacha20poly1305_ietf_decrypt(m, null, null, c, (ulong)ciphertext.Length, null, 0, n, k) == 0;
    }

    // ---- Ed25519 scalar and point arithmetic (blinding) ----

    /// <summary>64-byte little-endian integer mod ℓ.</summary>
    public static void ScalarReduce(Span<byte> result32, ReadOnlySpan<byte> input64)
    {
        CheckLength(result32, ScalarBytes); CheckLength(input64, 64);
        // libsodium's reduce takes a non-const pointer; copy so the caller's input stays untouched.
        Span<byte> tmp = stackalloc byte[64];
        input64.CopyTo(tmp);
        fixed (byte* r = result32, s = tmp) LibSodium.crypto_core_ed25519_scalar_reduce(r, s);
        LibSodium.Zero(tmp);
    }

    /// <summary>A uniformly random non-zero scalar below ℓ (canonical).</summary>
    public static void ScalarRandom(Span<byte> result32)
    {
        CheckLength(result32, ScalarBytes);
        fixed (byte* r = result32) LibSodium.crypto_core_ed25519_scalar_random(r);
    }

    public static void ScalarMul(Span<byte> z, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        CheckLength(z, 32); CheckLength(x, 32); CheckLength(y, 32);
        fixed (byte* pz = z, px = x, py = y) LibSodium.crypto_core_ed25519_scalar_mul(pz, px, py);
    }

    public static void ScalarAdd(Span<byte> z, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        CheckLength(z, 32); CheckLength(x, 32); CheckLength(y, 32);
        fixed (byte* pz = z, px = x, py = y) LibSodium.crypto_core_ed25519_scalar_add(pz, px, py);
    }

    public static void ScalarNegate(Span<byte> neg, ReadOnlySpan<byte> s)
    {
        CheckLength(neg, 32); CheckLength(s, 32);
        fixed (byte* pn = neg, ps = s) LibSodium.crypto_core_ed25519_scalar_negate(pn, ps);
    }

    /// <summary>n·P without clamping. False when P is invalid/small-order or the result is the identity.</summary>
    public static bool PointMul(Span<byte> q, ReadOnlySpan<byte> n, ReadOnlySpan<byte> p)
    {
        CheckLength(q, 32); CheckLength(n, 32); CheckLength(p, 32);
        fixed (byte* pq = q, pn = n, pp = p) return LibSodium.crypto_scalarmult_ed25519_noclamp(pq, pn, pp) == 0;
    }

    /// <summary>n·B without clamping.</summary>
    public static bool BaseMul(Span<byte> q, ReadOnlySpan<byte> n)
    {
        CheckLength(q, 32); CheckLength(n, 32);
        fixed (byte* pq = q, pn = n) return LibSodium.crypto_scalarmult_ed25519_base_noclamp(pq, pn) == 0;
    }

    private static void CheckLength(ReadOnlySpan<byte> span, int expected)
    {
        if (span.Length != expected)
            throw Errors.InvalidArgument("crypto.bad_length", $"expected {expected} bytes, got {span.Length}");
    }
}
