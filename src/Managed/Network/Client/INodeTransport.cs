namespace SessionInterop.Network.Client;

/// <summary>An HTTP reply from a node: status and raw body.</summary>
internal sealed record NodeHttpResponse(int Status, byte[] Body);

/// <summary>
/// "POST these bytes to this node's endpoint" — the only I/O the onion logic needs, so tests can
/// use a fake and LocalNet an in-process shortcut. Failures to connect or read throw a transient
/// <see cref="SessionException"/> (network.unreachable / network.timeout); caller cancellation
/// throws <see cref="OperationCanceledException"/>.
/// </summary>
internal interface INodeTransport
{
    Task<NodeHttpResponse> PostAsync(ServiceNode node, string endpoint, byte[] body, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>Where the initial node list comes from (seed JSON-RPC in production).</summary>
internal interface ISeedNodeSource
{
    Task<IReadOnlyList<ServiceNode>> FetchAsync(CancellationToken cancellationToken);
}

/// <summary>The well-known endpoints of a storage server's HTTPS listener (protocol-network.md §1).</summary>
internal static class NodeEndpoints
{
    public const string Onion = "/onion_req/v2";
    public const string StorageRpc = "/storage_rpc/v1";
}
