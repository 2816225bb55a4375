using System.Text;
using System.Text.Json.Nodes;
using SessionInterop.Config.Groups;
using SessionInterop.Crypto;
using SessionInterop.LocalNet.Tests.Support;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;
using ClientRpc = SessionInterop.Network.Client.StorageRpc;

namespace SessionInterop.LocalNet.Tests;

// Three parties form a closed group over LocalNet with GroupState (protocol-groups.md §6): create +
// invite, accept, talk, remove with rekey (the others keep talking, the removed member reads
// nothing new), rename and promotion reaching every member. The 1:1 invite/promote messages are
// handed over in process (that path is the ordinary 1:1 send, tested elsewhere).
[TestFixture]
internal sealed class GroupFlowTests : LocalNetFixture
{
    private sealed class Party(Identity me) : IDisposable
    {
        public Identity Me { get; } = me;
        public GroupState? State;
        public readonly Dictionary<int, string?> LastHash = [];
        public readonly List<GroupEvent> Events = [];
        public void Dispose() { State?.Dispose(); Me.Dispose(); }
    }

    private static long Now => TestAccount.NowMs;

    private async Task<(int Status, string Body)> Call(string gid, byte[] request)
    {
        (int status, string body, _) = await RpcAsync(SwarmNode(gid), Encoding.UTF8.GetString(request));
        return (status, body);
    }

    private async Task Send(Party p, GroupOutbound o)
    {
        string gid = p.State!.Id.ToString();
        byte[] gsk = p.State.Keys.Admin!.Ed25519SecretKey.ToArray();
        if (o.Unrevoke.Count > 0) Assert.That((await Call(gid, ClientRpc.Revoke(gid, o.Unrevoke, false, Now, gsk))).Status, Is.EqualTo(200));
        await Store(p, o.Stores);
        if (o.Revoke.Count > 0) Assert.That((await Call(gid, ClientRpc.Revoke(gid, o.Revoke, true, Now, gsk))).Status, Is.EqualTo(200));
    }

    private async Task Store(Party p, IEnumerable<GroupStore> stores)
    {
        string gid = p.State!.Id.ToString();
        foreach (GroupStore s in stores)
        {
            string data = Convert.ToBase64String(s.Data);
            byte[] request = p.State.IsAdmin
                ? ClientRpc.Store(gid, s.Namespace, data, s.TtlMs, Now, p.State.Keys.Admin!.Ed25519SecretKey)
                : ClientRpc.StoreAsMember(gid, s.Namespace, data, s.TtlMs, Now, new MemberAuth(p.Me, p.State.AuthData!));
            (int status, string body) = await Call(gid, request);
            Assert.That(status, Is.EqualTo(200), body);
            p.State.Confirm(s, Json(body)["hash"]!.GetValue<string>());
        }
    }

    /// <summary>One poll of the five namespaces; a refused namespace (401 after removal) gives nothing.</summary>
    private async Task<List<GroupEvent>> Poll(Party p)
    {
        string gid = p.State!.Id.ToString();
        var polled = new Dictionary<int, IReadOnlyList<(string, byte[], long)>>();
        foreach (int ns in GroupState.PollNamespaces)
        {
            p.LastHash.TryGetValue(ns, out string? last);
            byte[] request = p.State.IsAdmin
                ? ClientRpc.Retrieve(gid, ns, last, Now, p.State.Keys.Admin!.Ed25519SecretKey)
                : ClientRpc.RetrieveAsMember(gid, ns, last, Now, new MemberAuth(p.Me, p.State.AuthData!));
            (int status, string body) = await Call(gid, request);
            if (status == 401) continue;
            Assert.That(status, Is.EqualTo(200), body);
            var list = ((JsonArray)Json(body)["messages"]!).Select(m => (m!["hash"]!.GetValue<string>(),
                Convert.FromBase64String(m["data"]!.GetValue<string>()), m["timestamp"]!.GetValue<long>())).ToList();
            if (list.Count > 0) p.LastHash[ns] = list[^1].Item1;
            polled[ns] = list;
        }
        List<GroupEvent> events = p.State.ApplyPoll(polled, Now);
        p.Events.AddRange(events);
        return events;
    }

    private static void Deliver(Party to, Content content, long ts)
    {
        GroupUpdateMessage update = content.DataMessage.GroupUpdateMessage;
        if (update.InviteMessage is { } invite)
        {
            Assert.That(GroupUpdates.VerifyInvite(invite, to.Me, ts, out SessionId gid), Is.True);
            to.State = GroupState.FromInvite(to.Me, gid, invite.MemberAuthData.ToByteArray());
        }
        else if (update.PromoteMessage is { } promote) to.State!.ApplyPromotion(promote.GroupIdentitySeed.ToByteArray());
    }

    private static List<string> Texts(IEnumerable<GroupEvent> events) =>
        events.OfType<GroupMessageEvent>().Select(e => e.Message.Content.DataMessage.Body).ToList();

