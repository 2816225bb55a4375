using SessionInterop.Client.Config;
using SessionInterop.Network.Client;

namespace SessionInterop.Client;

// Config sync over the onion network: retrieves + expire as one batch, stores + delete as one
// sequence, as desktop's poller and UserSyncJob send them (protocol-config.md §1.4-1.5).
internal sealed partial class OnionSwarmNetwork : IConfigNetwork
{
    public async Task<IReadOnlyList<RetrieveResult>> RetrieveConfigsAsync(ReadOnlyMemory<byte> edSecretKey, string accountId,
        IReadOnlyList<int> namespaces, Func<string, int, string?> lastHashAt, IReadOnlyList<string> keepAlive, long expiryMs,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<byte[]> Build(string node, long now)
        {
            var subs = namespaces.Select(ns => StorageRpc.Retrieve(accountId, ns, lastHashAt(node, ns), now, edSecretKey.Span)).ToList();
            if (keepAlive.Count > 0) subs.Add(StorageRpc.Expire(accountId, keepAlive, expiryMs, "", edSecretKey.Span));
            return subs;
        }
        var (replies, node) = await _network.BatchAsync(edSecretKey, accountId, Build, sequence: false, cancellationToken).ConfigureAwait(false);
        if (replies.Count < namespaces.Count) throw NetworkFailures.BadResponse("batch reply has too few results");
        var results = new List<RetrieveResult>(namespaces.Count);
        for (int i = 0; i < namespaces.Count; i++)
        {
            SnodeReply r = replies[i];
            if (r.Status is < 200 or >= 300) throw NetworkFailures.Rejected(r.Status, r.Body);
            RetrieveResult result = StorageResponseParser.ParseRetrieve(r.Body) ?? throw NetworkFailures.BadResponse("malformed retrieve reply");
            results.Add(result with { NodeEd25519Hex = node });
        }
        return results;
    }

    public async Task<IReadOnlyList<string>> StoreConfigsAsync(ReadOnlyMemory<byte> edSecretKey, string accountId,
        IReadOnlyList<(int Namespace, string Data)> stores, IReadOnlyList<string> obsolete, long ttlMs, CancellationToken cancellationToken)
    {
        IReadOnlyList<byte[]> Build(string node, long now)
        {
            var subs = stores.Select(s => StorageRpc.Store(accountId, s.Namespace, s.Data, ttlMs, now, edSecretKey.Span)).ToList();
            if (obsolete.Count > 0) subs.Add(StorageRpc.Delete(accountId, obsolete, edSecretKey.Span));
            return subs;
        }
        var (replies, _) = await _network.BatchAsync(edSecretKey, accountId, Build, sequence: true, cancellationToken).ConfigureAwait(false);
        var hashes = new List<string>(stores.Count);
        for (int i = 0; i < stores.Count; i++)
        {
            if (i >= replies.Count) throw NetworkFailures.BadResponse("the sequence stopped before every store");
            SnodeReply r = replies[i];
            if (r.Status is < 200 or >= 300) throw NetworkFailures.Rejected(r.Status, r.Body);
            hashes.Add(StorageResponseParser.ParseStore(r.Body)?.Hash ?? throw NetworkFailures.BadResponse("store reply without a hash"));
        }
        return hashes;
    }
}
