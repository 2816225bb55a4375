namespace SessionInterop.LocalNet;

/// <summary>Public description of one LocalNet service node (what the seed publishes).</summary>
/// <param name="Index">1-based node number; the node listens on 127.0.Index.1.</param>
/// <param name="Ip">Its loopback IPv4 address.</param>
/// <param name="Port">Its HTTPS storage port.</param>
/// <param name="Ed25519">Ed25519 public key, lowercase hex (the node identity).</param>
/// <param name="X25519">X25519 public key, lowercase hex (libsodium ed→x conversion).</param>
/// <param name="SwarmId">Swarm the node belongs to.</param>
public sealed record ServiceNodeInfo(int Index, string Ip, int Port, string Ed25519, string X25519, ulong SwarmId)
{
    /// <summary>Base URL of the node, e.g. https://127.0.3.1:40123.</summary>
    public Uri BaseUrl => new($"https://{Ip}:{Port}");
}
