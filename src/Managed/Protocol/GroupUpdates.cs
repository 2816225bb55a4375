using System.Globalization;
using System.Text;
using Google.Protobuf;
using SessionInterop.Crypto;
using SessionInterop.Crypto.Groups;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Protocol;

/// <summary>
/// The GroupUpdateMessage control messages (DataMessage field 120, protocol-groups.md §6.1-6.2) and
/// their admin signatures: Ed25519 by the group key over an ASCII string ending in the message's
/// sent timestamp (= Envelope timestamp = sigTimestamp).
/// </summary>
internal static class GroupUpdates
{
    private static string Ts(long ms) => ms.ToString(CultureInfo.InvariantCulture);

    public static byte[] InviteSigned(SessionId invitee, long ts) => Encoding.ASCII.GetBytes("INVITE" + invitee + Ts(ts));
    public static byte[] InfoChangeSigned(GroupUpdateInfoChangeMessage.Types.Type type, long ts) => Encoding.ASCII.GetBytes("INFO_CHANGE" + (int)type + Ts(ts));
    public static byte[] MemberChangeSigned(GroupUpdateMemberChangeMessage.Types.Type type, long ts) => Encoding.ASCII.GetBytes("MEMBER_CHANGE" + (int)type + Ts(ts));
    public static byte[] DeleteContentSigned(long ts, IEnumerable<string> members, IEnumerable<string> hashes) =>
        Encoding.ASCII.GetBytes("DELETE_CONTENT" + Ts(ts) + string.Concat(members) + string.Concat(hashes));

    private static ByteString Sign(Identity group, byte[] message)
    {
        var sig = new byte[Primitives.SignatureBytes];
        Primitives.Sign(group.Ed25519SecretKey, message, sig);
        return ByteString.CopyFrom(sig);
    }

    private static Content Wrap(GroupUpdateMessage update) => new() { DataMessage = new DataMessage { GroupUpdateMessage = update } };

    /// <summary>The 1:1 invite: group id, name, the member's auth value and the admin's INVITE signature.</summary>
    public static Content Invite(Identity group, SessionId invitee, string name, long ts) => Wrap(new GroupUpdateMessage
    {
        InviteMessage = new GroupUpdateInviteMessage
        {
            GroupSessionId = SessionId.FromKey(SessionIdPrefix.Group, group.Ed25519PublicKey).ToString(),
            Name = name,
            MemberAuthData = ByteString.CopyFrom(Subaccount.MakeAuth(group, invitee)),
            AdminSignature = Sign(group, InviteSigned(invitee, ts)),
        },
    });

    /// <summary>Checks an invite addressed to <paramref name="me"/> (signature over our own id and the envelope time, §6.5).</summary>
    public static bool VerifyInvite(GroupUpdateInviteMessage invite, Identity me, long envelopeTs, out SessionId groupId)
    {
        groupId = default;
        if (!SessionId.TryParse(invite.GroupSessionId, out SessionId id) || id.Prefix != SessionIdPrefix.Group) return false;
        if (!Primitives.Verify(invite.AdminSignature.Span, InviteSigned(me.SessionId, envelopeTs), id.Key)) return false;
        if (!Subaccount.Verify(id.Key, me, invite.MemberAuthData.Span)) return false;
        groupId = id;
        return true;
    }

    public static Content InfoChange(Identity group, GroupUpdateInfoChangeMessage.Types.Type type, long ts, string? name = null, uint? expirySeconds = null)
    {
        var m = new GroupUpdateInfoChangeMessage { Type = type, AdminSignature = Sign(group, InfoChangeSigned(type, ts)) };
        if (name is not null) m.UpdatedName = name;
        if (expirySeconds is uint e) m.UpdatedExpiration = e;
        return Wrap(new GroupUpdateMessage { InfoChangeMessage = m });
    }

    public static bool VerifyInfoChange(GroupUpdateInfoChangeMessage m, SessionId groupId, long envelopeTs) =>
        Primitives.Verify(m.AdminSignature.Span, InfoChangeSigned(m.Type, envelopeTs), groupId.Key);

    public static Content MemberChange(Identity group, GroupUpdateMemberChangeMessage.Types.Type type, IEnumerable<SessionId> members, long ts, bool historyShared = false)
    {
        var m = new GroupUpdateMemberChangeMessage { Type = type, AdminSignature = Sign(group, MemberChangeSigned(type, ts)) };
        m.MemberSessionIds.AddRange(members.Select(x => x.ToString()));
        if (historyShared) m.HistoryShared = true;
        return Wrap(new GroupUpdateMessage { MemberChangeMessage = m });
    }

    public static bool VerifyMemberChange(GroupUpdateMemberChangeMessage m, SessionId groupId, long envelopeTs) =>
        Primitives.Verify(m.AdminSignature.Span, MemberChangeSigned(m.Type, envelopeTs), groupId.Key);

    /// <summary>Promotion: the group seed itself, sent 1:1 to the new admin only.</summary>
    public static Content Promote(Identity group, string name) => Wrap(new GroupUpdateMessage
    {
        PromoteMessage = new GroupUpdatePromoteMessage { GroupIdentitySeed = ByteString.CopyFrom(group.Seed), Name = name },
    });

    public static Content InviteResponse(bool approved) =>
        Wrap(new GroupUpdateMessage { InviteResponse = new GroupUpdateInviteResponseMessage { IsApproved = approved } });

    public static Content MemberLeft() => Wrap(new GroupUpdateMessage { MemberLeftMessage = new GroupUpdateMemberLeftMessage() });

    public static Content MemberLeftNotification() =>
        Wrap(new GroupUpdateMessage { MemberLeftNotificationMessage = new GroupUpdateMemberLeftNotificationMessage() });
}
