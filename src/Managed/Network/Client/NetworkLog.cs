using Microsoft.Extensions.Logging;

namespace SessionInterop.Network.Client;

// Log messages of the network client (event ids 5000-5099). Nodes (ip:port and key prefix) and
// accounts (a prefix) appear only at Debug; the Information/Warning twins say what happened without them.
internal static partial class NetworkLog
{
    [LoggerMessage(5000, LogLevel.Information, "Fetched {Count} service nodes from a seed")]
    public static partial void SeedFetched(ILogger logger, int count);

    public static void SeedFailed(ILogger logger, string seed, string reason) => SeedFailedRedacted(logger, Redact(seed), Redact(reason));

    [LoggerMessage(5001, LogLevel.Warning, "Seed {Seed} failed: {Reason}")]
    private static partial void SeedFailedRedacted(ILogger logger, string seed, string reason);

    [LoggerMessage(5002, LogLevel.Information, "Node pool refreshed from snodes: {Count} nodes")]
    public static partial void PoolRefreshed(ILogger logger, int count);

    // Above Debug nothing names a node (no IP, no key): guards reveal where the user connects from.
    [LoggerMessage(5003, LogLevel.Debug, "Built onion path {Path}")]
    public static partial void PathBuilt(ILogger logger, OnionPath path);

    public static void PathFailed(ILogger logger, OnionPath path, int failures, string reason)
    {
        PathFailedAnonymous(logger, failures, Redact(reason));
        PathFailedDetail(logger, path, failures, reason);
    }

    [LoggerMessage(5004, LogLevel.Warning, "An onion path failed ({Failures}): {Reason}")]
    private static partial void PathFailedAnonymous(ILogger logger, int failures, string reason);

    [LoggerMessage(5012, LogLevel.Debug, "Onion path {Path} failed ({Failures}): {Reason}")]
    private static partial void PathFailedDetail(ILogger logger, OnionPath path, int failures, string reason);

    public static void NodeDropped(ILogger logger, ServiceNode node, string reason)
    {
        NodeDroppedAnonymous(logger, Redact(reason));
        NodeDroppedDetail(logger, node, reason);
    }

    [LoggerMessage(5005, LogLevel.Information, "Dropped a service node: {Reason}")]
    private static partial void NodeDroppedAnonymous(ILogger logger, string reason);

    [LoggerMessage(5013, LogLevel.Debug, "Dropped service node {Node}: {Reason}")]
    private static partial void NodeDroppedDetail(ILogger logger, ServiceNode node, string reason);

    [LoggerMessage(5006, LogLevel.Debug, "Swarm of {AccountPrefix}… is now {Count} nodes")]
    public static partial void SwarmUpdated(ILogger logger, string accountPrefix, int count);

    [LoggerMessage(5007, LogLevel.Information, "Clock offset corrected to {OffsetMs} ms")]
    public static partial void ClockCorrected(ILogger logger, long offsetMs);

    [LoggerMessage(5008, LogLevel.Debug, "Storage RPC status {Status} from {Node}")]
    public static partial void RpcStatus(ILogger logger, int status, ServiceNode node);

    [LoggerMessage(5009, LogLevel.Information, "Connection state {State}")]
    public static partial void StateChanged(ILogger logger, ConnectionState state);

    public static void GuardRejected(ILogger logger, ServiceNode node)
    {
        GuardRejectedAnonymous(logger);
        GuardRejectedDetail(logger, node);
    }

    [LoggerMessage(5010, LogLevel.Warning, "A guard candidate failed its test")]
    private static partial void GuardRejectedAnonymous(ILogger logger);

    [LoggerMessage(5014, LogLevel.Debug, "Guard {Node} failed its test")]
    private static partial void GuardRejectedDetail(ILogger logger, ServiceNode node);

    [LoggerMessage(5015, LogLevel.Information, "The server refused a request with HTTP {Status} (relayed by the exit; the path is fine)")]
    public static partial void ServerRefused(ILogger logger, int status);

    [LoggerMessage(5011, LogLevel.Warning, "A ConnectionStateChanged subscriber threw")]
    public static partial void CallbackFailed(ILogger logger, Exception exception);

    /// <summary>Removes IPv4 addresses and long hex runs (node keys) from a text logged above Debug.</summary>
    internal static string Redact(string text) => SensitiveText().Replace(text, "…");

    [System.Text.RegularExpressions.GeneratedRegex(@"\d{1,3}(\.\d{1,3}){3}(:\d+)?|[0-9A-Fa-f]{16,}")]
    private static partial System.Text.RegularExpressions.Regex SensitiveText();
}
