using SessionInterop.Network.Client;

namespace SessionInterop.Client.Groups;

/// <summary>
/// Requests into a closed group's swarm ("03…"): one batch built per target member at the network's
/// time of sending (the storage signatures are valid for ±60 s, so they are made at send time).
/// Sequence batches stop at the first failure (stores that must land in order).
/// </summary>
internal interface IGroupNetwork
{
    Task<(IReadOnlyList<SnodeReply> Replies, string Node)> GroupBatchAsync(string groupId, Func<string, long, IReadOnlyList<byte[]>> build,
        bool sequence, CancellationToken cancellationToken);
}
