using Microsoft.Extensions.Logging;

namespace SessionInterop.Client.Engine;

/// <summary>The runner's log messages (codes and counts only: never content, keys or addresses).</summary>
internal static partial class EngineLog
{
    [LoggerMessage(1100, LogLevel.Warning, "Job {Job} failed ({Kind}: {Code}), failure {Count}; next try in {DelayMs} ms")]
    public static partial void JobFailed(ILogger logger, string job, FailureKind kind, string code, int count, long delayMs);

    [LoggerMessage(1101, LogLevel.Information, "Job {Job} works again after {Count} failure(s)")]
    public static partial void JobRecovered(ILogger logger, string job, int count);

    [LoggerMessage(1102, LogLevel.Error, "Reporting a failure raised {Type}")]
    public static partial void ReportFailed(ILogger logger, string type);

    [LoggerMessage(1103, LogLevel.Error, "{Source} failed: {Code} ({Status})")]
    public static partial void Reported(ILogger logger, string source, string code, SessionStatus status);

    [LoggerMessage(1104, LogLevel.Warning, "{Source}: dropped an item a peer sent ({Code})")]
    public static partial void DroppedItem(ILogger logger, string source, string code);
}
