using NUnit.Framework;
using SessionInterop.Config;
using SessionInterop.Crypto;
using static SessionInterop.Tests.Config.ConfigTestData;

namespace SessionInterop.Tests.Config;

/// <summary>
/// The user config types over the push → confirm → merge cycle. Vectors from libsession-util
/// tests/test_config_userprofile.cpp (V-UP), tests/test_config_contacts.cpp (V-MP, multipart
/// branch), tests/test_config_user_groups.cpp (V-URL, V-UG), as listed in protocol-config.md §7.
/// </summary>
public class UserConfigTests
{
    private const long Now = 1_700_000_000_000;
    private static readonly byte[] Seed = Hex("0123456789abcdef0123456789abcdef00000000000000000000000000000000");
    private static readonly byte[] Hash0 = Hex("ea173b57beca8af18c3519a7bbf69c3e7a05d1c049fa9558341d8ebb48b0c965");

    private static readonly byte[] Push1Plain = B(
        "d1:#i1e1:&d1:+i9e1:n6:Kallie1:p34:http://example.org/omg-pic-123.bmp1:q32:secret78901234567890123456789012e",
        "1:<lli0e32:", Hash0, "deee1:=d1:+0:1:n0:1:p0:1:q0:ee");

    [Test]
    public void UserProfileVector()
    {
        using Identity me = Identity.FromSeed(Seed);
        Assert.That(ToHex(me.Ed25519PublicKey.ToArray()), Is.EqualTo("4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7"));
        Assert.That(ToHex(me.X25519PublicKey.ToArray()), Is.EqualTo("d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72"));

        var conf = new UserProfile(me);
        Assert.That(conf.Name, Is.Null);
        Assert.That(conf.NeedsPush, Is.False);
        Assert.That(conf.NeedsDump, Is.False);
        ConfigPush empty = conf.Push(Now);
        Assert.That(empty.Seqno, Is.EqualTo(0));
        Assert.That(ToHex(empty.Messages.Single()), Is.EqualTo(UserConfigVectors.EmptyPush));
        Assert.That(ToHex(ConfigMessage.HashOf(conf.Serialize())), Is.EqualTo(ToHex(Hash0)));

        Assert.Throws<SessionException>(() => conf.SetName(new string('x', 101)));
        conf.SetNameTruncated(new string('x', 101));
        Assert.That(conf.Name, Is.EqualTo(new string('x', 100)));
        conf.SetName("Kallie");
        conf.SetPicture(new ProfilePicture("http://example.org/omg-pic-123.bmp", K("secret78901234567890123456789012")));
        conf.NoteToSelfPriority = 9;
        Assert.That(conf.NeedsPush, Is.True);
        Assert.That(conf.NeedsDump, Is.True);
        Assert.That(conf.Seqno, Is.EqualTo(1), "one new seqno per push cycle");
        Assert.That(Printable(conf.Serialize()), Is.EqualTo(Printable(Push1Plain)));
        Assert.That(ToHex(ConfigEncryption.Encrypt(ConfigEncryption.Pad(ConfigWire.Compress(Push1Plain)), me.Seed, "UserProfile")),
            Is.EqualTo(UserConfigVectors.Push1Encrypted));

        ConfigPush push1 = conf.Push(Now);
        Assert.That(push1.Seqno, Is.EqualTo(1));
        Assert.That(ToHex(push1.Messages.Single()), Is.EqualTo(UserConfigVectors.Push1Wrapped));
        Assert.That(conf.State, Is.EqualTo(ConfigState.Waiting));
        Assert.That(Printable(conf.Dump()), Is.EqualTo(Printable(B("d1:!i2e1:$180:", Push1Plain, "1:(le1:)le1:*de1:+dee"))));
        Assert.That(conf.NeedsDump, Is.False);

        conf.ConfirmPushed(push1.Seqno, ["fakehash1"]);
        Assert.That(conf.NeedsPush, Is.False);
        Assert.That(conf.NeedsDump, Is.True);
        Assert.That(Printable(conf.Dump()), Is.EqualTo(Printable(B("d1:!i0e1:$180:", Push1Plain, "1:(l9:fakehash1e1:)le1:*de1:+dee"))));

        // A second device merges the raw (unwrapped) encrypted message.
        var conf2 = new UserProfile(me);
        Assert.That(conf2.Merge([("fakehash1", Hex(UserConfigVectors.Push1Encrypted))], Now), Is.EquivalentTo(new[] { "fakehash1" }));
        Assert.That(conf2.NeedsDump, Is.True);
        Assert.That(conf2.NeedsPush, Is.False);
        Assert.That(conf2.Name, Is.EqualTo("Kallie"));
        Assert.That(conf2.CurrentHashes, Is.EquivalentTo(new[] { "fakehash1" }));

        // Conflicting edits on both devices resolve to the same result on both.
        conf.SetName("Nibbler");
        conf2.SetName("Raz");
        conf2.SetPicture(new ProfilePicture("http://new.example.com/pic", K("qwert\0yuio1234567890123456789012")));
        conf2.NoteToSelfExpirySeconds = 86400;
        Assert.That(conf2.BlindedMessageRequests, Is.Null);
        conf2.BlindedMessageRequests = false;
        Assert.That(conf2.BlindedMessageRequests, Is.False);
        conf2.BlindedMessageRequests = null;
        Assert.That(conf2.BlindedMessageRequests, Is.Null);
        conf2.BlindedMessageRequests = true;
        ConfigPush p1 = conf.Push(Now);
        ConfigPush p2 = conf2.Push(Now);
        Assert.That(p1.Seqno, Is.EqualTo(2));
        Assert.That(p2.Seqno, Is.EqualTo(2));
        Assert.That(p1.Obsolete, Is.EquivalentTo(new[] { "fakehash1" }), "the superseded version is deleted after the store");
        conf2.ConfirmPushed(p2.Seqno, ["fakehash3"]);
        Assert.That(conf2.Merge([("fakehash2", p1.Messages[0])], Now), Is.EquivalentTo(new[] { "fakehash2" }));
        Assert.That(conf.Merge([("fakehash3", p2.Messages[0])], Now), Is.EquivalentTo(new[] { "fakehash3" }));
        ConfigPush m1 = conf.Push(Now), m2 = conf2.Push(Now);
        Assert.That(m1.Seqno, Is.EqualTo(3));
        Assert.That(m2.Seqno, Is.EqualTo(3));
        Assert.That(m1.Messages[0], Is.EqualTo(m2.Messages[0]), "both devices produce identical bytes");
        foreach (UserProfile c in new[] { conf, conf2 })
        {
            Assert.That(c.Name, Is.EqualTo("Nibbler"));
            Assert.That(c.Picture!.Url, Is.EqualTo("http://new.example.com/pic"));
            Assert.That(ToHex(c.Picture.Key), Is.EqualTo("7177657274007975696f31323334353637383930313233343536373839303132"));
            Assert.That(c.NoteToSelfPriority, Is.EqualTo(9));
            Assert.That(c.NoteToSelfExpirySeconds, Is.EqualTo(86400));
            Assert.That(c.BlindedMessageRequests, Is.True);
        }
        conf.ConfirmPushed(3, ["fakehash4"]);
        conf2.ConfirmPushed(3, ["fakehash4"]);
        Assert.That(conf.NeedsPush || conf2.NeedsPush, Is.False);
    }

