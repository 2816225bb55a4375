using System.Text;
using System.Text.Json.Nodes;
using SessionInterop.Config;
using SessionInterop.Config.Groups;
using SessionInterop.Crypto;
using SessionInterop.Crypto.Groups;
using SessionInterop.LocalNet.Tests.Support;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using ClientRpc = SessionInterop.Network.Client.StorageRpc;

namespace SessionInterop.LocalNet.Tests;

// A closed group's swarm end to end at the protocol level (protocol-groups.md §2-§6): the admin
// writes keys/info/members with the group key, a member reads and writes with the subaccount auth
// the admin derived for it (libsession's derivation, as the official vectors check), and after the
// admin's removal (kicked notice, revoke, rekey) the member is refused everywhere but namespace -11.
[TestFixture]
internal sealed class GroupSwarmTests : LocalNetFixture
{
    private const long Ttl = 30L * 24 * 3600 * 1000;

    private sealed record Stored(string Hash, byte[] Data, long TimestampMs);

    private async Task<(int Status, string Body)> Call(string groupId, byte[] request)
    {
        (int status, string body, _) = await RpcAsync(SwarmNode(groupId), Encoding.UTF8.GetString(request));
        return (status, body);
    }

    private async Task<string> Store(string groupId, byte[] request)
    {
        (int status, string body) = await Call(groupId, request);
        Assert.That(status, Is.EqualTo(200), body);
        return Json(body)["hash"]!.GetValue<string>();
    }

    private async Task<List<Stored>> Retrieve(string groupId, byte[] request)
    {
        (int status, string body) = await Call(groupId, request);
        Assert.That(status, Is.EqualTo(200), body);
        return ((JsonArray)Json(body)["messages"]!).Select(m => new Stored(m!["hash"]!.GetValue<string>(),
            Convert.FromBase64String(m["data"]!.GetValue<string>()), m["timestamp"]!.GetValue<long>())).ToList();
    }

    private static SessionId[] Sorted(params Identity[] people) =>
        people.Select(p => p.SessionId).OrderBy(s => s.ToString(), StringComparer.Ordinal).ToArray();

