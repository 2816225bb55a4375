using SessionInterop.Protocol.Protos;

namespace SessionInterop.Protocol;

/// <summary>
/// proto2 `required` checks, written out per message. Google.Protobuf's IsInitialized() walks
/// descriptors through reflection — slow on every decode and not something to lean on under
/// NativeAOT — and its parser does not check required fields at all, so we do it here.
/// Keep in step with SessionProtos.proto (a test cross-checks against IsInitialized()).
/// </summary>
internal static class RequiredFields
{
    public static bool Check(Envelope e) => e.HasType && e.HasTimestamp;

    public static bool Check(WebSocketMessage m) => true;   // no required fields anywhere inside

    public static bool Check(Content c) =>
        (c.DataMessage is null || Check(c.DataMessage))
        && (c.CallMessage is null || (c.CallMessage.HasType && c.CallMessage.HasUuid))
        && (c.ReceiptMessage is null || c.ReceiptMessage.HasType)
        && (c.TypingMessage is null || (c.TypingMessage.HasTimestamp && c.TypingMessage.HasAction))
        && (c.ConfigurationMessage is null || Check(c.ConfigurationMessage))
        && (c.DataExtractionNotification is null || c.DataExtractionNotification.HasType)
        && (c.UnsendRequest is null || (c.UnsendRequest.HasTimestamp && c.UnsendRequest.HasAuthor))
        && (c.MessageRequestResponse is null || c.MessageRequestResponse.HasIsApproved)
        && (c.SharedConfigMessage is null || (c.SharedConfigMessage.HasKind && c.SharedConfigMessage.HasSeqno && c.SharedConfigMessage.HasData));

    private static bool Check(DataMessage d) =>
        d.Attachments.All(Check)
        && (d.Quote is null || Check(d.Quote))
        && d.Preview.All(p => p.HasUrl && (p.Image is null || Check(p.Image)))
        && (d.Reaction is null || (d.Reaction.HasId && d.Reaction.HasAuthor && d.Reaction.HasAction))
        && (d.OpenGroupInvitation is null || (d.OpenGroupInvitation.HasUrl && d.OpenGroupInvitation.HasName))
        && (d.ClosedGroupControlMessage is null || Check(d.ClosedGroupControlMessage))
        && (d.GroupUpdateMessage is null || Check(d.GroupUpdateMessage));

    private static bool Check(AttachmentPointer a) => a.HasId;

    private static bool Check(DataMessage.Types.Quote q) =>
        q.HasId && q.HasAuthor && q.Attachments.All(a => a.Thumbnail is null || Check(a.Thumbnail));

    private static bool Check(DataMessage.Types.ClosedGroupControlMessage m) =>
        m.HasType
        && (m.EncryptionKeyPair is null || Check(m.EncryptionKeyPair))
        && m.Wrappers.All(w => w.HasPublicKey && w.HasEncryptedKeyPair);

    private static bool Check(KeyPair k) => k.HasPublicKey && k.HasPrivateKey;

    private static bool Check(ConfigurationMessage m) =>
        m.ClosedGroups.All(g => g.EncryptionKeyPair is null || Check(g.EncryptionKeyPair))
        && m.Contacts.All(c => c.HasPublicKey && c.HasName);

    private static bool Check(GroupUpdateMessage g) =>
        (g.InviteMessage is null || (g.InviteMessage.HasGroupSessionId && g.InviteMessage.HasName && g.InviteMessage.HasMemberAuthData && g.InviteMessage.HasAdminSignature))
        && (g.InfoChangeMessage is null || (g.InfoChangeMessage.HasType && g.InfoChangeMessage.HasAdminSignature))
        && (g.MemberChangeMessage is null || (g.MemberChangeMessage.HasType && g.MemberChangeMessage.HasAdminSignature))
        && (g.PromoteMessage is null || (g.PromoteMessage.HasGroupIdentitySeed && g.PromoteMessage.HasName))
        && (g.InviteResponse is null || g.InviteResponse.HasIsApproved);
}
