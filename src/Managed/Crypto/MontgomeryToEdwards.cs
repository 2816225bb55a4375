using System.Numerics;

namespace SessionInterop.Crypto;

/// <summary>
/// X25519 u → Ed25519 y = (u − 1)/(u + 1) mod p, encoded with the x-sign bit chosen by the caller
/// (§7.1, §8.4). libsodium has no public call for this direction, so it is done with BigInteger;
/// it only runs when blinding someone else's id or verifying a legacy unblinded post.
/// </summary>
internal static class MontgomeryToEdwards
{
    private static readonly BigInteger s_p = (BigInteger.One << 255) - 19;

    /// <summary>Writes the Edwards point with sign bit <paramref name="negative"/>; false if u = −1.</summary>
    public static bool Convert(ReadOnlySpan<byte> u32, Span<byte> ed32, bool negative = false)
    {
        if (u32.Length != 32 || ed32.Length != 32)
            throw Errors.InvalidArgument("crypto.bad_length", "X25519 and Ed25519 keys have 32 bytes");
        Span<byte> tmp = stackalloc byte[32];
        u32.CopyTo(tmp);
        tmp[31] &= 0x7f;   // bit 255 is ignored in X25519 keys
        BigInteger u = new BigInteger(tmp, isUnsigned: true, isBigEndian: false) % s_p;
        BigInteger denominator = (u + 1) % s_p;
        if (denominator.IsZero) return false;
        BigInteger y = (u - 1 + s_p) % s_p * BigInteger.ModPow(denominator, s_p - 2, s_p) % s_p;
        ed32.Clear();
        y.TryWriteBytes(ed32, out _, isUnsigned: true, isBigEndian: false);
        if (negative) ed32[31] |= 0x80;
        return true;
    }
}
