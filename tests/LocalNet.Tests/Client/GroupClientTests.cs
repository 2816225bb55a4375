using System.Text;
using Microsoft.Data.Sqlite;
using SessionInterop.Client;
using SessionInterop.LocalNet.Tests.Support;
using SessionInterop.State;

namespace SessionInterop.LocalNet.Tests.Client;

/// <summary>
/// Closed groups through SessionClient over LocalNet (issue 17): three clients form a group (invite
/// event, accept), talk, the admin removes one (the others keep talking, the removed one gets
/// nothing new and is told), a rename and a promotion reach every member, the new admin renames,
/// and a restart loses and repeats nothing.
/// </summary>
[NonParallelizable]
public sealed class GroupClientTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);
    private LocalNetwork _net = null!;
    private readonly List<string> _dirs = [];

    [OneTimeSetUp]
    public async Task StartNetwork() => _net = await LocalNetwork.StartAsync(new LocalNetOptions { Nodes = 6, SwarmSize = 2 });

    [OneTimeTearDown]
    public async Task StopNetwork() => await _net.DisposeAsync();

    /// <summary>Every client's Debug log and who is who, kept to explain a failure (the group flows are timing-dependent).</summary>
    private readonly List<CapturingLogs> _logs = [];
    private readonly List<string> _names = [];

    [TearDown]
    public void Cleanup()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            TestContext.Out.WriteLine(string.Join("\n", _names.Concat(_logs.SelectMany(l => l.Printed()).Order(StringComparer.Ordinal))));
        _logs.Clear();
        _names.Clear();
        SqliteConnection.ClearAllPools();
        foreach (string d in _dirs) Directory.Delete(d, recursive: true);
        _dirs.Clear();
    }

    private sealed class Member(SessionClient client, string dir) : IDisposable
    {
        public SessionClient Client = client;
        public readonly string Dir = dir;
        public readonly List<SessionEvent> Seen = [];
        public string Id => Client.SessionId;
        public void Dispose() => Client.Dispose();
    }

    private CapturingLogs Capture(string who)
    {
        var logs = new CapturingLogs(who);
        lock (_logs) _logs.Add(logs);
        return logs;
    }

    private Member Open(string? dir = null, byte[]? seed = null)
    {
        if (dir is null)
        {
            dir = Directory.CreateTempSubdirectory("session-group-").FullName;
            _dirs.Add(dir);
        }
        var client = SessionClient.Open(new SessionClientOptions
        {
            DataDirectory = dir,
            Seed = seed,
            SeedUrls = [_net.SeedUrl.ToString()],
            AcceptSelfSignedCertificates = true,
            MinPollInterval = TimeSpan.FromMilliseconds(200),
            MaxPollInterval = TimeSpan.FromSeconds(1),
            LoggerFactory = Capture(Path.GetFileName(dir)),
        });
        client.Start();
        return new Member(client, dir);
    }

    /// <summary>Polls events until one matches; returns it (every event polled is kept in Seen).</summary>
    private static SessionEvent Next(Member m, Func<SessionEvent, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + Within;
        int from = 0;
        while (true)
        {
            for (; from < m.Seen.Count; from++)
                if (match(m.Seen[from])) return m.Seen[from];
            if (DateTime.UtcNow > deadline) Assert.Fail($"not within {Within.TotalSeconds} s: {what}");
            m.Client.Wait(TimeSpan.FromMilliseconds(200));
            m.Seen.AddRange(m.Client.Poll(256));
        }
    }

    private static SessionEvent Update(Member m, string gid, GroupUpdateKind kind) =>
        Next(m, e => e.Type == EventType.GroupUpdate && e.Conversation == gid && e.Value == (long)kind, $"{kind} at {m.Id[..8]}");

    private static SessionEvent Message(Member m, string gid, string text) =>
        Next(m, e => e.Type == EventType.Message && e.Conversation == gid && Encoding.UTF8.GetString(e.Text) == text, $"'{text}' at {m.Id[..8]}");

    private static List<string> Texts(Member m, string gid) =>
        m.Seen.Where(e => e.Type == EventType.Message && e.Conversation == gid).Select(e => Encoding.UTF8.GetString(e.Text)).ToList();

    private static void Done(Member m, ulong request) =>
        Assert.That(Next(m, e => e.Type == EventType.RequestDone && e.RequestId == request, $"request {request}").Status, Is.EqualTo(SessionStatus.Ok));

    [Test]
    public void Three_clients_form_a_group_talk_remove_rename_promote_and_restart()
    {
        using Member alice = Open(), carol = Open();
        Member bob = Open();
        _names.Add($"alice = {Path.GetFileName(alice.Dir)}, bob = {Path.GetFileName(bob.Dir)}, carol = {Path.GetFileName(carol.Dir)}");
        try
        {
            string gid = alice.Client.CreateGroup("guild", [bob.Id, carol.Id]);
            Assert.That(gid, Does.StartWith("03").And.Length.EqualTo(66));

            // Invites: conversation = group, sender = inviter, text = name; nothing joined before accepting.
            foreach (Member m in new[] { bob, carol })
            {
                SessionEvent invite = Next(m, e => e.Type == EventType.GroupInvite, "invite");
                Assert.That((invite.Conversation, invite.Sender, Encoding.UTF8.GetString(invite.Text)), Is.EqualTo((gid, alice.Id, "guild")));
                Assert.Throws<SessionException>(() => m.Client.Send(gid, "too early"));
                m.Client.AcceptGroupInvite(gid);
                Update(m, gid, GroupUpdateKind.MembersAdded);   // the first poll gave the keys
            }
            // The admin learns both acceptances (invite status cleared in Members).
            var deadline = DateTime.UtcNow + Within;
            while (alice.Client.GroupMembers(gid).Any(x => x.Status != 0))
            {
                if (DateTime.UtcNow > deadline) Assert.Fail("acceptances did not reach the admin");
                Thread.Sleep(200);
            }
            Assert.That(alice.Client.GroupMembers(gid).Select(x => (x.SessionId, x.Admin)),
                Is.EquivalentTo(new[] { (alice.Id, true), (bob.Id, false), (carol.Id, false) }));

            // Talk.
            Done(bob, bob.Client.Send(gid, "hello from bob"));
            Assert.That(Message(alice, gid, "hello from bob").Sender, Is.EqualTo(bob.Id));
            Assert.That(Message(carol, gid, "hello from bob").Sender, Is.EqualTo(bob.Id));
            Done(alice, alice.Client.Send(gid, "hello from alice"));
            Message(bob, gid, "hello from alice");
            Message(carol, gid, "hello from alice");

            // Remove Carol: she is told; Bob and Alice keep talking; Carol gets nothing new.
            alice.Client.RemoveGroupMembers(gid, [carol.Id]);
            Update(carol, gid, GroupUpdateKind.Kicked);
            Assert.That(Update(bob, gid, GroupUpdateKind.MembersRemoved).Text, Is.EqualTo(Encoding.UTF8.GetBytes("removed: " + carol.Id)));
            Done(bob, bob.Client.Send(gid, "carol is gone"));
            Message(alice, gid, "carol is gone");
            Assert.Throws<SessionException>(() => carol.Client.Send(gid, "still here?"));

            // Rename and promotion reach Bob; as admin he renames again and Alice sees it.
            alice.Client.RenameGroup(gid, "guild of two");
            Assert.That(Encoding.UTF8.GetString(Update(bob, gid, GroupUpdateKind.Renamed).Text), Is.EqualTo("guild of two"));
            alice.Client.PromoteGroupAdmin(gid, bob.Id);
            Update(bob, gid, GroupUpdateKind.PromotedMe);
            Update(bob, gid, GroupUpdateKind.MembersPromoted);
            bob.Client.RenameGroup(gid, "bob's guild");
            Assert.That(Encoding.UTF8.GetString(Update(alice, gid, GroupUpdateKind.Renamed).Text), Is.EqualTo("bob's guild"));

            // Restart Bob: nothing lost, nothing repeated.
            List<string> before = Texts(bob, gid);
            Assert.That(before, Is.EqualTo(new[] { "hello from bob", "hello from alice", "carol is gone" }));
            string dir = bob.Dir;
            bob.Dispose();
            Done(alice, alice.Client.Send(gid, "while bob was away"));
            bob = Open(dir);
            Assert.That(bob.Client.GroupMembers(gid).Single(x => x.SessionId == bob.Id).Admin, Is.True);
            Message(bob, gid, "while bob was away");
            Done(alice, alice.Client.Send(gid, "after restart"));
            Message(bob, gid, "after restart");
            Assert.That(Texts(bob, gid), Is.EqualTo(new[] { "while bob was away", "after restart" }), "no repeats after the restart");
            Assert.That(bob.Seen.Count(e => e.Type == EventType.GroupUpdate), Is.Zero, "no update repeated after the restart");

            // Carol, removed, saw none of what followed her removal.
            carol.Seen.AddRange(carol.Client.Poll(256));
            Assert.That(Texts(carol, gid), Is.EqualTo(new[] { "hello from bob", "hello from alice" }));

            // A description, then the group deleted: both reach Bob; nothing can be sent afterwards.
            alice.Client.SetGroupDescription(gid, "a party of two");
            Assert.That(Encoding.UTF8.GetString(Update(bob, gid, GroupUpdateKind.DescriptionChanged).Text), Is.EqualTo("a party of two"));
            Assert.Throws<SessionException>(() => alice.Client.SetGroupDescription(gid, new string('x', 2001)));
            alice.Client.DeleteGroup(gid);
            Update(bob, gid, GroupUpdateKind.Destroyed);
            Assert.Throws<SessionException>(() => bob.Client.Send(gid, "anyone?"));
            Assert.Throws<SessionException>(() => alice.Client.RenameGroup(gid, "undead"));
        }
        finally { bob.Dispose(); }
    }

    /// <summary>
    /// A second device of the same account learns the group from the UserGroups config (the admin
    /// seed, or the member's auth value) and takes part: it reads and sends as its account.
    /// </summary>
    [Test]
    public void A_second_device_adopts_the_group_from_the_account_config()
    {
        byte[] aliceSeed = new byte[32], bobSeed = new byte[32];
        System.Security.Cryptography.RandomNumberGenerator.Fill(aliceSeed);
        System.Security.Cryptography.RandomNumberGenerator.Fill(bobSeed);
        using Member alice = Open(seed: aliceSeed), bob = Open(seed: bobSeed);
        _names.Add($"alice = {Path.GetFileName(alice.Dir)}, bob = {Path.GetFileName(bob.Dir)}");
        string gid = alice.Client.CreateGroup("two devices", [bob.Id]);
        Next(bob, e => e.Type == EventType.GroupInvite, "invite");
        bob.Client.AcceptGroupInvite(gid);
        Update(bob, gid, GroupUpdateKind.MembersAdded);

        using Member alice2 = Open(seed: aliceSeed), bob2 = Open(seed: bobSeed);
        _names.Add($"alice2 = {Path.GetFileName(alice2.Dir)}, bob2 = {Path.GetFileName(bob2.Dir)}");
        Done(bob, bob.Client.Send(gid, "to both of alice's devices"));
        Assert.That(Message(alice2, gid, "to both of alice's devices").Sender, Is.EqualTo(bob.Id));
        Assert.That(Message(bob2, gid, "to both of alice's devices").Outgoing, Is.True, "bob's own message, from his other device");
        Assert.That(alice2.Client.GroupMembers(gid).Single(m => m.SessionId == alice.Id).Admin, Is.True);

        Done(alice2, alice2.Client.Send(gid, "from alice's second device"));
        Assert.That(Message(bob, gid, "from alice's second device").Sender, Is.EqualTo(alice.Id));
        Message(bob2, gid, "from alice's second device");
        alice2.Client.RenameGroup(gid, "renamed on device two");
        Assert.That(Encoding.UTF8.GetString(Update(bob2, gid, GroupUpdateKind.Renamed).Text), Is.EqualTo("renamed on device two"));
    }
}
