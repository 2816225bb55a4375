using System.Text;
using NUnit.Framework;
using SessionInterop.Crypto;
using SessionInterop.Crypto.Groups;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Tests.Groups;

/// <summary>Control messages and their admin signatures (protocol-groups.md §6.2), and the kicked notice (§6.8).</summary>
public sealed class GroupUpdatesTests
{
    private const long Ts = 1_740_000_000_000;

    [Test]
    public void Signed_strings_are_the_desktop_and_android_ones()
    {
        Assert.That(Encoding.ASCII.GetString(GroupUpdates.InfoChangeSigned(GroupUpdateInfoChangeMessage.Types.Type.Name, Ts)), Is.EqualTo("INFO_CHANGE11740000000000"));
        Assert.That(Encoding.ASCII.GetString(GroupUpdates.MemberChangeSigned(GroupUpdateMemberChangeMessage.Types.Type.Promoted, Ts)), Is.EqualTo("MEMBER_CHANGE31740000000000"));
        SessionId who = SessionId.Parse("05c5ba413c336f2fe1fb9a2c525f8a86a412a1db128a7841b4e0e217fa9eb7fd5e");
        Assert.That(Encoding.ASCII.GetString(GroupUpdates.InviteSigned(who, Ts)), Is.EqualTo("INVITE" + who + "1740000000000"));
        Assert.That(Encoding.ASCII.GetString(GroupUpdates.DeleteContentSigned(Ts, ["05aa", "05bb"], ["h1", "h2"])), Is.EqualTo("DELETE_CONTENT174000000000005aa05bbh1h2"));
    }

    [Test]
    public void An_invite_verifies_only_for_its_invitee_and_its_envelope_time()
    {
        using Identity group = Identity.FromSeed(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using Identity invitee = Identity.Generate(), other = Identity.Generate();
        Content c = GroupUpdates.Invite(group, invitee.SessionId, "party", Ts);
        GroupUpdateInviteMessage invite = c.DataMessage.GroupUpdateMessage.InviteMessage;
        Assert.That(invite.MemberAuthData.Length, Is.EqualTo(100));
        Assert.That(GroupUpdates.VerifyInvite(invite, invitee, Ts, out SessionId gid), Is.True);
        Assert.That(gid.ToString(), Is.EqualTo("03" + Convert.ToHexStringLower(group.Ed25519PublicKey)));
        Assert.That(GroupUpdates.VerifyInvite(invite, invitee, Ts + 1, out _), Is.False);
        Assert.That(GroupUpdates.VerifyInvite(invite, other, Ts, out _), Is.False);
        invite.GroupSessionId = "05" + invite.GroupSessionId[2..];
        Assert.That(GroupUpdates.VerifyInvite(invite, invitee, Ts, out _), Is.False);
    }

    [Test]
    public void Info_and_member_changes_verify_with_the_group_key_only()
    {
        using Identity group = Identity.FromSeed(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using Identity forger = Identity.FromSeed(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        SessionId gid = SessionId.FromKey(SessionIdPrefix.Group, group.Ed25519PublicKey);
        var info = GroupUpdates.InfoChange(group, GroupUpdateInfoChangeMessage.Types.Type.Name, Ts, name: "renamed").DataMessage.GroupUpdateMessage.InfoChangeMessage;
        Assert.That(GroupUpdates.VerifyInfoChange(info, gid, Ts), Is.True);
        Assert.That(GroupUpdates.VerifyInfoChange(info, gid, Ts + 1), Is.False);
        var forged = GroupUpdates.InfoChange(forger, GroupUpdateInfoChangeMessage.Types.Type.Name, Ts, name: "pwned").DataMessage.GroupUpdateMessage.InfoChangeMessage;
        Assert.That(GroupUpdates.VerifyInfoChange(forged, gid, Ts), Is.False);
        using Identity m = Identity.Generate();
        var change = GroupUpdates.MemberChange(group, GroupUpdateMemberChangeMessage.Types.Type.Removed, [m.SessionId], Ts).DataMessage.GroupUpdateMessage.MemberChangeMessage;
        Assert.That(GroupUpdates.VerifyMemberChange(change, gid, Ts), Is.True);
        change.Type = GroupUpdateMemberChangeMessage.Types.Type.Added;
        Assert.That(GroupUpdates.VerifyMemberChange(change, gid, Ts), Is.False, "the type is signed");
    }

    [Test]
    public void The_kicked_notice_reaches_exactly_the_removed_members()
    {
        using Identity group = Identity.FromSeed(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using Identity gone1 = Identity.Generate(), gone2 = Identity.Generate(), stays = Identity.Generate();
        byte[] notice = KickedNotice.Build(group, [gone1.SessionId, gone2.SessionId], generation: 4);
        Assert.That(KickedNotice.RemovesMe(notice, gone1, group.Ed25519PublicKey, currentGeneration: 4), Is.True);
        Assert.That(KickedNotice.RemovesMe(notice, gone2, group.Ed25519PublicKey, currentGeneration: 3), Is.True);
        Assert.That(KickedNotice.RemovesMe(notice, gone1, group.Ed25519PublicKey, currentGeneration: 5), Is.False, "an old notice from before a re-invite");
        Assert.That(KickedNotice.RemovesMe(notice, stays, group.Ed25519PublicKey, currentGeneration: 0), Is.False);
        using Identity otherGroup = Identity.FromSeed(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Assert.That(KickedNotice.RemovesMe(notice, gone1, otherGroup.Ed25519PublicKey, 0), Is.False, "only the group's own key may kick");
    }
}
