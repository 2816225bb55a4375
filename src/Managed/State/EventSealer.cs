using System.Text;
using Sodium;
using SessionInterop.Interop;

namespace SessionInterop.State;

/// <summary>
/// Seals the text of stored events (received plaintext, failure details) with XChaCha20-Poly1305,
/// so message text waiting in the events table is never on disk in the clear. The key is derived
/// (BLAKE2b) from the app's database key when one is given, else from the identity's seed; it
/// lives in one pinned buffer, wiped on Dispose.
/// </summary>
internal sealed class EventSealer : IDisposable
{
    private static readonly byte[] s_context = Encoding.ASCII.GetBytes("SessionInterop event text v1");
    private readonly byte[] _key = GC.AllocateArray<byte>(32, pinned: true);

    internal EventSealer(ReadOnlySpan<byte> secret)
    {
        byte[] material = [.. s_context, .. secret];
        try { GenericHash.Hash(material, (byte[]?)null, 32).CopyTo(_key, 0); }
        finally { LibSodium.Zero(material); }
    }

    internal byte[] Seal(byte[] text)
    {
        byte[] nonce = SodiumCore.GetRandomBytes(24);
        return [.. nonce, .. SecretAeadXChaCha20Poly1305.Encrypt(text, nonce, _key, s_context)];
    }

    internal byte[] Open(byte[] box)
    {
        try
        {
            if (box.Length < 24 + 16) throw new System.Security.Cryptography.CryptographicException("truncated");
            return SecretAeadXChaCha20Poly1305.Decrypt(box[24..], box[..24], _key, s_context);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw Errors.BadStateData("state.event_corrupt", "a stored event cannot be opened", e);
        }
    }

    public void Dispose() => LibSodium.Zero(_key);
}
