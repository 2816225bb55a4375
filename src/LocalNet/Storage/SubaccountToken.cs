namespace SessionInterop.LocalNet.Storage;

/// <summary>Subaccount permission bits (token byte 1, §4.6).</summary>
[Flags]
internal enum SubaccountAccess : byte
{
    None = 0,
    Read = 0x01,
    Write = 0x02,
    Delete = 0x04,
    AnyPrefix = 0x08,
}

// A subaccount token (§4.6): [0] network prefix, [1] flags, [2..3] reserved, [4..35] the
// subaccount's Ed25519 key; plus subaccount_sig, the account's signature over the 36 bytes.
internal sealed record SubaccountToken(byte[] Token, byte[] Signature)
{
    internal byte Prefix => Token[0];
    internal SubaccountAccess Flags => (SubaccountAccess)Token[1];
    internal byte[] Key => Token[4..36];
}
