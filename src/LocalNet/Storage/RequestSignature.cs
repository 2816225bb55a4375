using System.Text;
using Sodium;

namespace SessionInterop.LocalNet.Storage;

// Verifies a storage-RPC request signature (§4.2): for 05 accounts with pubkey_ed25519 the Ed25519
// key must convert (ed→x) to the account's X25519 key; otherwise the account's 32 key bytes are the
// Ed25519 key (right for 03 groups, never right for 05 Session IDs).
internal static class RequestSignature
{
    internal static bool Verify(byte[] account, byte[]? pubkeyEd25519, byte[] signature, string message) =>
        Verify(account, pubkeyEd25519, signature, Encoding.UTF8.GetBytes(message));

    internal static bool Verify(byte[] account, byte[]? pubkeyEd25519, byte[] signature, byte[] message)
    {
        byte[] verifyKey = account[1..];
        if (pubkeyEd25519 is not null)
        {
            byte[] x;
            try
            {
                x = PublicKeyAuth.ConvertEd25519PublicKeyToCurve25519PublicKey(pubkeyEd25519);
            }
            catch (Exception)
            {
                return false; // not a valid Ed25519 point
            }
            if (!x.AsSpan().SequenceEqual(account.AsSpan(1))) return false;
            verifyKey = pubkeyEd25519;
        }
        try
        {
            return PublicKeyAuth.VerifyDetached(signature, message, verifyKey);
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>Plain Ed25519 verification under a given key (subaccount keys).</summary>
    internal static bool VerifyWithKey(byte[] key, byte[] signature, byte[] message)
    {
        try
        {
            return PublicKeyAuth.VerifyDetached(signature, message, key);
        }
        catch (Exception)
        {
            return false;
        }
    }
}
