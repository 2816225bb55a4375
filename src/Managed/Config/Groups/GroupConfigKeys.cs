using SessionInterop.Crypto;

namespace SessionInterop.Config.Groups;

/// <summary>
/// How group Info and Members configs are encrypted and signed (protocol-groups.md §4.3): with the
/// group keys from <see cref="GroupKeys"/> (encrypt with the pending or newest, open with any), signed
/// by the group key when the user is an admin, and only accepted with a valid group signature.
/// </summary>
internal static class GroupConfigKeys
{
    /// <param name="domain">The config's encryption domain.</param>
    /// <param name="keys">The group keys, encryption key first (normally <see cref="GroupKeys.Keys"/>).</param>
    /// <param name="admin">The group key pair (admins), or null (read-only).</param>
    /// <param name="groupPk">The group's Ed25519 public key: every config must verify with it.</param>
    public static ConfigWire.Keys For(string domain, Func<IReadOnlyList<byte[]>> keys, Identity? admin, ReadOnlySpan<byte> groupPk)
    {
        byte[] pk = groupPk.ToArray();
        Func<byte[], byte[]>? signer = admin is null ? null : data =>
        {
            var sig = new byte[Primitives.SignatureBytes];
            Primitives.Sign(admin.Ed25519SecretKey, data, sig);
            return sig;
        };
        return ConfigWire.Keys.ForGroup(domain, keys, signer, (signed, sig) => Primitives.Verify(sig, signed, pk));
    }
}
