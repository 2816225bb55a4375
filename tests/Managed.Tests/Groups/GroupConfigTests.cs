using NUnit.Framework;
using SessionInterop.Config;
using SessionInterop.Config.Groups;
using SessionInterop.Crypto;

namespace SessionInterop.Tests.Groups;

/// <summary>
/// Group Info and Members configs, following libsession's tests/test_group_info.cpp ("Group Info
/// settings", "Verify-only Group Info") and tests/test_group_members.cpp ("Group Members"),
/// including their official push sizes (protocol-groups.md §8.1: 256, 512 and 768 bytes).
/// </summary>
public sealed class GroupConfigTests
{
    private const long Now = 1_700_000_000_000;
    private static readonly byte[] Seed = Convert.FromHexString("0123456789abcdef0123456789abcdeffedcba9876543210fedcba9876543210");
    private static byte[] Fill(byte b) => Enumerable.Repeat(b, 32).ToArray();

    private static (string, byte[])[] One(string hash, ConfigPush push) => [(hash, push.Messages.Single())];

    [Test]
    public void Group_info_settings_match_libsession()
    {
        using Identity group = Identity.FromSeed(Seed);
        Assert.That(Convert.ToHexStringLower(group.Ed25519PublicKey), Is.EqualTo("cbd569f56fb13ea95a3f0c05c331cc24139c0090feb412069dc49fab34406ece"));
        var keys1 = new List<byte[]> { Fill(0xaa) };
        var keys2 = new List<byte[]> { Fill(0xbb), Fill(0xaa), Fill(0xcc), Fill(0xdd) };
        var info1 = new GroupInfoConfig(() => keys1, group, group.Ed25519PublicKey);
        var info2 = new GroupInfoConfig(() => keys2, group, group.Ed25519PublicKey);

        info1.SetName("GROUP Name");
        Assert.That(info1.NeedsPush && info1.NeedsDump, Is.True);
        ConfigPush p1 = info1.Push(Now);
        Assert.That(p1.Seqno, Is.EqualTo(1));
        Assert.That(p1.Messages.Single(), Has.Length.EqualTo(256), "official first push size");
        Assert.That(p1.Obsolete, Is.Empty);
        info1.ConfirmPushed(p1.Seqno, ["fakehash1"]);
        Assert.That(info1.NeedsPush, Is.False);

        Assert.That(info2.Merge(One("fakehash1", p1), Now), Is.EquivalentTo(new[] { "fakehash1" }));
        Assert.That(info2.NeedsPush, Is.False);
        Assert.That(info2.Name, Is.EqualTo("GROUP Name"));

        const long created = 1682529839;
        info2.SetPicture(new ProfilePicture("http://example.com/12345", Convert.FromHexString("abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd")));
        info2.ExpirySeconds = 3600;
        info2.CreatedSeconds = created;
        info2.DeleteBeforeSeconds = created + 50 * 86400;
        info2.DeleteAttachmentsBeforeSeconds = created + 70 * 86400;
        info2.Destroy();
        ConfigPush p2 = info2.Push(Now);
        Assert.That(p2.Seqno, Is.EqualTo(2));
        Assert.That(p2.Messages.Single(), Has.Length.EqualTo(512), "official second push size");
        Assert.That(p2.Obsolete, Is.EqualTo(new[] { "fakehash1" }));
        info2.ConfirmPushed(p2.Seqno, ["fakehash2"]);

        info1.SetName("Better name!");
        Assert.That(info1.Merge(One("fakehash2", p2), Now), Is.Empty, "encrypted with bbb…, which info1 does not have yet");
        keys1.Insert(0, Fill(0xbb));
        keys1.Add(Fill(0xcc));
        Assert.That(info1.Merge(One("fakehash2", p2), Now), Is.EquivalentTo(new[] { "fakehash2" }));
        Assert.That(info1.NeedsPush, Is.True);
        ConfigPush p3 = info1.Push(Now);
        info1.ConfirmPushed(p3.Seqno, ["fakehash3"]);
        Assert.That(info2.Merge(One("fakehash3", p3), Now), Is.EquivalentTo(new[] { "fakehash3" }));
        foreach (GroupInfoConfig g in new[] { info1, info2 })
        {
            Assert.That(g.Name, Is.EqualTo("Better name!"));
            Assert.That(g.Picture!.Url, Is.EqualTo("http://example.com/12345"));
            Assert.That(g.ExpirySeconds, Is.EqualTo(3600));
            Assert.That(g.CreatedSeconds, Is.EqualTo(created));
            Assert.That(g.DeleteBeforeSeconds, Is.EqualTo(created + 50 * 86400));
            Assert.That(g.DeleteAttachmentsBeforeSeconds, Is.EqualTo(created + 70 * 86400));
            Assert.That(g.IsDestroyed, Is.True);
        }
        info1.SetName(new string('1', 90) + "1234567890A");
        Assert.That(info1.Name, Has.Length.EqualTo(100));
    }