    [Test]
    public void DumpsReloadIncludingLibsessionsOlderForm()
    {
        using Identity me = Identity.FromSeed(Seed);
        // The pre-multipart dump form (test_config_userprofile.cpp:220-246 at libsession 8762e9d): "(" is a string.
        var waiting = new UserProfile(me, B("d1:!i2e1:$180:", Push1Plain, "1:(0:1:)le1:+dee"));
        Assert.That(waiting.State, Is.EqualTo(ConfigState.Waiting));
        Assert.That(waiting.Name, Is.EqualTo("Kallie"));
        waiting.ConfirmPushed(1, ["h1"]);
        Assert.That(waiting.State, Is.EqualTo(ConfigState.Clean));
        var clean = new UserProfile(me, B("d1:!i0e1:$180:", Push1Plain, "1:(9:fakehash11:)le1:+dee"));
        Assert.That(clean.CurrentHashes, Is.EquivalentTo(new[] { "fakehash1" }));
        Assert.That(clean.NeedsPush, Is.False);

        // A Dirty dump reloads as a new version (one more seqno), as libsession does.
        var dirty = new UserProfile(me, B("d1:!i1e1:$180:", Push1Plain, "1:(le1:)le1:*de1:+dee"));
        Assert.That(dirty.Seqno, Is.EqualTo(2));
        Assert.That(dirty.NeedsPush, Is.True);

        var reloaded = new UserProfile(me, clean.Dump());
        Assert.That(reloaded.Serialize(), Is.EqualTo(clean.Serialize()));
        Assert.That(reloaded.CurrentHashes, Is.EquivalentTo(new[] { "fakehash1" }));
        Assert.Throws<SessionException>(() => new UserProfile(me, K("d1:!i7ee")));
    }

