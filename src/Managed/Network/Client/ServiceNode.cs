namespace SessionInterop.Network.Client;

/// <summary>
/// One storage service node ("snode"): its IPv4 address, HTTPS storage port and keys in lowercase
/// hex (protocol-network.md §2.3). Equality is by Ed25519 key, the node's identity.
/// </summary>
internal sealed record ServiceNode(string Ip, int Port, string Ed25519Hex, string X25519Hex)
{
    /// <summary>The swarm id when the source reported it (seed list with <c>swarm_id</c>), else null.</summary>
    public ulong? SwarmId { get; init; }

    /// <summary>The "/24 subnet": the IP text up to its last dot, as desktop computes it.</summary>
    public string Subnet24
    {
        get
        {
            int dot = Ip.LastIndexOf('.');
            return dot < 0 ? Ip : Ip[..dot];
        }
    }

    public bool Equals(ServiceNode? other) =>
        other is not null && string.Equals(Ed25519Hex, other.Ed25519Hex, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Ed25519Hex);

    // Only the key prefix: enough to tell nodes apart in logs.
    public override string ToString() => $"{Ip}:{Port} ({(Ed25519Hex.Length >= 8 ? Ed25519Hex[..8] : Ed25519Hex)}…)";

    internal byte[] X25519Bytes() => Convert.FromHexString(X25519Hex);
}