    [Test]
    public async Task Admin_and_member_share_a_group_swarm_until_the_member_is_removed()
    {
        using Identity group = Identity.FromSeed(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using Identity admin = Identity.Generate(), member = Identity.Generate();
        string gid = SessionId.FromKey(SessionIdPrefix.Group, group.Ed25519PublicKey).ToString();
        byte[] gsk = group.Ed25519SecretKey.ToArray();
        long Now() => TestAccount.NowMs;

        // Admin: keys, info, members, the unrevoke desktop sends before every invite.
        var adminKeys = new GroupKeys(group.Ed25519PublicKey, group, admin);
        var adminInfo = new GroupInfoConfig(adminKeys, group.Ed25519PublicKey);
        var adminMembers = new GroupMembersConfig(adminKeys, group.Ed25519PublicKey);
        adminMembers.Set(new GroupMember(admin.SessionId) { Name = "admin", Admin = true });
        adminMembers.Set(adminMembers.GetOrConstruct(member.SessionId) with { Name = "member" });
        adminInfo.SetName("party");
        byte[] keyMessage = adminKeys.Rekey(adminMembers.All().Select(m => m.SessionId).ToList());
        string keyHash = await Store(gid, ClientRpc.Store(gid, 12, Convert.ToBase64String(keyMessage), Ttl, Now(), gsk));
        await Store(gid, ClientRpc.Store(gid, 13, Convert.ToBase64String(adminInfo.Push(Now()).Messages[0]), Ttl, Now(), gsk));
        await Store(gid, ClientRpc.Store(gid, 14, Convert.ToBase64String(adminMembers.Push(Now()).Messages[0]), Ttl, Now(), gsk));
        byte[] token = Subaccount.Token(group, member.SessionId);
        (int status, string body) = await Call(gid, ClientRpc.Revoke(gid, [token], revoke: false, Now(), gsk));
        Assert.That(status, Is.EqualTo(200), body);
        var auth = new MemberAuth(member, Subaccount.MakeAuth(group, member.SessionId));

        // Member: reads keys, info and members with its subaccount; decrypts them.
        var memberKeys = new GroupKeys(group.Ed25519PublicKey, null, member);
        var memberInfo = new GroupInfoConfig(memberKeys, group.Ed25519PublicKey);
        var memberMembers = new GroupMembersConfig(memberKeys, group.Ed25519PublicKey);
        foreach (Stored k in await Retrieve(gid, ClientRpc.RetrieveAsMember(gid, 12, null, Now(), auth)))
            Assert.That(memberKeys.Load(k.Hash, k.Data, k.TimestampMs), Is.True);
        memberInfo.Merge((await Retrieve(gid, ClientRpc.RetrieveAsMember(gid, 13, null, Now(), auth))).Select(s => (s.Hash, s.Data)), Now());
        memberMembers.Merge((await Retrieve(gid, ClientRpc.RetrieveAsMember(gid, 14, null, Now(), auth))).Select(s => (s.Hash, s.Data)), Now());
        Assert.That(memberInfo.Name, Is.EqualTo("party"));
        Assert.That(memberMembers.All().Select(m => m.Name), Is.EquivalentTo(new[] { "admin", "member" }));

        // Member writes a message; the admin reads it with the group key.
        byte[] wire = GroupMessages.Encrypt(member, SessionId.Parse(gid), memberKeys.EncryptionKey!, Messages.Text("hi all"), Now());
        await Store(gid, ClientRpc.StoreAsMember(gid, 11, Convert.ToBase64String(wire), 14L * 24 * 3600 * 1000, Now(), auth));
        foreach (Stored k in await Retrieve(gid, ClientRpc.Retrieve(gid, 12, null, Now(), gsk))) adminKeys.Load(k.Hash, k.Data, k.TimestampMs);
        Stored got = (await Retrieve(gid, ClientRpc.Retrieve(gid, 11, null, Now(), gsk))).Single();
        DecodedMessage decoded = GroupMessages.Decrypt(adminKeys.Keys(), SessionId.Parse(gid), got.Data);
        Assert.That(decoded.Sender, Is.EqualTo(member.SessionId));
        Assert.That(decoded.Content.DataMessage.Body, Is.EqualTo("hi all"));

        // A member's subaccount cannot revoke anyone (admin key only).
        byte[] memberRevoke = ClientRpc.Revoke(gid, [token], revoke: true, Now(), member.Ed25519SecretKey.ToArray());
        Assert.That(await Call(gid, memberRevoke), Is.EqualTo((401, "revoke_subaccount signature verification failed")));

        // Removal: kicked notice on -11, revoke, erase + rekey.
        await Store(gid, ClientRpc.Store(gid, -11, Convert.ToBase64String(KickedNotice.Build(group, [member.SessionId], adminKeys.CurrentGeneration)), Ttl, Now(), gsk));
        (status, body) = await Call(gid, ClientRpc.Revoke(gid, [token], revoke: true, Now(), gsk));
        Assert.That(status, Is.EqualTo(200), body);
        adminMembers.Erase(member.SessionId);
        await Store(gid, ClientRpc.Store(gid, 12, Convert.ToBase64String(adminKeys.Rekey(adminMembers.All().Select(m => m.SessionId).ToList())), Ttl, Now(), gsk));

        Assert.That(await Call(gid, ClientRpc.RetrieveAsMember(gid, 12, keyHash, Now(), auth)), Is.EqualTo((401, "retrieve signature verification failed")));
        Assert.That(await Call(gid, ClientRpc.StoreAsMember(gid, 11, Convert.ToBase64String(wire), Ttl, Now(), auth)), Is.EqualTo((401, "store signature verification failed")));
        List<Stored> notices = await Retrieve(gid, ClientRpc.RetrieveAsMember(gid, -11, null, Now(), auth));
        Assert.That(notices.Any(n => KickedNotice.RemovesMe(n.Data, member, group.Ed25519PublicKey, memberKeys.CurrentGeneration)), Is.True);
    }

    [Test]
    public async Task A_read_only_subaccount_may_retrieve_but_not_store()
    {
        using Identity group = Identity.FromSeed(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using Identity member = Identity.Generate();
        string gid = SessionId.FromKey(SessionIdPrefix.Group, group.Ed25519PublicKey).ToString();
        var readOnly = new MemberAuth(member, Subaccount.MakeAuth(group, member.SessionId, SubaccountFlags.Read));
        Assert.That((await Call(gid, ClientRpc.RetrieveAsMember(gid, 11, null, TestAccount.NowMs, readOnly))).Status, Is.EqualTo(200));
        Assert.That(await Call(gid, ClientRpc.StoreAsMember(gid, 11, B64("x"), 60_000, TestAccount.NowMs, readOnly)),
            Is.EqualTo((401, "store signature verification failed")));
        using Identity stranger = Identity.Generate();
        using Identity otherGroup = Identity.FromSeed(new byte[32]);
        var forged = new MemberAuth(stranger, Subaccount.MakeAuth(otherGroup, stranger.SessionId));
        Assert.That((await Call(gid, ClientRpc.RetrieveAsMember(gid, 11, null, TestAccount.NowMs, forged))).Status, Is.EqualTo(401));
    }
}