    [Test]
    public void UnknownKeysSurviveARoundTrip()
    {
        using Identity me = Identity.FromSeed(Seed);
        // An "older device" wrote keys this code does not know: at the top of the data, inside a
        // contact and inside a community room, and an unknown top-level message key.
        string id = "05" + new string('a', 64);
        byte[] key = Hex(id);
        byte[] plain = B("d1:#i5e1:&d1:cd33:", key, "d1:ai1e1:n3:Bob1:zi42e1:~3:newee1:xi7ee1:<le1:=de1:?3:fute");
        var older = new Contacts(me);
        var message = ConfigEncryption.Encrypt(ConfigEncryption.Pad(plain), me.Seed, "Contacts");
        var contacts = new Contacts(me);
        contacts.Merge([("h5", message)], Now);
        Assert.That(contacts.Get(id)!.Name, Is.EqualTo("Bob"));

        contacts.Set(contacts.Get(id)! with { Nickname = "Bobby" });
        ConfigPush push = contacts.Push(Now);
        older.Merge([("h6", push.Messages[0])], Now);
        byte[] after = older.Serialize();
        string text = Printable(after);
        Assert.That(text, Does.Contain("1:zi42e1:~3:new"), "unknown keys of the contact kept");
        Assert.That(text, Does.Contain("1:N5:Bobby"));
        Assert.That(text, Does.Contain("1:xi7e"), "unknown data key kept");
        Assert.That(text, Does.Contain("1:?3:fut"), "unknown top-level key kept on increment");
        Assert.That(older.Get(id)!.Nickname, Is.EqualTo("Bobby"));
    }

    [Test]
    public void ContactsFollowLibsessionsWriteRules()
    {
        using Identity me = Identity.FromSeed(Seed);
        var contacts = new Contacts(me);
        string id = "05" + new string('1', 64);
        Assert.That(contacts.Get(id), Is.Null);
        ContactInfo c = contacts.GetOrConstruct(id.ToUpperInvariant());
        Assert.That(c.SessionId, Is.EqualTo(id));
        contacts.Set(c with { Nickname = "Joey", Approved = true, Notify = 3, ExpirationMode = 1, ExpirationSeconds = 0 });
        string text = Printable(contacts.Serialize());
        Assert.That(text, Does.Contain("1:@i1e"), "mentions-only is stored as all");
        Assert.That(text, Does.Contain("1:n0:"), "n is always written");
        Assert.That(text, Does.Not.Contain("1:E"), "no timer without a positive value");
        ContactInfo back = contacts.Get(id)!;
        Assert.That(back.Approved && !back.ApprovedMe && !back.Blocked, Is.True);
        Assert.That(back.ExpirationMode, Is.EqualTo(0));
        long seqno = contacts.Seqno;
        contacts.Set(back);   // unchanged: no new version
        Assert.That(contacts.Seqno, Is.EqualTo(seqno));
        Assert.That(contacts.All().Select(x => x.SessionId), Is.EqualTo(new[] { id }));
        Assert.That(contacts.Erase(id), Is.True);
        Assert.That(contacts.All(), Is.Empty);
        Assert.Throws<SessionException>(() => contacts.GetOrConstruct("15" + new string('1', 64)));
    }

