namespace SessionInterop.State;

/// <summary>
/// An event for the app (message, request completion, connection change, ...). Messages and
/// completions are persisted until the app has drained them, so a crash never loses one.
/// </summary>
public sealed record SessionEvent(
    long Seq,
    EventType Type,
    ulong RequestId,
    SessionStatus Status,
    long TimestampMs,
    long Value,
    string Conversation,
    string Sender,
    string MessageId,
    byte[] Text,
    string ErrorCode)
{
    /// <summary>The fields beyond the positional ones (replies, reactions, expiry, ...); stored with the event.</summary>
    internal Stored.EventDetails Details { get; init; } = s_noDetails;

    private static readonly Stored.EventDetails s_noDetails = new();

    /// <summary>session_event.flags: SESSION_EVENT_FLAG_* bits.</summary>
    public uint Flags => Details.Flags;

    /// <summary>A MESSAGE's attachments (download them with SessionClient.Download); empty when none.</summary>
    public IReadOnlyList<Attachment> Attachments => Details.Attachments.Select(a => new Attachment(a)).ToList();

    /// <summary>The sender's profile picture when the message carried one (SessionClient.Download accepts it), else null.</summary>
    public Attachment? Avatar => Details.Avatar is { } avatar ? new Attachment(avatar) : null;

    /// <summary>A new event not yet stored (Seq is assigned by the database).</summary>
    public static SessionEvent Create(EventType type, ulong requestId = 0, SessionStatus status = SessionStatus.Ok,
        long timestampMs = 0, long value = 0, string conversation = "", string sender = "", string messageId = "",
        byte[]? text = null, string errorCode = "") =>
        new(0, type, requestId, status, timestampMs, value, conversation, sender, messageId, text ?? [], errorCode);
}

/// <summary>A message accepted from the app and not yet confirmed stored on the network.</summary>
internal sealed record OutboxEntry(
    ulong RequestId,
    string Destination,
    int Kind,
    byte[] Payload,
    long TimestampMs,
    int Attempts,
    long NextAttemptMs);
