namespace SessionInterop.Network.Client;

/// <summary>One message returned by <c>retrieve</c> (protocol-network.md §4.4.2).</summary>
/// <param name="Hash">43-char base64 message hash.</param>
/// <param name="Data">Base64 of the stored bytes.</param>
/// <param name="TimestampMs">Store timestamp (ms).</param>
/// <param name="ExpirationMs">Expiry (ms); the server emits <c>expiration</c>.</param>
internal sealed record RetrievedMessage(string Hash, string Data, long TimestampMs, long ExpirationMs);

/// <summary>The result of one <c>retrieve</c>: messages after <c>last_hash</c>, whether more remain, and the node that answered.</summary>
internal sealed record RetrieveResult(IReadOnlyList<RetrievedMessage> Messages, bool More, long? ServerTimeMs)
{
    /// <summary>Ed25519 key (hex) of the swarm member that answered; <c>last_hash</c> is tracked per node.</summary>
    public string? NodeEd25519Hex { get; init; }
}

/// <summary>One swarm member's answer to a <c>store</c>.</summary>
internal sealed record StoreNodeResult(string NodeEd25519Hex, string? Hash, string? Signature, long? ExpiryMs, bool Already, bool Failed)
{
    /// <summary>True when <see cref="Signature"/> is the node's valid Ed25519 signature of <see cref="Hash"/>.</summary>
    public bool SignatureValid { get; init; }
}

/// <summary>The result of one <c>store</c>: the message hash, server time and per-member results.</summary>
internal sealed record StoreResult(string? Hash, long? ServerTimeMs, IReadOnlyList<StoreNodeResult> Nodes)
{
    /// <summary>The node's <c>hf</c> pair [hardfork, softfork], when present.</summary>
    public IReadOnlyList<int>? HardFork { get; init; }
}

/// <summary>The result of one <c>delete</c>: for each swarm member, the hashes it deleted (null when it failed).</summary>
internal sealed record DeleteResult(IReadOnlyDictionary<string, IReadOnlyList<string>?> DeletedByNode, long? ServerTimeMs);

/// <summary>A swarm as returned by get_swarm or a 421 body.</summary>
internal sealed record SwarmInfo(IReadOnlyList<ServiceNode> Nodes, ulong? SwarmId, long? ServerTimeMs);

/// <summary>Where to resume one namespace: its number and the last hash already received (null = from the start).</summary>
internal readonly record struct NamespaceCursor(int Namespace, string? LastHash);
