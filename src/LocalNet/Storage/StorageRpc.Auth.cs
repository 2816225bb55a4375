using System.Text;

namespace SessionInterop.LocalNet.Storage;

// Request authentication (§4.2, §4.6): either the account's own signature, or a subaccount token
// signed by the account plus a request signature by the token's key, with the required flags, the
// right prefix and no revocation (revocations are ignored for unrevocable namespaces on retrieve).
internal sealed partial class StorageRpc
{
    private bool Authorized(ulong swarmId, string hex, byte[] account, byte[]? ed, byte[] signature, string message,
        SubaccountToken? sub, SubaccountAccess required, bool ignoreRevocation = false)
    {
        byte[] signed = Encoding.UTF8.GetBytes(message);
        if (sub is null) return RequestSignature.Verify(account, ed, signature, signed);

        if (sub.Prefix != account[0] && !sub.Flags.HasFlag(SubaccountAccess.AnyPrefix)) return false;
        if ((sub.Flags & required) != required) return false;
        if (!ignoreRevocation && Local.IsRevoked(hex, sub.Token)) return false;
        if (!RequestSignature.Verify(account, ed, sub.Signature, sub.Token)) return false;
        return RequestSignature.VerifyWithKey(sub.Key, signature, signed);
    }

    /// <summary>pubkey, signature (required), pubkey_ed25519 and subaccount, in the server's parse order.</summary>
    private static (string Hex, byte[] Account, byte[] Signature, byte[]? Ed, SubaccountToken? Sub) SignedAccount(RpcParams p)
    {
        (string hex, byte[] account) = p.Account(allowAlias: false);
        byte[] signature = p.RequiredSignature();
        byte[]? ed = p.PubkeyEd25519(account);
        return (hex, account, signature, ed, p.Subaccount());
    }
}
