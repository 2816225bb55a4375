using Microsoft.Extensions.Logging;

namespace SessionInterop.LocalNet;

// Community server log messages (ids 60–69). Debug only: paths can carry blinded ids.
internal static partial class LogMessages
{
    [LoggerMessage(60, LogLevel.Debug, "community: {Method} {Path} rejected by auth with {Status}")]
    internal static partial void CommunityAuthRejected(ILogger logger, int status, string method, string path);
}
