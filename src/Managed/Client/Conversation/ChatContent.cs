using SessionInterop.Crypto;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Client.Conversation;

/// <summary>The sender's profile as messages carry it: the display name and when it last changed.</summary>
internal sealed record SenderProfile(string? Name, ulong UpdatedSeconds);

/// <summary>A disappearing-messages setting in the protobuf's terms.</summary>
internal readonly record struct Expiry(Content.Types.ExpirationType Type, uint Seconds)
{
    public static readonly Expiry Off = new(Content.Types.ExpirationType.Unknown, 0);

    public bool AfterSend => Type == Content.Types.ExpirationType.DeleteAfterSend && Seconds > 0;
    public bool AfterRead => Type == Content.Types.ExpirationType.DeleteAfterRead && Seconds > 0;

    /// <summary>How long the network keeps the message: the timer after send, else the usual 14 days (desktop's ExpirableMessage.ttl).</summary>
    public long TtlMs(long defaultTtlMs) => AfterSend ? Seconds * 1000L : defaultTtlMs;
}

/// <summary>
/// Builds the Content of each 1:1 kind the way the official desktop's outgoing message classes do
/// (ts/session/messages/outgoing): visible messages (text, reply, reaction, timer update) carry the
/// sender's profile and always the two disappearing fields; receipts, typing, unsend and request
/// responses are not disappearing messages. sigTimestamp is stamped by the codec.
/// </summary>
internal static class ChatContent
{
    /// <summary>Typing indicators live 20 s on the network (desktop TTL_DEFAULT.TYPING_MESSAGE).</summary>
    public const long TypingTtlMs = 20_000;

    public static Content Text(string text, long quoteTimestampMs, SessionId? quoteAuthor, SenderProfile profile, Expiry expiry)
    {
        // An explicitly present, empty body is still carried (the library lets apps send one).
        DataMessage data = WithProfile(profile);
        data.Body = text;
        if (quoteTimestampMs != 0 && quoteAuthor is { } author)
            // Current desktop quotes by id and author only (Quote.text is reserved there).
            data.Quote = new DataMessage.Types.Quote { Id = (ulong)quoteTimestampMs, Author = author.ToString() };
        return Disappearing(new Content { DataMessage = data }, expiry);
    }

    public static Content Reaction(long targetTimestampMs, SessionId targetAuthor, string emoji, bool remove, SenderProfile profile, Expiry expiry)
    {
        DataMessage data = WithProfile(profile);
        data.Reaction = new DataMessage.Types.Reaction
        {
            Id = (ulong)ProtocolErrors.CheckTimestamp(targetTimestampMs),
            Author = targetAuthor.ToString(),
            Emoji = emoji,
            Action = remove ? DataMessage.Types.Reaction.Types.Action.Remove : DataMessage.Types.Reaction.Types.Action.React,
        };
        return Disappearing(new Content { DataMessage = data }, expiry);
    }

    /// <summary>The control message announcing a conversation's new disappearing setting.</summary>
    public static Content ExpiryUpdate(SenderProfile profile, Expiry expiry)
    {
        DataMessage data = WithProfile(profile);
        data.Flags = (uint)DataMessage.Types.Flags.ExpirationTimerUpdate;
        return Disappearing(new Content { DataMessage = data }, expiry);
    }

    public static Content ReadReceipt(IEnumerable<long> timestamps) => Messages.ReadReceipt(timestamps);

    public static Content Typing(bool started, long sentTimestampMs) => Messages.Typing(started, sentTimestampMs);

    public static Content Unsend(long sentTimestampMs, SessionId me) => Messages.Unsend(sentTimestampMs, me);

    public static Content AcceptRequest(SenderProfile profile) =>
        Messages.MessageRequestResponse(true, profile.Name, profile.Name is null ? null : profile.UpdatedSeconds);

    private static DataMessage WithProfile(SenderProfile profile)
    {
        var data = new DataMessage();
        if (!string.IsNullOrEmpty(profile.Name))
            data.Profile = new LokiProfile { DisplayName = profile.Name, LastProfileUpdateSeconds = profile.UpdatedSeconds };
        return data;
    }

    /// <summary>desktop's ExpirableMessage writes both fields on every message that can disappear ("off" = UNKNOWN, 0).</summary>
    private static Content Disappearing(Content content, Expiry expiry)
    {
        content.ExpirationType = expiry.Seconds == 0 ? Content.Types.ExpirationType.Unknown : expiry.Type;
        content.ExpirationTimer = expiry.Seconds;
        return content;
    }
}