    [Test]
    public async Task Three_members_talk_then_one_is_removed_renamed_and_promoted()
    {
        using var alice = new Party(Identity.Generate());
        using var bob = new Party(Identity.Generate());
        using var carol = new Party(Identity.Generate());

        // Create and invite.
        (alice.State, GroupOutbound created) = GroupState.Create(alice.Me, "Alice", "guild",
            [(bob.Me.SessionId, "Bob"), (carol.Me.SessionId, "Carol")], Now);
        await Send(alice, created);
        Assert.That(created.Direct, Has.Count.EqualTo(2));
        foreach (var (to, content, ts) in created.Direct) Deliver(to == bob.Me.SessionId ? bob : carol, content, ts);

        // Accept: first poll gives the keys, then the inviteResponse.
        foreach (Party p in new[] { bob, carol })
        {
            List<GroupEvent> first = await Poll(p);
            Assert.That(p.State!.Name, Is.EqualTo("guild"));
            Assert.That(first.OfType<GroupMembersChanged>().Single().Type, Is.EqualTo(GroupUpdateMemberChangeMessage.Types.Type.Added));
            await Store(p, [p.State.AcceptResponse(Now)]);
        }
        await Poll(alice);
        Assert.That(alice.State.Members.All().Where(m => m.SessionId != alice.Me.SessionId).Select(m => m.Invite), Is.All.EqualTo(MemberStatus.None));
        await Send(alice, new GroupOutbound(alice.State.ConfigStores(Now), [], [], []));

        // Talk.
        await Store(bob, [bob.State!.Message(Messages.Text("hello from bob"), Now)]);
        List<GroupEvent> aliceSees = await Poll(alice);
        List<GroupEvent> carolSees = await Poll(carol);
        Assert.That(Texts(aliceSees), Is.EqualTo(new[] { "hello from bob" }));
        Assert.That(Texts(carolSees), Is.EqualTo(new[] { "hello from bob" }));
        Assert.That(carolSees.OfType<GroupMessageEvent>().Single().Message.Sender, Is.EqualTo(bob.Me.SessionId));

        // Remove Carol: she learns it from -11; Bob and Alice keep talking without her.
        await Send(alice, alice.State.Remove([carol.Me.SessionId], Now));
        List<GroupEvent> bobSees = await Poll(bob);
        Assert.That(bobSees.OfType<GroupMembersChanged>().Single().Members, Is.EqualTo(new[] { carol.Me.SessionId }));
        Assert.That((await Poll(carol)).OfType<GroupKicked>(), Has.Exactly(1).Items);
        Assert.That(carol.State!.Kicked, Is.True);

        await Store(bob, [bob.State.Message(Messages.Text("carol is gone"), Now)]);
        Assert.That(Texts(await Poll(alice)), Is.EqualTo(new[] { "carol is gone" }));
        Assert.That(Texts(await Poll(carol)), Is.Empty, "the removed member reads nothing new");
        // Even holding the ciphertext, Carol's keys do not open it.
        var all = (JsonArray)Json((await Call(alice.State.Id.ToString(), ClientRpc.Retrieve(alice.State.Id.ToString(), 11, null, Now, alice.State.Keys.Admin!.Ed25519SecretKey))).Body)["messages"]!;
        byte[] last = Convert.FromBase64String(all[^1]!["data"]!.GetValue<string>());
        Assert.Throws<SessionException>(() => GroupMessages.Decrypt(carol.State.Keys.Keys(), carol.State.Id, last));

        // Rename and promote reach Bob; as admin he renames again and Alice sees it.
        await Send(alice, alice.State.Rename("guild of two", Now));
        Assert.That((await Poll(bob)).OfType<GroupRenamed>().Single().Name, Is.EqualTo("guild of two"));
        GroupOutbound promoted = alice.State.Promote(bob.Me.SessionId, Now);
        await Send(alice, promoted);
        Deliver(bob, promoted.Direct.Single().Content, promoted.Direct.Single().TimestampMs);
        Assert.That(bob.State.IsAdmin, Is.True);
        List<GroupEvent> bobAfter = await Poll(bob);
        Assert.That(bobAfter.OfType<GroupMembersChanged>().Single().Type, Is.EqualTo(GroupUpdateMemberChangeMessage.Types.Type.Promoted));
        await Send(bob, new GroupOutbound(bob.State.ConfigStores(Now), [], [], []));
        await Send(bob, bob.State.Rename("bob's guild", Now));
        Assert.That((await Poll(alice)).OfType<GroupRenamed>().Select(r => r.Name), Is.EqualTo(new[] { "bob's guild" }));
        Assert.That(alice.State.Members.Get(bob.Me.SessionId)!.Admin, Is.True);
        Assert.That(alice.State.Members.Get(bob.Me.SessionId)!.Promotion, Is.EqualTo(MemberStatus.None), "Bob accepted his promotion");
        Assert.That(carol.Events.OfType<GroupRenamed>(), Is.Empty, "renames after the removal never reach Carol");
    }
}
