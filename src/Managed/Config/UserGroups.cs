using System.Text;
using SessionInterop.Crypto;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Config;

/// <summary>A joined community room in UserGroups.</summary>
internal sealed record CommunityInfo(string BaseUrl, string Room, byte[] PublicKey)
{
    public long Priority { get; init; }
    public long JoinedAtSeconds { get; init; }
    /// <summary>0 default, 1 all, 2 disabled, 3 mentions only.</summary>
    public long Notify { get; init; }
    public long MuteUntilSeconds { get; init; }
    public bool Invited { get; init; }

    /// <summary>Our conversation id for the room (its canonical URL).</summary>
    public string ConversationId => new CommunityUrl(BaseUrl, Room, PublicKey).FullUrl;
}

/// <summary>A (new, 03) group entry in UserGroups; managed by the groups layer, kept intact here.</summary>
internal sealed record GroupInfo(string GroupId)
{
    public string Name { get; init; } = "";
    /// <summary>Admins: the group's 64-byte Ed25519 secret key (seed ‖ public key); otherwise empty.</summary>
    public byte[] SecretKey { get; init; } = [];
    /// <summary>Members: the 100-byte subaccount authentication data; otherwise empty.</summary>
    public byte[] AuthData { get; init; } = [];
    public long Priority { get; init; }
    public long JoinedAtSeconds { get; init; }
    public long Notify { get; init; }
    public long MuteUntilSeconds { get; init; }
    public bool Invited { get; init; }
    /// <summary>0 member, 1 kicked, 2 group destroyed.</summary>
    public long Removed { get; init; }
}

/// <summary>
/// The account's groups (namespace 5, §6.4): communities under <c>o</c> (base URL → server key and
/// rooms), new groups under <c>g</c>, legacy groups under <c>C</c> (read-only, kept as they are).
/// </summary>
internal sealed class UserGroups : ConfigObject
{
    private static readonly byte[] KCommunities = Bt.K("o"), KServerKey = Bt.K("#"), KRooms = Bt.K("R"), KGroups = Bt.K("g"),
        KLegacy = Bt.K("C"), KName = Bt.K("n"), KPriority = Bt.K("+"), KJoined = Bt.K("j"), KNotify = Bt.K("@"),
        KMute = Bt.K("!"), KInvited = Bt.K("i"), KSecret = Bt.K("K"), KAuth = Bt.K("s"), KRemoved = Bt.K("r");

    public UserGroups(Identity account, byte[]? dump = null) : base(account, dump) { }

    public override int Namespace => 5;
    public override string Domain => "UserGroups";
    internal override SharedConfigMessage.Types.Kind Kind => SharedConfigMessage.Types.Kind.UserGroups;

    public override IEnumerable<(string Conversation, byte[] Fingerprint)> Entries() =>
        Communities().Select(c => (c.ConversationId, Bt.Encode(GetDict(KCommunities, Encoding.UTF8.GetBytes(c.BaseUrl), KRooms, RoomKey(c.Room))!)))
            .Concat(IdEntries(KGroups, 0x03)).Concat(IdEntries(KLegacy, 0x05));

    // ------------------------------------------------------------------ communities

    public IReadOnlyList<CommunityInfo> Communities()
    {
        var list = new List<CommunityInfo>();
        if (GetDict(KCommunities) is not { } servers) return list;
        foreach (var (baseUrl, s) in servers)
        {
            if (s is not BtDict server || server.Get(KServerKey) is not byte[] { Length: 32 } key || server.Get(KRooms) is not BtDict rooms) continue;
            foreach (var (roomKey, r) in rooms)
                if (r is BtDict room) list.Add(ReadCommunity(Encoding.UTF8.GetString(baseUrl), roomKey, room, key));
        }
        return list;
    }

    public CommunityInfo? GetCommunity(string baseUrl, string room)
    {
        byte[] b = BaseKey(baseUrl), r = RoomKey(room);
        return GetDict(KCommunities, b, KRooms, r) is { } d && GetBytes(KCommunities, b, KServerKey) is { Length: 32 } key
            ? ReadCommunity(Encoding.UTF8.GetString(b), r, d, key) : null;
    }

    /// <summary>Adds or updates a room (the server key is (re)written too); unknown keys of the entry stay.</summary>
    public void SetCommunity(CommunityInfo c)
    {
        if (c.PublicKey.Length != 32) throw Errors.InvalidArgument("community.bad_key", "a community key is 32 bytes");
        byte[] b = BaseKey(c.BaseUrl), r = RoomKey(c.Room);
        Set(c.PublicKey.ToArray(), KCommunities, b, KServerKey);
        byte[][] P(byte[] k) => [KCommunities, b, KRooms, r, k];
        Set(Encoding.UTF8.GetBytes(c.Room), P(KName));   // the token with its original capitalisation, always written
        WriteCommon(P, c.Priority, c.JoinedAtSeconds, c.Notify, c.MuteUntilSeconds, c.Invited);
    }