    [Test]
    public void A_verify_only_info_cannot_change_and_rejects_configs_signed_by_another_key()
    {
        using Identity group = Identity.FromSeed(Seed);
        byte[] badSeed = (byte[])Seed.Clone();
        badSeed[0] = 0x00; badSeed[1] = 0x23;
        using Identity bad = Identity.FromSeed(badSeed);
        var keys = new List<byte[]> { Fill(0xaa) };
        var readOnly = new GroupInfoConfig(() => keys, null, group.Ed25519PublicKey);
        Assert.That(readOnly.ReadOnly, Is.True);
        Assert.Throws<SessionException>(() => readOnly.SetName("Super Group!"));
        Assert.That(readOnly.NeedsPush, Is.False);

        var rw = new GroupInfoConfig(() => keys, group, group.Ed25519PublicKey);
        rw.SetName("Super Group!!");
        ConfigPush p = rw.Push(Now);
        rw.ConfirmPushed(p.Seqno, ["fakehash1"]);
        Assert.That(readOnly.Merge(One("fakehash1", p), Now), Is.EquivalentTo(new[] { "fakehash1" }));
        Assert.That(readOnly.Name, Is.EqualTo("Super Group!!"));
        Assert.That(readOnly.NeedsPush, Is.False);
        Assert.DoesNotThrow(() => readOnly.SetName("Super Group!!"), "re-setting the same value changes nothing");

        var forger = new GroupInfoConfig(() => keys, bad, group.Ed25519PublicKey);
        forger.SetName("Bad name, BAD!");
        ConfigPush forged = forger.Push(Now);
        Assert.That(readOnly.Merge(One("badhash1", forged), Now), Is.Empty);
        Assert.That(readOnly.Name, Is.EqualTo("Super Group!!"));

        // Two admins with competing edits converge on the same bytes.
        var rw2 = new GroupInfoConfig(() => keys, group, group.Ed25519PublicKey);
        rw2.Merge(One("fakehash1", p), Now);
        rw2.SetName("Super Group 2");
        rw2.CreatedSeconds = 12345;
        rw.SetName("Super Group 3");
        rw.ExpirySeconds = 365 * 24 * 3600;
        ConfigPush a = rw2.Push(Now), b = rw.Push(Now);
        (string, byte[])[] both = [("fakehash2", a.Messages.Single()), ("fakehash3", b.Messages.Single())];
        Assert.That(readOnly.Merge(both, Now), Is.EquivalentTo(new[] { "fakehash2", "fakehash3" }));
        rw.Merge(both, Now);
        rw2.Merge(both, Now);
        ConfigPush m1 = rw.Push(Now), m2 = rw2.Push(Now);
        Assert.That(m1.Seqno, Is.EqualTo(m2.Seqno));
        Assert.That(m1.Messages.Single(), Is.EqualTo(m2.Messages.Single()));
        rw.ConfirmPushed(m1.Seqno, ["fakehash23"]);
        Assert.That(readOnly.Merge(One("fakehash23", m1), Now), Is.EquivalentTo(new[] { "fakehash23" }));
        Assert.That(readOnly.Name, Is.EqualTo("Super Group 2"));
        Assert.That(readOnly.CreatedSeconds, Is.EqualTo(12345));
        Assert.That(readOnly.ExpirySeconds, Is.EqualTo(365 * 24 * 3600));

        var reloaded = new GroupInfoConfig(() => keys, null, group.Ed25519PublicKey, readOnly.Dump());
        Assert.That(reloaded.Name, Is.EqualTo("Super Group 2"));
    }

