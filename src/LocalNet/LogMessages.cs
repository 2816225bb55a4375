using Microsoft.Extensions.Logging;

namespace SessionInterop.LocalNet;

// Every LocalNet log message, with fixed event ids. No keys, payloads or plaintext are logged.
internal static partial class LogMessages
{
    [LoggerMessage(1, LogLevel.Information, "LocalNet started: {Nodes} nodes in {Swarms} swarms, seed {SeedUrl}, admin {AdminUrl}, data {DataDirectory}")]
    internal static partial void Started(ILogger logger, int nodes, int swarms, string seedUrl, string adminUrl, string dataDirectory);

    [LoggerMessage(2, LogLevel.Information, "LocalNet stopped")]
    internal static partial void Stopped(ILogger logger);

    [LoggerMessage(10, LogLevel.Debug, "node {Node}: storage RPC {Method} -> {Status}")]
    internal static partial void RpcHandled(ILogger logger, int node, string method, int status);

    [LoggerMessage(11, LogLevel.Error, "node {Node}: storage RPC {Method} failed")]
    internal static partial void RpcFailed(ILogger logger, Exception exception, int node, string method);

    [LoggerMessage(20, LogLevel.Debug, "node {Node}: onion hop {Hop} -> {Outcome}")]
    internal static partial void OnionHop(ILogger logger, int node, int hop, string outcome);

    [LoggerMessage(21, LogLevel.Debug, "node {Node}: relay to {Target} failed: {Reason}")]
    internal static partial void RelayFailed(ILogger logger, int node, string target, string reason);

    [LoggerMessage(22, LogLevel.Error, "replicating a store to a swarm peer failed")]
    internal static partial void ReplicationFailed(ILogger logger, Exception exception);

    [LoggerMessage(40, LogLevel.Debug, "file server: {Method} -> {Status}")]
    internal static partial void FileRequest(ILogger logger, string method, int status);

    [LoggerMessage(30, LogLevel.Information, "admin: {Action}")]
    internal static partial void AdminAction(ILogger logger, string action);
}
