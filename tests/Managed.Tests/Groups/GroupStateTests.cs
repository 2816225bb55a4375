using NUnit.Framework;
using SessionInterop.Config.Groups;
using SessionInterop.Crypto;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Tests.Groups;

/// <summary>GroupState over an in-memory swarm: restarts (dump and reload) on both sides mid-flow.</summary>
public sealed class GroupStateTests
{
    /// <summary>One group swarm: namespace → stored (hash, data, storage time), read after a per-reader cursor.</summary>
    private sealed class MemorySwarm
    {
        private readonly Dictionary<int, List<(string, byte[], long)>> _ns = [];
        private long _clock = 1_700_000_000_000;
        public long Now => _clock += 1000;

        public void Store(GroupState from, IEnumerable<GroupStore> stores)
        {
            foreach (GroupStore s in stores)
            {
                string hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData([.. s.Data, .. BitConverter.GetBytes(Now)]))[..43];
                (_ns.TryGetValue(s.Namespace, out var l) ? l : _ns[s.Namespace] = []).Add((hash, s.Data, Now));
                from.Confirm(s, hash);
            }
        }

        public List<GroupEvent> Poll(GroupState state, Dictionary<int, int> cursor)
        {
            var polled = new Dictionary<int, IReadOnlyList<(string, byte[], long)>>();
            foreach (int ns in GroupState.PollNamespaces)
            {
                var all = _ns.TryGetValue(ns, out var l) ? l : [];
                cursor.TryGetValue(ns, out int from);
                polled[ns] = all.Skip(from).ToList();
                cursor[ns] = all.Count;
            }
            return state.ApplyPoll(polled, Now);
        }
    }

    [Test]
    public void Admin_and_member_resume_after_a_restart_without_losing_keys_or_repeating_anything()
    {
        var swarm = new MemorySwarm();
        using Identity alice = Identity.Generate(), bob = Identity.Generate();
        var aliceCursor = new Dictionary<int, int>();
        var bobCursor = new Dictionary<int, int>();

        (GroupState a, GroupOutbound created) = GroupState.Create(alice, "Alice", "party", [(bob.SessionId, "Bob")], swarm.Now);
        swarm.Store(a, created.Stores);
        var (_, content, ts) = created.Direct.Single();
        Assert.That(GroupUpdates.VerifyInvite(content.DataMessage.GroupUpdateMessage.InviteMessage, bob, ts, out SessionId gid), Is.True);
        GroupState b = GroupState.FromInvite(bob, gid, content.DataMessage.GroupUpdateMessage.InviteMessage.MemberAuthData.ToByteArray());
        swarm.Poll(b, bobCursor);
        swarm.Store(b, [b.Message(Messages.Text("before restart"), swarm.Now)]);
        Assert.That(swarm.Poll(a, aliceCursor).OfType<GroupMessageEvent>().Select(e => e.Message.Content.DataMessage.Body), Is.EqualTo(new[] { "before restart" }));

        // Both restart.
        byte[] aliceDump = a.Dump(), bobDump = b.Dump();
        a.Dispose();
        b.Dispose();
        using GroupState a2 = GroupState.Load(alice, aliceDump);
        GroupState b2 = GroupState.Load(bob, bobDump);
        Assert.That(a2.IsAdmin, Is.True);
        Assert.That(b2.IsAdmin, Is.False);
        Assert.That(b2.Name, Is.EqualTo("party"));
        Assert.That(b2.Keys.EncryptionKey, Is.EqualTo(a2.Keys.EncryptionKey));

        swarm.Store(b2, [b2.Message(Messages.Text("after restart"), swarm.Now)]);
        Assert.That(swarm.Poll(a2, aliceCursor).OfType<GroupMessageEvent>().Select(e => e.Message.Content.DataMessage.Body), Is.EqualTo(new[] { "after restart" }));

        // The reloaded admin can still rekey and sign: remove Bob.
        swarm.Store(a2, a2.Remove([bob.SessionId], swarm.Now).Stores);
        Assert.That(swarm.Poll(b2, bobCursor).OfType<GroupKicked>(), Has.Exactly(1).Items);
        GroupState b3 = GroupState.Load(bob, b2.Dump());
        Assert.That(b3.Kicked, Is.True, "the removal survives a restart");
        Assert.That(swarm.Poll(b3, bobCursor).OfType<GroupKicked>(), Is.Empty, "and is reported once");
        swarm.Store(a2, [a2.Message(Messages.Text("bob is out"), swarm.Now)]);
        Assert.That(swarm.Poll(b3, bobCursor).OfType<GroupMessageEvent>(), Is.Empty, "the new key never reached Bob");
    }

    [Test]
    public void A_dump_whose_admin_seed_is_not_the_groups_is_refused()
    {
        using Identity alice = Identity.Generate();
        (GroupState a, _) = GroupState.Create(alice, "Alice", "party", [], 1_700_000_000_000);
        var d = SessionInterop.Config.Bt.DecodeDict(a.Dump());
        d[SessionInterop.Config.Bt.K("K")] = new byte[32];
        Assert.Throws<SessionException>(() => GroupState.Load(alice, SessionInterop.Config.Bt.Encode(d)));
        Assert.Throws<SessionException>(() => GroupState.Load(alice, "de"u8.ToArray()));
        a.Dispose();
    }
}