    /// <summary>
    /// A member reads the admin's Info again from another swarm member (each member has its own
    /// cursor), then the rename. Regression: the member's own copy was re-encoded unsigned, so the
    /// same version looked like a conflicting one: the member "merged" to seqno 2 and the admin's
    /// rename (also seqno 2) lost the merge — the member never saw it.
    /// </summary>
    [Test]
    public void A_member_reading_the_same_version_twice_stays_on_it_and_then_sees_the_rename()
    {
        using Identity group = Identity.FromSeed(Seed);
        var keys = new List<byte[]> { Fill(0xaa) };
        var admin = new GroupInfoConfig(() => keys, group, group.Ed25519PublicKey);
        var member = new GroupInfoConfig(() => keys, null, group.Ed25519PublicKey);
        admin.SetName("guild");
        ConfigPush first = admin.Push(Now);
        admin.ConfirmPushed(first.Seqno, ["hash1"]);

        member.Merge(One("hash1", first), Now);
        member.Merge(One("hash1", first), Now);   // the same copy from a second swarm member
        member = new GroupInfoConfig(() => keys, null, group.Ed25519PublicKey, member.Dump());   // and across a restart
        member.Merge(One("hash1", first), Now);
        Assert.That((member.Seqno, member.State), Is.EqualTo((1L, ConfigState.Clean)));

        admin.SetName("guild of two");
        ConfigPush rename = admin.Push(Now);
        Assert.That(member.Merge(One("hash2", rename), Now), Is.EquivalentTo(new[] { "hash2" }));
        Assert.That((member.Name, member.Seqno, member.State), Is.EqualTo(("guild of two", 2L, ConfigState.Clean)));
    }

    private static SessionId Sid(int i)
    {
        var b = Enumerable.Repeat((byte)i, 33).ToArray();
        b[0] = 0x05;
        return SessionId.FromBytes(b);
    }

