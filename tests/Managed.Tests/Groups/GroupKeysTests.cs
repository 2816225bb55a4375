using System.Text;
using NUnit.Framework;
using SessionInterop.Config;
using SessionInterop.Config.Groups;
using SessionInterop.Crypto;
using SessionInterop.Protocol;

namespace SessionInterop.Tests.Groups;

/// <summary>The key life cycle of protocol-groups.md §3: rekey on removal, supplements, concurrent admins, expiry, dumps, forgeries.</summary>
public sealed class GroupKeysTests
{
    private const long T0 = 1_700_000_000_000;
    private static readonly Comparer<SessionId> ById = Comparer<SessionId>.Create((a, b) => string.CompareOrdinal(a.ToString(), b.ToString()));

    private static Identity NewGroup() => Identity.FromSeed(Primitives_Random(32));
    private static byte[] Primitives_Random(int n) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(n);
    private static SessionId[] Sorted(params Identity[] people) => people.Select(p => p.SessionId).Order(ById).ToArray();

    [Test]
    public void A_removed_member_cannot_read_what_is_sent_after_the_rekey()
    {
        using Identity group = NewGroup(), admin = Identity.Generate(), alice = Identity.Generate(), bob = Identity.Generate();
        var adminKeys = new GroupKeys(group.Ed25519PublicKey, group, admin);
        var aliceKeys = new GroupKeys(group.Ed25519PublicKey, null, alice);
        var bobKeys = new GroupKeys(group.Ed25519PublicKey, null, bob);

        byte[] gen0 = adminKeys.Rekey(Sorted(admin, alice, bob));
        foreach (GroupKeys k in new[] { adminKeys, aliceKeys, bobKeys }) Assert.That(k.Load("k0", gen0, T0), Is.True);
        byte[] before = GroupMessages.EncryptPayload(alice, group.Ed25519PublicKey, aliceKeys.EncryptionKey!, "before"u8.ToArray(), Primitives_Random(24), true);
        Assert.That(GroupMessages.DecryptPayload(bobKeys.Keys(), group.Ed25519PublicKey, before).Payload, Is.EqualTo("before"u8.ToArray()));

        byte[] gen1 = adminKeys.Rekey(Sorted(admin, alice));   // bob erased first
        Assert.That(adminKeys.EncryptionKey, Is.Not.EqualTo(aliceKeys.EncryptionKey), "the pending key encrypts at once");
        foreach (GroupKeys k in new[] { adminKeys, aliceKeys }) Assert.That(k.Load("k1", gen1, T0 + 1000), Is.True);
        Assert.That(bobKeys.Load("k1", gen1, T0 + 1000), Is.False);
        Assert.That(aliceKeys.CurrentGeneration, Is.EqualTo(1));

        byte[] after = GroupMessages.EncryptPayload(alice, group.Ed25519PublicKey, aliceKeys.EncryptionKey!, "after"u8.ToArray(), Primitives_Random(24), true);
        Assert.That(GroupMessages.DecryptPayload(adminKeys.Keys(), group.Ed25519PublicKey, after).Payload, Is.EqualTo("after"u8.ToArray()));
        Assert.Throws<SessionException>(() => GroupMessages.DecryptPayload(bobKeys.Keys(), group.Ed25519PublicKey, after));
        Assert.That(GroupMessages.DecryptPayload(aliceKeys.Keys(), group.Ed25519PublicKey, before).Payload, Is.EqualTo("before"u8.ToArray()), "old keys are kept");
    }

    [Test]
    public void A_supplement_gives_a_new_member_every_older_key()
    {
        using Identity group = NewGroup(), admin = Identity.Generate(), carol = Identity.Generate();
        var adminKeys = new GroupKeys(group.Ed25519PublicKey, group, admin);
        adminKeys.Load("k0", adminKeys.Rekey(Sorted(admin)), T0);
        adminKeys.Load("k1", adminKeys.Rekey(Sorted(admin)), T0 + 10);
        byte[] supplement = adminKeys.Supplement([carol.SessionId]);
        var carolKeys = new GroupKeys(group.Ed25519PublicKey, null, carol);
        Assert.That(carolKeys.Load("s", supplement, T0 + 20), Is.True);
        Assert.That(carolKeys.KnownKeys.Select(k => k.Generation), Is.EqualTo(new long[] { 0, 1 }));
        Assert.That(carolKeys.KnownKeys.Select(k => k.Key), Is.EqualTo(adminKeys.KnownKeys.Select(k => k.Key)));
        Assert.That(carolKeys.KnownKeys.Select(k => k.TimestampMs), Is.EqualTo(new[] { T0, T0 + 10 }), "supplements carry the original storage times");

        using Identity outsider = Identity.Generate();
        var outsiderKeys = new GroupKeys(group.Ed25519PublicKey, null, outsider);
        Assert.That(outsiderKeys.Load("s", supplement, T0 + 20), Is.False);
    }

