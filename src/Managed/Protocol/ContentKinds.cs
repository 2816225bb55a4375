using SessionInterop.Protocol.Protos;

namespace SessionInterop.Protocol;

/// <summary>Classifies a Content the way the official desktop receiver does (§5.5).</summary>
internal static class ContentKinds
{
    private const uint ExpirationTimerUpdateFlag = (uint)DataMessage.Types.Flags.ExpirationTimerUpdate;

    public static MessageKind Classify(Content content)
    {
        if (content.DataMessage is { } data)
        {
            if (data.GroupUpdateMessage is not null) return MessageKind.GroupUpdate;
            if (data.Flags != 0)
                // Any flag other than the timer-update bit makes desktop reject the message.
                return (data.Flags & ExpirationTimerUpdateFlag) != 0 ? MessageKind.ExpirationTimerUpdate : MessageKind.Unknown;
            bool visible = data.Body.Length > 0 || data.Attachments.Count > 0 || data.Quote is not null
                || data.Preview.Count > 0 || data.OpenGroupInvitation is not null || data.Reaction is not null;
            return visible ? MessageKind.VisibleMessage : MessageKind.Unknown;
        }
        if (content.ReceiptMessage is { Type: ReceiptMessage.Types.Type.Read }) return MessageKind.ReadReceipt;
        if (content.TypingMessage is not null) return MessageKind.TypingIndicator;
        if (content.UnsendRequest is not null) return MessageKind.UnsendRequest;
        if (content.MessageRequestResponse is not null) return MessageKind.MessageRequestResponse;
        if (content.DataExtractionNotification is not null) return MessageKind.DataExtractionNotification;
        if (content.CallMessage is not null) return MessageKind.Call;
        return MessageKind.Unknown;
    }
}
