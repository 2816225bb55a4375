namespace SessionInterop.Protocol;

/// <summary>The kinds of Content this core builds or recognises.</summary>
internal enum MessageKind
{
    Unknown = 0,
    VisibleMessage,
    ExpirationTimerUpdate,
    ReadReceipt,
    TypingIndicator,
    UnsendRequest,
    MessageRequestResponse,
    DataExtractionNotification,
    Call,
    GroupUpdate,
}
