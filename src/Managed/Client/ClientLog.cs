using Microsoft.Extensions.Logging;

namespace SessionInterop.Client;

/// <summary>
/// Every log message of the client, with fixed event ids. Session IDs appear only as short
/// prefixes; plaintext, keys and recovery words never appear.
/// </summary>
internal static partial class ClientLog
{
    [LoggerMessage(1000, LogLevel.Information, "Client {Account} opened (schema {Schema})")]
    public static partial void Opened(ILogger logger, string account, int schema);

    [LoggerMessage(1001, LogLevel.Information, "Client {Account} started")]
    public static partial void Started(ILogger logger, string account);

    [LoggerMessage(1002, LogLevel.Information, "Client {Account} stopped")]
    public static partial void Stopped(ILogger logger, string account);

    [LoggerMessage(1010, LogLevel.Debug, "Request {RequestId} queued for {Recipient}")]
    public static partial void SendQueued(ILogger logger, ulong requestId, string recipient);

    [LoggerMessage(1011, LogLevel.Debug, "Request {RequestId} stored after {Attempts} attempt(s)")]
    public static partial void SendStored(ILogger logger, ulong requestId, int attempts);

    [LoggerMessage(1012, LogLevel.Information, "Request {RequestId} attempt {Attempt} failed ({Code}); retrying in {DelayMs} ms")]
    public static partial void SendRetry(ILogger logger, ulong requestId, int attempt, string code, long delayMs);

    [LoggerMessage(1013, LogLevel.Warning, "Request {RequestId} failed for good: {Code}")]
    public static partial void SendFailed(ILogger logger, ulong requestId, string code);

    [LoggerMessage(1020, LogLevel.Debug, "Retrieved {Count} message(s), {Fresh} new")]
    public static partial void Retrieved(ILogger logger, int count, int fresh);

    [LoggerMessage(1021, LogLevel.Warning, "Dropped an undecodable message ({Code})")]
    public static partial void DroppedMessage(ILogger logger, string code);

    [LoggerMessage(1022, LogLevel.Information, "Polling failed ({Code}); next try in {DelayMs} ms")]
    public static partial void PollFailed(ILogger logger, string code, long delayMs);

    [LoggerMessage(1023, LogLevel.Debug, "Dropped an expired disappearing message")]
    public static partial void DroppedExpired(ILogger logger);

    [LoggerMessage(1014, LogLevel.Warning, "A text of {CodePoints} code points will be cut by the official apps (they show {Shown}, {ShownWithoutPro} from senders without Pro)")]
    public static partial void TextTruncatedByApps(ILogger logger, int codePoints, int shown, int shownWithoutPro);

    [LoggerMessage(1040, LogLevel.Information, "Joined community room {Room}")]
    internal static partial void CommunityJoined(ILogger logger, string room);

    [LoggerMessage(1041, LogLevel.Information, "Community poll failed ({Code})")]
    internal static partial void CommunityPollFailed(ILogger logger, string code);

    [LoggerMessage(1060, LogLevel.Debug, "Group {Group}: poll of member {Node} got {Counts}; info {Info} {InfoState}, members {Members} {MembersState}, keys generation {Generation}; {Events} events")]
    internal static partial void GroupPolled(ILogger logger, string group, string node, string counts, long info, SessionInterop.Config.ConfigState infoState,
        long members, SessionInterop.Config.ConfigState membersState, long generation, int events);

    [LoggerMessage(1061, LogLevel.Debug, "Group {Group}: {Why} queued a push of namespaces {Namespaces}")]
    internal static partial void GroupPushQueued(ILogger logger, string group, string why, string namespaces);

    [LoggerMessage(1062, LogLevel.Debug, "Group {Group}: request {RequestId} stored {Stores}; info {Info} {InfoState}, members {Members} {MembersState}")]
    internal static partial void GroupRowStored(ILogger logger, string group, ulong requestId, string stores, long info, SessionInterop.Config.ConfigState infoState,
        long members, SessionInterop.Config.ConfigState membersState);

    [LoggerMessage(1063, LogLevel.Debug, "Group {Group}: adopted from the account config (admin: {Admin}, invited: {Invited})")]
    internal static partial void GroupAdopted(ILogger logger, string group, bool admin, bool invited);

    [LoggerMessage(1064, LogLevel.Debug, "Group {Group}: another device {What}")]
    internal static partial void GroupFollowed(ILogger logger, string group, string what);
}
