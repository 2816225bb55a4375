using System.Text;
using Sodium;
using SessionInterop.Interop;

namespace SessionInterop.State;

/// <summary>
/// Seals the account seed at rest with XChaCha20-Poly1305 under a key derived (keyed BLAKE2b) from
/// the key the app supplies. Without an app key the derivation uses an empty key: the seed is then
/// only as safe as the file's permissions, which docs/state.md says plainly.
/// </summary>
internal static class IdentityProtector
{
    private static readonly byte[] s_context = Encoding.ASCII.GetBytes("SessionInterop identity seed v1");

    internal static byte[] Seal(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> appKey)
    {
        byte[] key = DeriveKey(appKey);
        try
        {
            byte[] nonce = SodiumCore.GetRandomBytes(24);
            byte[] sealedSeed = SecretAeadXChaCha20Poly1305.Encrypt(seed.ToArray(), nonce, key, s_context);
            return [.. nonce, .. sealedSeed];
        }
        finally { LibSodium.Zero(key); }
    }

    /// <summary>Opens a sealed seed; a wrong app key is SESSION_E_WRONG_KEY.</summary>
    internal static byte[] Open(ReadOnlySpan<byte> box, ReadOnlySpan<byte> appKey)
    {
        if (box.Length < 24 + 16) throw Errors.BadStateData("state.identity_corrupt", "the stored identity is truncated");
        byte[] key = DeriveKey(appKey);
        try
        {
            return SecretAeadXChaCha20Poly1305.Decrypt(box[24..].ToArray(), box[..24].ToArray(), key, s_context);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            throw Errors.WrongKey("state.wrong_key", "the key protecting the stored identity is wrong");
        }
        finally { LibSodium.Zero(key); }
    }

    private static byte[] DeriveKey(ReadOnlySpan<byte> appKey)
    {
        if (appKey.Length > 64) throw Errors.InvalidArgument("state.key_too_long", "the database key must be at most 64 bytes");
        byte[] material = appKey.ToArray();
        try
        {
            // GenericHash wants a 16..64 byte key or none; hash the app key into the message instead.
            return GenericHash.Hash([.. s_context, .. material], (byte[]?)null, 32);
        }
        finally { LibSodium.Zero(material); }
    }
}
