namespace SessionInterop.Client;

/// <summary>What a 1:1 send carries (session_message_kind). Values are forever.</summary>
[CEnum("session_message_kind", "SESSION_MESSAGE_")]
public enum OutgoingKind
{
    /// <summary>A text (may be empty); a reply when ref_timestamp_ms/ref_author name the quoted message.</summary>
    Text = 1,
    /// <summary>A reaction (emoji) to the message named by ref_timestamp_ms/ref_author; SESSION_MESSAGE_FLAG_REMOVE removes it.</summary>
    Reaction = 2,
    /// <summary>A read receipt for received messages: ref_timestamp_ms, or several sent times as int64_t in text.</summary>
    ReadReceipt = 3,
    /// <summary>Typing started (SESSION_MESSAGE_FLAG_STOPPED: stopped).</summary>
    Typing = 4,
    /// <summary>"Delete for everyone" of our own message sent at ref_timestamp_ms.</summary>
    Unsend = 5,
    /// <summary>Accepts the recipient's message request (MessageRequestResponse).</summary>
    AcceptRequest = 6,
    /// <summary>Sets the conversation's disappearing-messages mode and timer (expiry_type, expiry_seconds; 0, 0 turns it off).</summary>
    ExpirySettings = 7,
}

/// <summary>Bits of session_message.flags.</summary>
[Flags]
[CEnum("session_message_flag", "SESSION_MESSAGE_FLAG_")]
public enum OutgoingFlags
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>REACTION: remove the reaction instead of adding it.</summary>
    Remove = 1,
    /// <summary>TYPING: typing stopped (without it: started).</summary>
    Stopped = 2,
}

/// <summary>
/// One 1:1 message to send (SessionClient.SendMessage). A message is referred to by its sent time
/// and author, as the protocol does. Expiry: 0 none, 1 after read, 2 after send (the protobuf's
/// values), with the timer in seconds; without one a TEXT or REACTION uses the conversation's setting.
/// </summary>
public sealed record OutgoingMessage(OutgoingKind Kind)
{
    /// <summary>TEXT: the text.</summary>
    public string Text { get; init; } = "";
    /// <summary>The referred-to message's sent time (Unix ms): a reply's quote, a reaction's target, a receipt, an unsend.</summary>
    public long RefTimestampMs { get; init; }
    /// <summary>The referred-to message's author (a reply or a reaction).</summary>
    public string? RefAuthor { get; init; }
    /// <summary>READ_RECEIPT: the sent times of the messages read (RefTimestampMs is added when set).</summary>
    public IReadOnlyList<long> Timestamps { get; init; } = [];
    /// <summary>REACTION: the emoji.</summary>
    public string? Emoji { get; init; }
    /// <summary>0 none (the conversation's setting), 1 after read, 2 after send.</summary>
    public uint ExpiryType { get; init; }
    /// <summary>The disappearing timer in seconds.</summary>
    public uint ExpirySeconds { get; init; }
    /// <summary>Kind-specific flags.</summary>
    public OutgoingFlags Flags { get; init; }
}
