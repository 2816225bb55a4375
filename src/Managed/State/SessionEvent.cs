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

    /// <summary>Sent by this account (e.g. from its other device: a sync message).</summary>
    public bool Outgoing => (Details.Flags & EventFlags.Outgoing) != 0;

    /// <summary>A message request: the sender is not an approved contact.</summary>
    public bool IsRequest => (Details.Flags & EventFlags.Request) != 0;

    /// <summary>The message a reply, reaction, receipt or unsend refers to: its sent time (Unix ms, 0 none).</summary>
    public long RefTimestampMs => Details.RefTimestampMs;

    /// <summary>The referred-to message's author ("" none).</summary>
    public string RefAuthor => Details.RefAuthor;

    /// <summary>A reply: the quoted text, when the quote carried it ("" otherwise).</summary>
    public string RefText => Details.RefText;

    /// <summary>A reaction's emoji.</summary>
    public string Emoji => Details.Emoji;

    /// <summary>The sender's display name, when the message carried a profile.</summary>
    public string DisplayName => Details.DisplayName;

    /// <summary>Disappearing messages: 0 none, 1 after read, 2 after send.</summary>
    public uint ExpiryType => Details.ExpiryType;

    /// <summary>Disappearing messages: the timer in seconds (0 none).</summary>
    public uint ExpirySeconds => Details.ExpirySeconds;

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

/// <summary>session_event.flags bits (SESSION_EVENT_FLAG_*).</summary>
public static class EventFlags
{
    /// <summary>Sent by this account (a sync message from its other device).</summary>
    public const uint Outgoing = 1;
    /// <summary>A message request: the sender is not an approved contact.</summary>
    public const uint Request = 2;
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
