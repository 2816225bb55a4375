namespace SessionInterop;

/// <summary>
/// Factories for every exception the library throws, so each failure maps to exactly one status
/// and one dotted code. Messages never contain secrets, plaintext or full Session IDs.
/// </summary>
internal static class Errors
{
    public static SessionException InvalidArgument(string code, string message) =>
        new(SessionStatus.EInvalidArgument, code, message);

    public static SessionException NullPointer(string parameter) =>
        new(SessionStatus.ENullPointer, "arg.null", $"{parameter} must not be NULL");

    public static SessionException InvalidHandle(string what) =>
        new(SessionStatus.EInvalidHandle, "handle.invalid", $"{what} is not a live handle (freed, stale or forged)");

    public static SessionException InvalidUtf8(string parameter) =>
        new(SessionStatus.EInvalidUtf8, "arg.invalid_utf8", $"{parameter} is not valid UTF-8");

    public static SessionException BufferTooSmall(nuint needed) =>
        new(SessionStatus.EBufferTooSmall, "arg.buffer_too_small", $"buffer too small: {needed} bytes needed");

    public static SessionException TooLarge(string code, string message) =>
        new(SessionStatus.ETooLarge, code, message);

    public static SessionException NotFound(string code, string message) =>
        new(SessionStatus.ENotFound, code, message);

    public static SessionException WrongState(string code, string message) =>
        new(SessionStatus.EWrongState, code, message);

    public static SessionException Unsupported(string code, string message) =>
        new(SessionStatus.EUnsupported, code, message);

    public static SessionException Crypto(string code, string message) =>
        new(SessionStatus.ECrypto, code, message);

    public static SessionException Timeout(string code, string message, Exception? inner = null) =>
        new(SessionStatus.ETimeout, code, message, inner);

    public static SessionException Network(string code, string message, Exception? inner = null) =>
        new(SessionStatus.ENetwork, code, message, inner);

    public static SessionException BadStateData(string code, string message, Exception? inner = null) =>
        new(SessionStatus.EBadStateData, code, message, inner);

    public static SessionException WrongKey(string code, string message) =>
        new(SessionStatus.EWrongKey, code, message);

    public static SessionException Remote(string code, string message) =>
        new(SessionStatus.ERemote, code, message);

    public static SessionException Storage(string code, string message, Exception? inner = null) =>
        new(SessionStatus.EStorage, code, message, inner);

    /// <summary>
    /// A framework exception as text for an error message or event: its type and, where it has one, its
    /// error code (SocketError, HttpRequestError), else its message. Never the stack trace (it may reveal
    /// paths or identifiers). libsession.so is built with UseSystemResourceKeys, where the framework's
    /// own messages are bare resource keys: the error codes keep those texts readable.
    /// </summary>
    public static string Describe(Exception e)
    {
        string reason = e switch
        {
            System.Net.Sockets.SocketException s => $"{s.SocketErrorCode} ({s.Message})",
            HttpRequestException { InnerException: { } inner } h => $"{h.HttpRequestError}, {Describe(inner)}",
            HttpRequestException h => h.HttpRequestError.ToString(),
            IOException { InnerException: System.Net.Sockets.SocketException s } => $"{s.SocketErrorCode} ({s.Message})",
            _ => e.Message,
        };
        return $"{e.GetType().Name}: {reason}";
    }
}