    [Test]
    public void ConvoInfoVolatileWritesAndPrunes()
    {
        using Identity me = Identity.FromSeed(Seed);
        var convos = new ConvoInfoVolatile(me);
        string a = "05" + new string('2', 64), b = "05" + new string('3', 64);
        convos.SetOneToOne(a, Now - 1000, false, Now);
        convos.SetOneToOne(b, Now - ConvoInfoVolatile.PruneLowMs - 1, false, Now);   // too old to write
        Assert.That(convos.GetOneToOne(a), Is.EqualTo(new ConvoReadState(Now - 1000, false)));
        Assert.That(convos.GetOneToOne(b), Is.Null);
        convos.SetOneToOne(b, 0, true, Now);
        Assert.That(convos.GetOneToOne(b), Is.EqualTo(new ConvoReadState(0, true)));
        convos.SetCommunity("HTTPS://Example.com:443", "SomeRoom", new byte[32], Now, false, Now);
        Assert.That(convos.GetCommunity("https://example.com", "someroom")!.LastReadMs, Is.EqualTo(Now));
        // An entry read 46 days before the push is dropped; unread ones stay.
        convos.Push(Now + ConvoInfoVolatile.PruneHighMs + 2000);
        Assert.That(convos.GetOneToOne(a), Is.Null);
        Assert.That(convos.GetOneToOne(b), Is.Not.Null);
    }

    [Test]
    public void MultipartSizesVector()
    {
        using Identity me = Identity.FromSeed(Seed);
        var contacts = new Contacts(me);
        var seed = new byte[32];
        Span<byte> pk = stackalloc byte[32], sk = stackalloc byte[64], x = stackalloc byte[32];
        for (int i = 0; i < 12000; i++)
        {
            seed[0] = (byte)(i % 256);
            seed[1] = (byte)(i >> 8);
            Primitives.SeedKeypair(seed, pk, sk);
            Primitives.EdPkToX(pk, x);
            string id = "05" + Convert.ToHexStringLower(x);
            contacts.Set(new ContactInfo(id) { Nickname = $"My friend {i}", Approved = true, ApprovedMe = true });
        }
        ConfigPush push = contacts.Push(Now);
        Assert.That(push.Messages.Count, Is.EqualTo(12));
        Assert.That(push.Messages.Take(11).All(m => m.Length == 76800), Is.True);
        Assert.That(push.Messages[^1].Length, Is.EqualTo(1040));
        Assert.That(push.Messages.Sum(m => m.Length - 40 - 50), Is.EqualTo(844_760), "padded total");

        // Another device collects the parts in any order; nothing merges until the last arrives.
        var other = new Contacts(me);
        var hashes = Enumerable.Range(0, 12).Select(i => $"part{i}").ToList();
        var parts = push.Messages.Select((m, i) => (hashes[i], m)).Reverse().ToList();
        Assert.That(other.Merge(parts.Take(5), Now).Count, Is.EqualTo(5));
        Assert.That(other.All(), Is.Empty);
        Assert.That(other.ActiveHashes().Count, Is.EqualTo(5), "incomplete parts are kept alive");
        var reloaded = new Contacts(me, other.Dump());   // partial sets survive a restart
        reloaded.Merge(parts.Skip(5), Now);
        Assert.That(reloaded.All().Count, Is.EqualTo(12000));
        Assert.That(reloaded.CurrentHashes, Is.EquivalentTo(hashes));
        Assert.That(reloaded.NeedsPush, Is.False);
    }

