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

    /// <summary>
    /// Swarm members replicate asynchronously: the member Bob polls can hold messages sent after a
    /// rekey before the key message itself. They are kept (across a restart) and delivered once the
    /// key arrives — not dropped as undecryptable.
    /// </summary>
    [Test]
    public void Messages_that_arrive_before_their_key_are_delivered_when_it_comes()
    {
        var swarm = new MemorySwarm();
        using Identity alice = Identity.Generate(), bob = Identity.Generate(), carol = Identity.Generate();
        var bobCursor = new Dictionary<int, int>();
        (GroupState a, GroupOutbound created) = GroupState.Create(alice, "Alice", "party", [(bob.SessionId, "Bob"), (carol.SessionId, "Carol")], swarm.Now);
        swarm.Store(a, created.Stores);
        var invite = created.Direct.Single(d => d.To == bob.SessionId).Content.DataMessage.GroupUpdateMessage.InviteMessage;
        GroupState b = GroupState.FromInvite(bob, a.Id, invite.MemberAuthData.ToByteArray());
        swarm.Poll(b, bobCursor);

        IReadOnlyList<GroupStore> removal = a.Remove([carol.SessionId], swarm.Now).Stores;
        swarm.Store(a, removal.Where(s => s.Namespace != 12));   // the key message is not at Bob's swarm member yet
        swarm.Store(a, [a.Message(Messages.Text("after the rekey"), swarm.Now)]);
        Assert.That(swarm.Poll(b, bobCursor).OfType<GroupMessageEvent>(), Is.Empty);
        Assert.That(b.UnopenedCount, Is.EqualTo(2), "the removal announcement and the text wait for their key");

        GroupState b2 = GroupState.Load(bob, b.Dump());
        b.Dispose();
        Assert.That(b2.UnopenedCount, Is.EqualTo(2), "kept across a restart");
        swarm.Store(a, removal.Where(s => s.Namespace == 12));
        List<GroupEvent> events = swarm.Poll(b2, bobCursor);
        Assert.That(events.OfType<GroupMembersChanged>().Single().Members, Is.EqualTo(new[] { carol.SessionId }));
        Assert.That(events.OfType<GroupMessageEvent>().Select(e => e.Message.Content.DataMessage.Body), Is.EqualTo(new[] { "after the rekey" }));
        Assert.That(b2.UnopenedCount, Is.Zero);
        swarm.Store(a, [a.Message(Messages.Text("next"), swarm.Now)]);
        Assert.That(swarm.Poll(b2, bobCursor).OfType<GroupMessageEvent>().Select(e => e.Message.Content.DataMessage.Body), Is.EqualTo(new[] { "next" }),
            "nothing delivered twice");
        a.Dispose();
        b2.Dispose();
    }

    /// <summary>Messages no key will ever open (history from before joining, or junk) are bounded: the newest 64, at most a day old.</summary>
    [Test]
    public void Unopened_messages_are_bounded()
    {
        var swarm = new MemorySwarm();
        using Identity alice = Identity.Generate(), bob = Identity.Generate();
        (GroupState a, GroupOutbound created) = GroupState.Create(alice, "Alice", "party", [(bob.SessionId, "Bob")], swarm.Now);
        swarm.Store(a, created.Stores);
        GroupState b = GroupState.FromInvite(bob, a.Id, created.Direct.Single().Content.DataMessage.GroupUpdateMessage.InviteMessage.MemberAuthData.ToByteArray());
        var cursor = new Dictionary<int, int>();
        swarm.Poll(b, cursor);
        var junk = new byte[200];
        for (int i = 0; i < 100; i++)
        {
            System.Security.Cryptography.RandomNumberGenerator.Fill(junk);
            swarm.Store(a, [new GroupStore(11, (byte[])junk.Clone(), GroupState.MessageTtlMs)]);
        }
        swarm.Poll(b, cursor);
        Assert.That(b.UnopenedCount, Is.EqualTo(GroupState.UnopenedMax));
        b.ApplyPoll(new Dictionary<int, IReadOnlyList<(string, byte[], long)>>(), swarm.Now + GroupState.UnopenedKeepMs + 1);
        Assert.That(b.UnopenedCount, Is.Zero, "dropped after a day");
        a.Dispose();
        b.Dispose();
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
