using System.Text;
using SessionInterop.Crypto;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;
using SessionInterop.State;
using SessionInterop.State.Stored;

namespace SessionInterop.Client.Conversation;

/// <summary>
/// Turns one decoded 1:1 message into the events the app sees, the way the official desktop
/// receiver sorts Content (ts/receiver/contentMessage.ts, dataMessage.ts): a visible message
/// (text, reply, attachment-only), a reaction, read receipts (one event per message read),
/// typing, unsend, a message-request response. A sync message (our own, sent from another device)
/// is filed under the other party and flagged outgoing. Kinds without an event (call signalling,
/// data-extraction notices, group control, timer updates) give none.
/// </summary>
internal static class IncomingClassifier
{
    /// <param name="message">The decoded, verified message.</param>
    /// <param name="me">This account.</param>
    /// <param name="messageHash">Its hash on the swarm (the event's message_id).</param>
    /// <param name="isRequest">The sender is not an approved contact (a message request).</param>
    public static IReadOnlyList<SessionEvent> Classify(DecodedMessage message, SessionId me, string messageHash, bool isRequest)
    {
        Content content = message.Content;
        bool outgoing = message.Sender == me;
        string sender = message.Sender.ToString();
        // Our own message from another device belongs to the conversation it was sent to.
        string conversation = outgoing && message.SyncTarget is { } target ? target.ToString() : sender;
        uint flags = (outgoing ? EventFlags.Outgoing : 0) | (isRequest && !outgoing ? EventFlags.Request : 0);

        SessionEvent Event(EventType type, long value = 0, byte[]? text = null, EventDetails? details = null)
        {
            details ??= new EventDetails();
            details.Flags = flags;
            return SessionEvent.Create(type, timestampMs: message.TimestampMs, value: value, conversation: conversation,
                sender: sender, messageId: messageHash, text: text) with { Details = details };
        }

        switch (message.Kind)
        {
            case MessageKind.VisibleMessage:
                return [VisibleEvent(content, Event)];
            case MessageKind.ReadReceipt:
                return content.ReceiptMessage.Timestamp.Distinct()
                    .Select(t => Event(EventType.Receipt, details: new EventDetails { RefTimestampMs = (long)t, RefAuthor = me.ToString() }))
                    .ToList();
            case MessageKind.TypingIndicator:
                return [Event(EventType.Typing, value: content.TypingMessage.Action == TypingMessage.Types.Action.Started ? 1 : 0)];
            case MessageKind.UnsendRequest:
                // Only a message's author may delete it for everyone (desktop drops other requests).
                if (content.UnsendRequest.Author != sender) return [];
                return [Event(EventType.Unsend, details: new EventDetails { RefTimestampMs = (long)content.UnsendRequest.Timestamp, RefAuthor = sender })];
            case MessageKind.MessageRequestResponse:
                MessageRequestResponse response = content.MessageRequestResponse;
                return [Event(EventType.RequestResponse, value: response.IsApproved ? 1 : 0,
                    details: new EventDetails { DisplayName = response.Profile?.DisplayName ?? "" })];
            case MessageKind.Unknown when content.DataMessage is { HasBody: true, Flags: 0, GroupUpdateMessage: null }:
                return [VisibleEvent(content, Event)]; // an explicitly empty text (this library sends them)
            default:
                return [];
        }
    }

    private static SessionEvent VisibleEvent(Content content, Func<EventType, long, byte[]?, EventDetails?, SessionEvent> make)
    {
        DataMessage data = content.DataMessage;
        var details = new EventDetails
        {
            DisplayName = data.Profile?.DisplayName ?? "",
            ExpiryType = content.HasExpirationType ? (uint)content.ExpirationType : 0,
            ExpirySeconds = content.HasExpirationTimer ? content.ExpirationTimer : 0,
        };
        // "Off" is UNKNOWN with timer 0; a timer without a type is not a disappearing message.
        if (details.ExpiryType == 0 || details.ExpirySeconds == 0) details.ExpiryType = details.ExpirySeconds = 0;
        // The sender's profile picture rides on any data message; attachments belong to a message (issue 15).
        var (attachments, avatar) = Attachments.AttachmentContent.Read(content);
        if (avatar is not null) details.Avatar = avatar;
        if (data.Reaction is { } reaction)
        {
            details.RefTimestampMs = (long)reaction.Id;
            details.RefAuthor = reaction.Author;
            details.Emoji = reaction.Emoji;
            return make(EventType.Reaction, reaction.Action == DataMessage.Types.Reaction.Types.Action.Remove ? 1 : 0, null, details);
        }
        if (data.Quote is { } quote)
        {
            details.RefTimestampMs = (long)quote.Id;
            details.RefAuthor = quote.Author;
            details.RefText = quote.Text;
        }
        details.Attachments.Add(attachments);
        return make(EventType.Message, 0, Encoding.UTF8.GetBytes(data.Body), details);
    }

    /// <summary>The profile a message carries (a visible message's or a request response's), or null.</summary>
    public static LokiProfile? ProfileOf(Content content) =>
        content.DataMessage?.Profile is { HasDisplayName: true } p && p.DisplayName.Length > 0 ? p
        : content.MessageRequestResponse?.Profile is { HasDisplayName: true } r && r.DisplayName.Length > 0 ? r
        : null;

    /// <summary>
    /// A disappear-after-send message whose timer has run out: the apps have already deleted it,
    /// so it is never delivered late.
    /// </summary>
    public static bool HasExpired(DecodedMessage message, long nowMs) =>
        message.Content is { ExpirationType: Content.Types.ExpirationType.DeleteAfterSend, ExpirationTimer: > 0 } c
        && message.TimestampMs + c.ExpirationTimer * 1000L <= nowMs;
}
