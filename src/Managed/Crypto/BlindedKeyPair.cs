namespace SessionInterop.Crypto;

/// <summary>
/// A community-blinded key pair (§7.2/§7.3): the blinded scalar ka (secret, zeroed on Dispose)
/// and the point kA = ka·B, which with its prefix is the blinded Session ID.
/// </summary>
internal sealed class BlindedKeyPair : IDisposable
{
    private readonly byte[] _scalar = GC.AllocateArray<byte>(32, pinned: true);
    private readonly byte[] _publicKey;

    public BlindedKeyPair(SessionIdPrefix prefix, ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> publicKey)
    {
        scalar.CopyTo(_scalar);
        _publicKey = publicKey.ToArray();
        Id = SessionId.FromKey(prefix, publicKey);
    }

    public SessionId Id { get; }
    public ReadOnlySpan<byte> PublicKey => _publicKey;
    public ReadOnlySpan<byte> Scalar => _scalar;

    public void Dispose() => Interop.LibSodium.Zero(_scalar);
}

/// <summary>Allocation-free dictionary key: blinding kind plus the 32-byte server key.</summary>
internal readonly record struct BlindingCacheKey(SessionIdPrefix Kind, UInt128 Low, UInt128 High)
{
    public static BlindingCacheKey Create(SessionIdPrefix kind, ReadOnlySpan<byte> serverPk)
    {
        if (serverPk.Length != 32)
            throw Errors.InvalidArgument("community.bad_server_key", $"a server public key has 32 bytes, got {serverPk.Length}");
        return new BlindingCacheKey(kind,
            System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(serverPk),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(serverPk[16..]));
    }
}
