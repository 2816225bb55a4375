using SessionInterop.Crypto;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Protocol;

/// <summary>
/// Builders for the Content messages this core sends, with every proto2 `required` field set.
/// sigTimestamp is stamped later by the codec, from the same value as the Envelope timestamp.
/// </summary>
internal static class Messages
{
    /// <summary>Upper bound on a text body in UTF-16 chars; the stored-size limit still applies after encoding.</summary>
    public const int MaxBodyChars = 30_000;

    /// <summary>A visible text message, with the sender's display name when given.</summary>
    public static Content Text(string body, string? displayName = null, ulong? profileUpdatedSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length == 0)
            throw Errors.InvalidArgument("message.empty_body", "a text message needs a non-empty body");
        if (body.Length > MaxBodyChars)
            throw ProtocolErrors.TooLarge(body.Length, MaxBodyChars);
        var data = new DataMessage { Body = body };
        LokiProfile? profile = Profile(displayName, profileUpdatedSeconds);
        if (profile is not null) data.Profile = profile;
        return new Content { DataMessage = data };
    }

    /// <summary>A read receipt for the messages sent at the given timestamps (ms).</summary>
    public static Content ReadReceipt(IEnumerable<long> sentTimestamps)
    {
        var receipt = new ReceiptMessage { Type = ReceiptMessage.Types.Type.Read };
        foreach (long t in sentTimestamps) receipt.Timestamp.Add(ProtocolErrors.CheckTimestamp(t));
        if (receipt.Timestamp.Count == 0)
            throw Errors.InvalidArgument("message.empty_receipt", "a read receipt needs at least one timestamp");
        return new Content { ReceiptMessage = receipt };
    }

    /// <summary>A typing indicator; <paramref name="timestampMs"/> should be the Envelope timestamp.</summary>
    public static Content Typing(bool started, long timestampMs) => new()
    {
        TypingMessage = new TypingMessage
        {
            Timestamp = ProtocolErrors.CheckTimestamp(timestampMs),
            Action = started ? TypingMessage.Types.Action.Started : TypingMessage.Types.Action.Stopped,
        },
    };

    /// <summary>"Delete for everyone" of the message sent at <paramref name="sentTimestampMs"/> by <paramref name="author"/>.</summary>
    public static Content Unsend(long sentTimestampMs, SessionId author)
    {
        author.Require(SessionIdPrefix.Standard);
        return new Content { UnsendRequest = new UnsendRequest { Timestamp = ProtocolErrors.CheckTimestamp(sentTimestampMs), Author = author.ToString() } };
    }

    /// <summary>Accepting a message request, optionally sharing our display name.</summary>
    public static Content MessageRequestResponse(bool approved, string? displayName = null, ulong? profileUpdatedSeconds = null)
    {
        var response = new MessageRequestResponse { IsApproved = approved };
        LokiProfile? profile = Profile(displayName, profileUpdatedSeconds);
        if (profile is not null) response.Profile = profile;
        return new Content { MessageRequestResponse = response };
    }

    private static LokiProfile? Profile(string? displayName, ulong? updatedSeconds)
    {
        if (string.IsNullOrEmpty(displayName)) return null;
        var profile = new LokiProfile { DisplayName = displayName };
        if (updatedSeconds is { } s) profile.LastProfileUpdateSeconds = s;
        return profile;
    }
}