    [Test]
    public void Two_admins_rekeying_the_same_generation_need_another_rekey()
    {
        using Identity group = NewGroup(), a1 = Identity.Generate(), a2 = Identity.Generate(), m = Identity.Generate();
        var k1 = new GroupKeys(group.Ed25519PublicKey, group, a1);
        var k2 = new GroupKeys(group.Ed25519PublicKey, group, a2);
        byte[] first = k1.Rekey(Sorted(a1, a2));
        byte[] second = k2.Rekey(Sorted(a1, a2, m));   // different member set: same generation, other key
        foreach (GroupKeys k in new[] { k1, k2 })
        {
            k.Load("h1", first, T0);
            k.Load("h2", second, T0 + 5);
            Assert.That(k.NeedsRekey, Is.True);
        }
        byte[] fix = k1.Rekey(Sorted(a1, a2, m));
        k1.Load("h3", fix, T0 + 10);
        Assert.That(k1.NeedsRekey, Is.False);
        Assert.That(k1.CurrentGeneration, Is.EqualTo(1));
    }

    [Test]
    public void Identical_member_sets_give_identical_keys_on_every_admin()
    {
        using Identity group = NewGroup(), a1 = Identity.Generate(), a2 = Identity.Generate();
        var k1 = new GroupKeys(group.Ed25519PublicKey, group, a1);
        var k2 = new GroupKeys(group.Ed25519PublicKey, group, a2);
        Assert.That(k1.Rekey(Sorted(a1, a2)), Is.EqualTo(k2.Rekey(Sorted(a1, a2))));
    }

    [Test]
    public void Keys_older_than_60_days_behind_the_next_generation_are_dropped()
    {
        using Identity group = NewGroup(), admin = Identity.Generate();
        var keys = new GroupKeys(group.Ed25519PublicKey, group, admin);
        keys.Load("k0", keys.Rekey(Sorted(admin)), T0);
        keys.Load("k1", keys.Rekey(Sorted(admin)), T0 + 1000);
        keys.Load("k2", keys.Rekey(Sorted(admin)), T0 + GroupKeys.KeyExpiryMs + 2000);
        Assert.That(keys.KnownKeys.Select(k => k.Generation), Is.EqualTo(new long[] { 1, 2 }));
        Assert.That(keys.ActiveHashes, Is.EqualTo(new[] { "k1", "k2" }));
    }

    [Test]
    public void Dump_and_reload_keep_keys_pending_key_and_hashes()
    {
        using Identity group = NewGroup(), admin = Identity.Generate();
        var keys = new GroupKeys(group.Ed25519PublicKey, group, admin);
        keys.Load("k0", keys.Rekey(Sorted(admin)), T0);
        byte[] pending = keys.Rekey(Sorted(admin));
        var reloaded = new GroupKeys(group.Ed25519PublicKey, group, admin, keys.Dump());
        Assert.That(reloaded.KnownKeys.Select(k => (k.Generation, k.TimestampMs)), Is.EqualTo(keys.KnownKeys.Select(k => (k.Generation, k.TimestampMs))));
        Assert.That(reloaded.EncryptionKey, Is.EqualTo(keys.EncryptionKey));
        Assert.That(reloaded.PendingMessage, Is.EqualTo(pending));
        Assert.That(reloaded.ActiveHashes, Is.EqualTo(new[] { "k0" }));
    }

    [Test]
    public void Forged_or_tampered_key_messages_are_rejected()
    {
        using Identity group = NewGroup(), other = NewGroup(), admin = Identity.Generate(), member = Identity.Generate();
        var forger = new GroupKeys(other.Ed25519PublicKey, other, admin);
        byte[] forged = forger.Rekey(Sorted(admin, member));
        var memberKeys = new GroupKeys(group.Ed25519PublicKey, null, member);
        Assert.Throws<SessionException>(() => memberKeys.Load("f", forged, T0), "signed by another group");

        var real = new GroupKeys(group.Ed25519PublicKey, group, admin);
        byte[] good = real.Rekey(Sorted(admin, member));
        byte[] tampered = (byte[])good.Clone();
        tampered[40] ^= 1;
        Assert.Throws<SessionException>(() => memberKeys.Load("t", tampered, T0));
        Assert.Throws<SessionException>(() => memberKeys.Load("x", Encoding.ASCII.GetBytes("d1:Gi0ee"), T0));
        Assert.Throws<SessionException>(() => memberKeys.Load("x", good[..^5], T0));
        Assert.That(memberKeys.EncryptionKey, Is.Null);
        Assert.That(memberKeys.Load("g", good, T0), Is.True);
    }

    [Test]
    public void Info_and_members_follow_the_keys_object()
    {
        using Identity group = NewGroup(), admin = Identity.Generate(), member = Identity.Generate();
        var adminKeys = new GroupKeys(group.Ed25519PublicKey, group, admin);
        var memberKeys = new GroupKeys(group.Ed25519PublicKey, null, member);
        var adminInfo = new GroupInfoConfig(adminKeys, group.Ed25519PublicKey);
        var memberInfo = new GroupInfoConfig(memberKeys, group.Ed25519PublicKey);
        byte[] gen0 = adminKeys.Rekey(Sorted(admin, member));
        adminInfo.SetName("party");
        ConfigPush push = adminInfo.Push(T0);
        Assert.That(memberInfo.Merge([("i1", push.Messages[0])], T0), Is.Empty, "the key message has not arrived yet");
        memberKeys.Load("k0", gen0, T0);
        Assert.That(memberInfo.Merge([("i1", push.Messages[0])], T0), Is.EquivalentTo(new[] { "i1" }));
        Assert.That(memberInfo.Name, Is.EqualTo("party"));
        Assert.That(memberInfo.ReadOnly, Is.True);
    }
}
