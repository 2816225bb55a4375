using SessionInterop.Network.Client;

namespace SessionInterop.Client.Config;

/// <summary>What config sync needs from the network: the account's own swarm, signed.</summary>
internal interface IConfigNetwork
{
    /// <summary>
    /// One batch to one swarm member: a signed retrieve per namespace after that member's last hash
    /// (<paramref name="lastHashAt"/>(member, namespace): each member has its own order), results in
    /// the order of <paramref name="namespaces"/> with the member named, and, when
    /// <paramref name="keepAlive"/> is not empty, an expire setting those hashes to <paramref name="expiryMs"/>
    /// (its failure is ignored: the next poll tries again).
    /// </summary>
    Task<IReadOnlyList<RetrieveResult>> RetrieveConfigsAsync(ReadOnlyMemory<byte> edSecretKey, string accountId,
        IReadOnlyList<int> namespaces, Func<string, int, string?> lastHashAt, IReadOnlyList<string> keepAlive, long expiryMs,
        CancellationToken cancellationToken);

    /// <summary>
    /// One sequence: signed stores in order, then (when any) one delete of <paramref name="obsolete"/>.
    /// Returns each store's message hash; throws when any store failed (the delete then did not run).
    /// </summary>
    Task<IReadOnlyList<string>> StoreConfigsAsync(ReadOnlyMemory<byte> edSecretKey, string accountId,
        IReadOnlyList<(int Namespace, string Data)> stores, IReadOnlyList<string> obsolete, long ttlMs, CancellationToken cancellationToken);
}
