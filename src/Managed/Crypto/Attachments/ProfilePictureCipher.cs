using System.Security.Cryptography;

namespace SessionInterop.Crypto.Attachments;

/// <summary>
/// Profile pictures as desktop encrypts them (protocol-crypto.md §11, DESK profileEncrypter):
/// AES-256-GCM under the 32-byte profile key that messages carry in <c>profileKey</c>; the file is
/// <c>iv(12) ‖ ciphertext ‖ tag(16)</c>.
/// </summary>
internal static class ProfilePictureCipher
{
    public const int KeyBytes = 32;
    private const int IvBytes = 12, TagBytes = 16;

    /// <summary>Largest avatar file accepted (the apps scale pictures down well below it).</summary>
    public const int MaxPlaintext = 10_000_000;

    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyBytes) throw Errors.InvalidArgument("avatar.bad_key", "a profile key is 32 bytes");
        if (plaintext.Length > MaxPlaintext) throw Errors.TooLarge("avatar.too_large", $"a profile picture is at most {MaxPlaintext} bytes");
        var output = new byte[IvBytes + plaintext.Length + TagBytes];
        Primitives.RandomBytes(output.AsSpan(0, IvBytes));
        using var gcm = new AesGcm(key, TagBytes);
        gcm.Encrypt(output.AsSpan(0, IvBytes), plaintext, output.AsSpan(IvBytes, plaintext.Length), output.AsSpan(IvBytes + plaintext.Length));
        return output;
    }

    public static byte[] Decrypt(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyBytes) throw Errors.Crypto("avatar.bad_key", "a profile key is 32 bytes");
        if (blob.Length < IvBytes + TagBytes) throw Errors.Crypto("attachment.truncated", "the profile picture is truncated");
        var plain = new byte[blob.Length - IvBytes - TagBytes];
        using var gcm = new AesGcm(key, TagBytes);
        try
        {
            gcm.Decrypt(blob[..IvBytes], blob[IvBytes..^TagBytes], blob[^TagBytes..], plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw Errors.Crypto("attachment.bad_mac", "the profile picture does not decrypt (wrong key or corrupted data)");
        }
        return plain;
    }
}