    [Test]
    public void Group_members_match_libsession()
    {
        using Identity group = Identity.FromSeed(Seed);
        var keys1 = new List<byte[]> { Fill(0xaa) };
        var keys2 = new List<byte[]> { Fill(0xbb), Fill(0xaa), Fill(0xcc), Fill(0xdd) };
        var mem1 = new GroupMembersConfig(() => keys1, group, group.Ed25519PublicKey);
        var mem2 = new GroupMembersConfig(() => keys2, group, group.Ed25519PublicKey);
        byte[] picKey = Convert.FromHexString("abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd");
        for (int i = 0; i < 10; i++)
            mem1.Set(mem1.GetOrConstruct(Sid(i)) with { Admin = true, Promotion = MemberStatus.None, Name = $"Admin {i}", Picture = new ProfilePicture($"http://example.com/{i}", picKey) });
        for (int i = 10; i < 20; i++)
            mem1.Set(mem1.GetOrConstruct(Sid(i)) with { Name = $"Member {i}", Picture = new ProfilePicture($"http://example.com/{i}", picKey) });
        for (int i = 20; i < 25; i++)
            mem1.Set(mem1.GetOrConstruct(Sid(i)));

        ConfigPush p1 = mem1.Push(Now);
        Assert.That(p1.Messages, Has.Count.EqualTo(1));
        Assert.That(p1.Messages[0], Has.Length.EqualTo(768), "official first push size");
        mem1.ConfirmPushed(p1.Seqno, ["fakehash1"]);
        Assert.That(mem2.Merge(One("fakehash1", p1), Now), Is.EquivalentTo(new[] { "fakehash1" }));

        IReadOnlyList<GroupMember> all = mem2.All();
        Assert.That(all.Select(m => m.SessionId), Is.EqualTo(Enumerable.Range(0, 25).Select(Sid)));
        foreach (var (m, i) in all.Select((m, i) => (m, i)))
        {
            Assert.That(m.Admin, Is.EqualTo(i < 10));
            Assert.That(m.Invite, Is.EqualTo(i < 10 ? MemberStatus.None : MemberStatus.NotSent));
            Assert.That(m.Name, Is.EqualTo(i < 10 ? $"Admin {i}" : i < 20 ? $"Member {i}" : ""));
            Assert.That(m.Picture is null, Is.EqualTo(i >= 20));
            Assert.That(m.Supplement, Is.False);
        }

        for (int i = 22; i < 50; i++) mem2.Set(mem2.GetOrConstruct(Sid(i)) with { Name = $"Member {i}" });
        for (int i = 50; i < 55; i++) mem2.Set(mem2.GetOrConstruct(Sid(i)) with { Invite = MemberStatus.Sent, Supplement = i % 2 == 1 });
        for (int i = 55; i < 58; i++) mem2.Set(mem2.GetOrConstruct(Sid(i)) with { Invite = MemberStatus.Failed, Supplement = i % 2 == 1 });
        for (int i = 58; i < 62; i++) mem2.Set(mem2.GetOrConstruct(Sid(i)) with { Admin = true, Invite = MemberStatus.None, Promotion = i >= 60 ? MemberStatus.Failed : MemberStatus.Sent });
        for (int i = 62; i < 66; i++) { mem2.Set(mem2.GetOrConstruct(Sid(i))); mem2.SetRemoved(Sid(i), withMessages: i >= 64); }
        ConfigPush p2 = mem2.Push(Now);
        mem2.ConfirmPushed(p2.Seqno, ["fakehash2"]);
        (string, byte[])[] both = [("fakehash1", p1.Messages[0]), ("fakehash2", p2.Messages[0])];
        Assert.That(mem1.Merge(both, Now), Is.EquivalentTo(new[] { "fakehash1" }), "bbb… not known yet");
        keys1.Insert(0, Fill(0xbb));
        Assert.That(mem1.Merge(both, Now), Is.EquivalentTo(new[] { "fakehash1", "fakehash2" }));

        foreach (var (m, i) in mem1.All().Select((m, i) => (m, i)))
        {
            Assert.That(m.SessionId, Is.EqualTo(Sid(i)));
            Assert.That(m.Admin, Is.EqualTo(i < 10 || i is >= 58 and < 62), $"admin {i}");
            Assert.That(m.Name, Is.EqualTo(i is 20 or 21 or >= 50 ? "" : $"{(i < 10 ? "Admin" : "Member")} {i}"), $"name {i}");
            if (i is >= 50 and < 55) Assert.That(m.Invite, Is.EqualTo(MemberStatus.Sent));
            if (i is >= 55 and < 58) Assert.That(m.Invite, Is.EqualTo(MemberStatus.Failed));
            if (i is >= 58 and < 60) Assert.That(m.Promotion, Is.EqualTo(MemberStatus.Sent));
            if (i is >= 60 and < 62) Assert.That(m.Promotion, Is.EqualTo(MemberStatus.Failed));
            if (i is >= 62 and < 64) Assert.That(m.Removed, Is.EqualTo(1));
            if (i is >= 64 and < 66) Assert.That(m.Removed, Is.EqualTo(2));
            Assert.That(m.Supplement, Is.EqualTo(i % 2 == 1 && i is > 50 and < 58), $"supplement {i}");
        }

        mem1.SetInviteAccepted(Sid(51));
        Assert.That(mem1.Get(Sid(51))!.Invite, Is.EqualTo(MemberStatus.None));
        Assert.That(mem1.Get(Sid(51))!.Supplement, Is.False);
        mem1.SetPromotionAccepted(Sid(58));
        Assert.That(mem1.Get(Sid(58))!.Promotion, Is.EqualTo(MemberStatus.None));
        Assert.That(mem1.Erase(Sid(2)), Is.True);
        ConfigPush p3 = mem1.Push(Now);
        Assert.That(mem2.Merge(One("fakehash3", p3), Now), Is.EquivalentTo(new[] { "fakehash3" }));
        Assert.That(mem2.Get(Sid(2)), Is.Null);
        Assert.That(mem2.Get(Sid(51))!.Invite, Is.EqualTo(MemberStatus.None));
        Assert.That(mem2.Get(Sid(58))!.Promotion, Is.EqualTo(MemberStatus.None));
        Assert.That(mem2.All(), Has.Count.EqualTo(65));
    }
}
