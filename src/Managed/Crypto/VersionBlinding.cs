using System.Globalization;
using System.Text;

namespace SessionInterop.Crypto;

/// <summary>
/// The 07 "version-blinded" key for file-server version checks (§7.5): an Ed25519 pair from
/// vseed = H_32(seed32; key = "VersionCheckKey_sig"), signing decimal(ts) ‖ METHOD ‖ PATH ‖ body.
/// </summary>
internal static class VersionBlinding
{
    private static ReadOnlySpan<byte> HashKey => "VersionCheckKey_sig"u8;

    public static VersionKey Derive(Identity identity)
    {
        Span<byte> vseed = stackalloc byte[32];
        try
        {
            Primitives.Blake2b(vseed, identity.Seed, HashKey);
            return new VersionKey(vseed);
        }
        finally
        {
            Interop.LibSodium.Zero(vseed);
        }
    }

    /// <summary>Base64 signature for the X-FS-Signature header.</summary>
    public static string SignRequest(VersionKey key, long timestampSeconds, string method, string path, ReadOnlySpan<byte> body)
    {
        byte[] head = Encoding.UTF8.GetBytes(timestampSeconds.ToString(CultureInfo.InvariantCulture) + method + path);
        byte[] message = [.. head, .. body];
        byte[] sig = new byte[64];
        Primitives.Sign(key.SecretKey, message, sig);
        return Convert.ToBase64String(sig);
    }
}

/// <summary>A derived 07 key pair; the secret is zeroed on Dispose.</summary>
internal sealed class VersionKey : IDisposable
{
    private readonly byte[] _secretKey = GC.AllocateArray<byte>(64, pinned: true);

    public VersionKey(ReadOnlySpan<byte> seed)
    {
        Span<byte> pk = stackalloc byte[32];
        Primitives.SeedKeypair(seed, pk, _secretKey);
        Id = SessionId.FromKey(SessionIdPrefix.VersionBlinded, pk);
    }

    /// <summary>"07" ‖ hex(vPk): the X-FS-Pubkey header value.</summary>
    public SessionId Id { get; }
    internal ReadOnlySpan<byte> SecretKey => _secretKey;

    public void Dispose() => Interop.LibSodium.Zero(_secretKey);
}
