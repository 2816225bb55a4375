using Microsoft.Extensions.Logging;

namespace SessionInterop.Network.Client;

// Log messages of the network client (event ids 5000-5099). Nodes are logged as ip:port and a key
// prefix; accounts never appear above Debug, and then only as a prefix.
internal static partial class NetworkLog
{
    [LoggerMessage(5000, LogLevel.Information, "Fetched {Count} service nodes from a seed")]
    public static partial void SeedFetched(ILogger logger, int count);

    [LoggerMessage(5001, LogLevel.Warning, "Seed {Seed} failed: {Reason}")]
    public static partial void SeedFailed(ILogger logger, string seed, string reason);

    [LoggerMessage(5002, LogLevel.Information, "Node pool refreshed from snodes: {Count} nodes")]
    public static partial void PoolRefreshed(ILogger logger, int count);

    [LoggerMessage(5003, LogLevel.Information, "Built onion path {Path}")]
    public static partial void PathBuilt(ILogger logger, OnionPath path);

    [LoggerMessage(5004, LogLevel.Warning, "Onion path {Path} failed ({Failures}): {Reason}")]
    public static partial void PathFailed(ILogger logger, OnionPath path, int failures, string reason);

    [LoggerMessage(5005, LogLevel.Information, "Dropped service node {Node}: {Reason}")]
    public static partial void NodeDropped(ILogger logger, ServiceNode node, string reason);

    [LoggerMessage(5006, LogLevel.Debug, "Swarm of {AccountPrefix}… is now {Count} nodes")]
    public static partial void SwarmUpdated(ILogger logger, string accountPrefix, int count);

    [LoggerMessage(5007, LogLevel.Information, "Clock offset corrected to {OffsetMs} ms")]
    public static partial void ClockCorrected(ILogger logger, long offsetMs);

    [LoggerMessage(5008, LogLevel.Debug, "Storage RPC status {Status} from {Node}")]
    public static partial void RpcStatus(ILogger logger, int status, ServiceNode node);

    [LoggerMessage(5009, LogLevel.Information, "Connection state {State}")]
    public static partial void StateChanged(ILogger logger, ConnectionState state);

    [LoggerMessage(5010, LogLevel.Warning, "Guard {Node} failed its test")]
    public static partial void GuardRejected(ILogger logger, ServiceNode node);

    [LoggerMessage(5011, LogLevel.Warning, "A ConnectionStateChanged subscriber threw")]
    public static partial void CallbackFailed(ILogger logger, Exception exception);
}
