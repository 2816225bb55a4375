using System.Runtime.InteropServices;

namespace SessionInterop.Interop;

/// <summary>
/// Direct bindings for the libsodium functions Sodium.Core does not wrap (Ed25519 point/scalar
/// arithmetic for blinding, memzero). The library name is the same as Sodium.Core's, so one copy of
/// libsodium is loaded and the same resolver (NativeExports' loader) applies to both.
/// Exact C names, as in NSec's Interop files.
/// </summary>
internal static unsafe partial class LibSodium
{
    private const string Lib = "libsodium";

    [LibraryImport(Lib)] internal static partial int sodium_init();
    [LibraryImport(Lib)] internal static partial void sodium_memzero(byte* pnt, nuint len);
    [LibraryImport(Lib)] internal static partial int crypto_core_ed25519_add(byte* r, byte* p, byte* q);
    [LibraryImport(Lib)] internal static partial int crypto_core_ed25519_sub(byte* r, byte* p, byte* q);
    [LibraryImport(Lib)] internal static partial int crypto_core_ed25519_is_valid_point(byte* p);
    [LibraryImport(Lib)] internal static partial void crypto_core_ed25519_scalar_reduce(byte* r, byte* s);
    [LibraryImport(Lib)] internal static partial void crypto_core_ed25519_scalar_mul(byte* z, byte* x, byte* y);
    [LibraryImport(Lib)] internal static partial void crypto_core_ed25519_scalar_add(byte* z, byte* x, byte* y);
    [LibraryImport(Lib)] internal static partial void crypto_core_ed25519_scalar_negate(byte* neg, byte* s);
    [LibraryImport(Lib)] internal static partial void crypto_core_ed25519_scalar_random(byte* r);
    [LibraryImport(Lib)] internal static partial int crypto_scalarmult_ed25519_noclamp(byte* q, byte* n, byte* p);
    [LibraryImport(Lib)] internal static partial int crypto_scalarmult_ed25519_base_noclamp(byte* q, byte* n);
    [LibraryImport(Lib)] internal static partial int crypto_scalarmult_ed25519(byte* q, byte* n, byte* p);
    [LibraryImport(Lib)] internal static partial int crypto_scalarmult_ed25519_base(byte* q, byte* n);
    [LibraryImport(Lib)] internal static partial void randombytes_buf(byte* buf, nuint size);
    [LibraryImport(Lib)] internal static partial void randombytes_buf_deterministic(byte* buf, nuint size, byte* seed);

    // Signatures and key conversion (crypto_sign.h).
    [LibraryImport(Lib)] internal static partial int crypto_sign_ed25519_seed_keypair(byte* pk, byte* sk, byte* seed);
    [LibraryImport(Lib)] internal static partial int crypto_sign_ed25519_detached(byte* sig, ulong* siglen, byte* m, ulong mlen, byte* sk);
    [LibraryImport(Lib)] internal static partial int crypto_sign_ed25519_verify_detached(byte* sig, byte* m, ulong mlen, byte* pk);
    [LibraryImport(Lib)] internal static partial int crypto_sign_ed25519_pk_to_curve25519(byte* curvePk, byte* edPk);
    [LibraryImport(Lib)] internal static partial int crypto_sign_ed25519_sk_to_curve25519(byte* curveSk, byte* edSk);

    // X25519 (crypto_scalarmult.h).
    [LibraryImport(Lib)] internal static partial int crypto_scalarmult_curve25519(byte* q, byte* n, byte* p);
    [LibraryImport(Lib)] internal static partial int crypto_scalarmult_curve25519_base(byte* q, byte* n);

    // Boxes (crypto_box.h).
    [LibraryImport(Lib)] internal static partial int crypto_box_seal(byte* c, byte* m, ulong mlen, byte* pk);
    [LibraryImport(Lib)] internal static partial int crypto_box_seal_open(byte* m, byte* c, ulong clen, byte* pk, byte* sk);
    [LibraryImport(Lib)] internal static partial int crypto_box_seed_keypair(byte* pk, byte* sk, byte* seed);
    [LibraryImport(Lib)] internal static partial int crypto_box_easy(byte* c, byte* m, ulong mlen, byte* n, byte* pk, byte* sk);

    // Hashes.
    [LibraryImport(Lib)] internal static partial int crypto_generichash_blake2b(byte* hash, nuint outlen, byte* input, ulong inlen, byte* key, nuint keylen);
    [LibraryImport(Lib)] internal static partial int crypto_hash_sha512(byte* hash, byte* input, ulong inlen);
    [LibraryImport(Lib)] internal static partial nuint crypto_hash_sha512_statebytes();
    [LibraryImport(Lib)] internal static partial int crypto_hash_sha512_init(byte* state);
    [LibraryImport(Lib)] internal static partial int crypto_hash_sha512_update(byte* state, byte* input, ulong inlen);
    [LibraryImport(Lib)] internal static partial int crypto_hash_sha512_final(byte* state, byte* hash);
    [LibraryImport(Lib)] internal static partial nuint crypto_generichash_blake2b_statebytes();
    [LibraryImport(Lib)] internal static partial int crypto_generichash_blake2b_init(byte* state, byte* key, nuint keylen, nuint outlen);
    [LibraryImport(Lib)] internal static partial int crypto_generichash_blake2b_update(byte* state, byte* input, ulong inlen);
    [LibraryImport(Lib)] internal static partial int crypto_generichash_blake2b_final(byte* state, byte* hash, nuint outlen);

    [LibraryImport(Lib)] internal static partial int crypto_generichash_blake2b_init_salt_personal(byte* state, byte* key, nuint keylen, nuint outlen, byte* salt, byte* personal);

    // Secret stream (crypto_secretstream_xchacha20poly1305.h, crypto_core_hchacha20.h): the
    // deterministic attachment encryption (Crypto/Attachments/StreamAttachmentCipher.cs).
    [LibraryImport(Lib)] internal static partial int crypto_core_hchacha20(byte* output, byte* input, byte* k, byte* c);
    [LibraryImport(Lib)] internal static partial int crypto_secretstream_xchacha20poly1305_init_pull(byte* state, byte* header, byte* k);
    [LibraryImport(Lib)] internal static partial int crypto_secretstream_xchacha20poly1305_push(byte* state, byte* c, ulong* clen, byte* m, ulong mlen, byte* ad, ulong adlen, byte tag);
    [LibraryImport(Lib)] internal static partial int crypto_secretstream_xchacha20poly1305_pull(byte* state, byte* m, ulong* mlen, byte* tag, byte* c, ulong clen, byte* ad, ulong adlen);
    [LibraryImport(Lib)] internal static partial nuint crypto_secretstream_xchacha20poly1305_statebytes();

    // AEAD (crypto_aead_xchacha20poly1305.h).
    [LibraryImport(Lib)] internal static partial int crypto_aead_xchacha20poly1305_ietf_encrypt(byte* c, ulong* clen, byte* m, ulong mlen, byte* ad, ulong adlen, byte* nsec, byte* npub, byte* k);
    [LibraryImport(Lib)] internal static partial int crypto_aead_xchacha20poly1305_ietf_decrypt(byte* m, ulong* mlen, byte* nsec, byte* c, ulong clen, byte* ad, ulong adlen, byte* npub, byte* k);

    /// <summary>Zeroes a buffer in a way the compiler cannot elide.</summary>
    internal static void Zero(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return;
        fixed (byte* p = buffer) sodium_memzero(p, (nuint)buffer.Length);
    }
}
