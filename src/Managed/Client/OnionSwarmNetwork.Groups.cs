using SessionInterop.Client.Groups;
using SessionInterop.Network.Client;

namespace SessionInterop.Client;

// Closed groups over the onion network: every request to the group's swarm is one batch, signed
// (by the group key or a member's subaccount) in the builder, at the time it is sent.
internal sealed partial class OnionSwarmNetwork : IGroupNetwork
{
    // The batch checks a 05 account's key against its id; a 03 group's requests carry their own
    // signatures, so no account key is needed: an unused 64-byte buffer keeps the shared path.
    private static readonly ReadOnlyMemory<byte> s_noKey = new byte[64];

    public Task<(IReadOnlyList<SnodeReply> Replies, string Node)> GroupBatchAsync(string groupId, Func<string, long, IReadOnlyList<byte[]>> build,
        bool sequence, CancellationToken cancellationToken) =>
        _network.BatchAsync(s_noKey, groupId, build, sequence, cancellationToken);
}