    /// <summary>Removes a room; the server goes with its last room. False when it was not there.</summary>
    public bool EraseCommunity(string baseUrl, string room)
    {
        byte[] b = BaseKey(baseUrl), r = RoomKey(room);
        if (GetDict(KCommunities, b, KRooms, r) is null) return false;
        Set(null, KCommunities, b, KRooms, r);
        if (GetDict(KCommunities, b, KRooms) is null) Set(null, KCommunities, b);
        return true;
    }

    private static CommunityInfo ReadCommunity(string baseUrl, byte[] roomKey, BtDict d, byte[] key) =>
        new(baseUrl, d.Get(KName) is byte[] n && n.Length > 0 ? Encoding.UTF8.GetString(n) : Encoding.UTF8.GetString(roomKey), key)
        {
            Priority = Int(d, KPriority),
            JoinedAtSeconds = Int(d, KJoined),
            Notify = Int(d, KNotify),
            MuteUntilSeconds = Int(d, KMute),
            Invited = Int(d, KInvited) != 0,
        };

    // ------------------------------------------------------------------ groups (03)

    public IReadOnlyList<GroupInfo> Groups()
    {
        var list = new List<GroupInfo>();
        if (GetDict(KGroups) is { } groups)
            foreach (var (k, v) in groups)
                if (k.Length == 33 && k[0] == 0x03 && v is BtDict d) list.Add(ReadGroup(k, d));
        return list;
    }

    public GroupInfo? GetGroup(string groupId)
    {
        byte[] key = GroupKey(groupId);
        return GetDict(KGroups, key) is { } d ? ReadGroup(key, d) : null;
    }

    /// <summary>Removes a group's entry (left or declined). False when it was not there.</summary>
    public bool EraseGroup(string groupId)
    {
        byte[] id = GroupKey(groupId);
        if (GetDict(KGroups, id) is null) return false;
        Set(null, KGroups, id);
        return true;
    }

    /// <summary>
    /// Writes a group as libsession does: an admin's entry holds the 32-byte seed in K (only when
    /// the secret key belongs to the group id) and keeps any s; a member's holds K = "" and the
    /// 100-byte auth data in s.
    /// </summary>
    public void SetGroup(GroupInfo g)
    {
        byte[] id = GroupKey(g.GroupId);
        byte[][] P(byte[] k) => [KGroups, id, k];
        if (g.SecretKey.Length == 64 && g.SecretKey.AsSpan(32).SequenceEqual(id.AsSpan(1)))
        {
            Set(g.SecretKey[..32], P(KSecret));
        }
        else
        {
            Set(Array.Empty<byte>(), P(KSecret));
            Set(g.AuthData.Length == 100 ? g.AuthData.ToArray() : null, P(KAuth));
        }
        Set(g.Name.Length == 0 ? null : UserText.TruncateName(g.Name), P(KName));
        SetPositive(g.Removed, P(KRemoved));
        WriteCommon(P, g.Priority, g.JoinedAtSeconds, g.Notify, g.MuteUntilSeconds, g.Invited);
    }

    private static GroupInfo ReadGroup(byte[] id, BtDict d)
    {
        byte[] secret = [];
        if (d.Get(KSecret) is byte[] { Length: 32 } seed)
        {
            // A seed that does not produce the group's key is ignored.
            Span<byte> pk = stackalloc byte[32];
            Span<byte> sk = stackalloc byte[64];
            Primitives.SeedKeypair(seed, pk, sk);
            if (pk.SequenceEqual(id.AsSpan(1))) secret = sk.ToArray();
            Interop.LibSodium.Zero(sk);
        }
        return new GroupInfo(Convert.ToHexStringLower(id))
        {
            Name = d.Get(KName) is byte[] n ? Encoding.UTF8.GetString(n) : "",
            SecretKey = secret,
            AuthData = d.Get(KAuth) is byte[] { Length: 100 } auth ? auth : [],
            Priority = Int(d, KPriority),
            JoinedAtSeconds = Int(d, KJoined),
            Notify = Int(d, KNotify),
            MuteUntilSeconds = Int(d, KMute),
            Invited = Int(d, KInvited) != 0,
            Removed = Int(d, KRemoved),
        };
    }

    // ------------------------------------------------------------------ helpers

    private void WriteCommon(Func<byte[], byte[][]> path, long priority, long joined, long notify, long mute, bool invited)
    {
        SetNonZero(priority, path(KPriority));
        SetPositive(joined, path(KJoined));
        SetPositive(notify, path(KNotify));
        SetPositive(mute, path(KMute));
        SetFlag(invited, path(KInvited));
    }

    private static long Int(BtDict d, byte[] k) => d.Get(k) is long v ? v : 0;

    private static byte[] BaseKey(string baseUrl) => CommunityUrl.BaseKey(baseUrl);

    private static byte[] RoomKey(string room) => CommunityUrl.RoomKeyOf(room);

    private static byte[] GroupKey(string groupId) =>
        Crypto.SessionId.Parse(groupId ?? throw Errors.NullPointer(nameof(groupId)), SessionIdPrefix.Group).AsSpan().ToArray();
}
