namespace SessionInterop.Network.Client;

// A signed batch or sequence of arbitrary storage RPC sub-requests to one swarm member (config
// sync sends retrieves + expire in one batch, and stores + delete in one sequence).
internal sealed partial class SnodeNetwork
{
    /// <summary>
    /// Sends the sub-requests <paramref name="build"/> makes for the swarm member it goes to (its
    /// Ed25519 key in hex: retrieve cursors are per member) and the network time (signatures must
    /// be fresh on every attempt) as one <c>batch</c> (or <c>sequence</c>, which stops at the first
    /// failure); returns the sub-replies in order (a sequence may return fewer) and the member.
    /// </summary>
    internal async Task<(IReadOnlyList<SnodeReply> Replies, string Node)> BatchAsync(ReadOnlyMemory<byte> edSecretKey64, string accountId,
        Func<string, long, IReadOnlyList<byte[]>> build, bool sequence, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        CheckKeyMatchesAccount(edSecretKey64, accountId);
        StorageRpc.Batch(build("", 0), sequence);   // validate before any I/O
        var (reply, node) = await SendToSwarmAsync(accountId, (target, now) => StorageRpc.Batch(build(target.Ed25519Hex, now), sequence),
            cancellationToken, isBatch: true).ConfigureAwait(false);
        return (StorageResponseParser.ParseBatch(reply.Body) ?? throw NetworkFailures.BadResponse("malformed batch reply"), node.Ed25519Hex);
    }
}
