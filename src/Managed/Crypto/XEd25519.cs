namespace SessionInterop.Crypto;

/// <summary>
/// Verification of the Curve25519 ("axlsign"/curve25519-js) signatures desktop checks on unblinded
/// community posts (§8.4): the Edwards key is derived from the X25519 key with the x-sign bit taken
/// from bit 7 of the signature's last byte; that bit is then cleared and plain Ed25519 applies.
/// </summary>
internal static class XEd25519
{
    public static bool Verify(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> message, ReadOnlySpan<byte> x25519PublicKey)
    {
        if (signature.Length != 64 || x25519PublicKey.Length != 32) return false;
        Span<byte> ed = stackalloc byte[32];
        if (!MontgomeryToEdwards.Convert(x25519PublicKey, ed, negative: (signature[63] & 0x80) != 0)) return false;
        Span<byte> sig = stackalloc byte[64];
        signature.CopyTo(sig);
        sig[63] &= 0x7f;
        return Primitives.Verify(sig, message, ed);
    }
}
