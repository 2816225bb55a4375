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
    [LibraryImport(Lib)] internal static partial int crypto_scalarmult_ed25519_noclamp(byte* q, byte* n, byte* p);
    [LibraryImport(Lib)] internal static partial int crypto_scalarmult_ed25519_base_noclamp(byte* q, byte* n);
    [LibraryImport(Lib)] internal static partial int crypto_scalarmult_ed25519(byte* q, byte* n, byte* p);
    [LibraryImport(Lib)] internal static partial int crypto_scalarmult_ed25519_base(byte* q, byte* n);
    [LibraryImport(Lib)] internal static partial void randombytes_buf(byte* buf, nuint size);

    /// <summary>Zeroes a buffer in a way the compiler cannot elide.</summary>
    internal static void Zero(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return;
        fixed (byte* p = buffer) sodium_memzero(p, (nuint)buffer.Length);
    }
}