    [TestCase("https://example.com/SomeRoom?public_key=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "https://example.com", "SomeRoom")]
    [TestCase("HTTPS://EXAMPLE.COM/sOMErOOM?public_key=0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "https://example.com", "sOMErOOM")]
    [TestCase("HTTPS://EXAMPLE.COM/r/someroom?public_key=0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "https://example.com", "someroom")]
    [TestCase("HTTPS://EXAMPLE.com:443/r/someroom?public_key=0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "https://example.com", "someroom")]
    [TestCase("http://example.com/r/someroom?public_key=0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "http://example.com", "someroom")]
    [TestCase("HTTP://EXAMPLE.com:80/r/someroom?public_key=0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", "http://example.com", "someroom")]
    [TestCase("http://example.com/r/someroom?public_key=ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8", "http://example.com", "someroom")]
    [TestCase("http://example.com/r/someroom?public_key=yrtwk3hjixg66yjdeiuauk6p7hy1gtm8tgih55abrpnsxnpm3zzo", "http://example.com", "someroom")]
    public void CommunityUrlVector(string url, string baseUrl, string room)
    {
        CommunityUrl u = CommunityUrl.Parse(url);
        Assert.That(u.BaseUrl, Is.EqualTo(baseUrl));
        Assert.That(u.Room, Is.EqualTo(room));
        Assert.That(u.RoomKey, Is.EqualTo("someroom"));
        Assert.That(u.PublicKeyHex, Is.EqualTo("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
    }

    [Test]
    public void UserGroupsCommunitiesAndGroupsVector()
    {
        using Identity me = Identity.FromSeed(Seed);
        var groups = new UserGroups(me);
        var key = Hex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        groups.SetCommunity(new CommunityInfo("http://Example.ORG:5678", "SudokuRoom", key) { Priority = 14 });
        Assert.That(groups.GetCommunity("http://example.org:5678", "sudokuroom")!.Room, Is.EqualTo("SudokuRoom"));
        Assert.That(Printable(groups.Serialize()), Does.Contain("1:od23:http://example.org:5678d1:#32:"));

        // V-UG: a secret key that does not match the id stores only the member auth data...
        var groupSeed = new byte[32];
        groupSeed[0] = 7;
        var gpk = new byte[32];
        var gsk = new byte[64];
        Primitives.SeedKeypair(groupSeed, gpk, gsk);
        string gid = "03" + Convert.ToHexStringLower(gpk);
        byte[] wrongKey = new byte[64];
        wrongKey[0] = 1;
        byte[] auth = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        groups.SetGroup(new GroupInfo(gid) { SecretKey = wrongKey, AuthData = auth });
        Assert.That(groups.GetGroup(gid)!.AuthData, Is.EqualTo(auth));
        Assert.That(groups.GetGroup(gid)!.SecretKey, Is.Empty);
        Assert.That(Printable(groups.Serialize()), Does.Contain("1:K0:"), "K is present but empty for non-admins");
        // ...one that matches stores the seed, and the supplied auth data is not written.
        var fresh = new UserGroups(me);
        fresh.SetGroup(new GroupInfo(gid)
        {
            SecretKey = gsk, AuthData = auth, Name = "Magic Special Room", Priority = 123, JoinedAtSeconds = 1234567890,
            Notify = 3, MuteUntilSeconds = 456789012, Invited = true,
        });
        var receiver = new UserGroups(me);
        receiver.Merge([("g1", fresh.Push(Now).Messages[0])], Now);
        Assert.That(receiver.Groups().Select(x => x.GroupId), Is.EqualTo(new[] { gid }));
        GroupInfo g = receiver.GetGroup(gid)!;
        Assert.That(g.AuthData, Is.Empty);
        Assert.That(g.SecretKey, Is.EqualTo(gsk));
        Assert.That((g.Name, g.Priority, g.JoinedAtSeconds, g.Notify, g.MuteUntilSeconds, g.Invited),
            Is.EqualTo(("Magic Special Room", 123L, 1234567890L, 3L, 456789012L, true)));

        Assert.That(groups.EraseCommunity("http://example.org:5678", "SUDOKUROOM"), Is.True);
        Assert.That(Printable(groups.Serialize()), Does.Not.Contain("1:o"), "the server goes with its last room");
    }
}
