using System.Text;
using SessionInterop.Crypto;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Config;

/// <summary>Read state of one conversation: last read (Unix ms) and the "marked unread" flag.</summary>
internal sealed record ConvoReadState(long LastReadMs, bool Unread);

/// <summary>
/// Per-conversation volatile state (namespace 4, §6.3): <c>1</c> one-to-one (33-byte 05 id),
/// <c>o</c> communities (base URL → server key and rooms), <c>g</c> groups (03), <c>C</c> legacy
/// groups — each entry {r: last read ms, u: unread flag}. Follows libsession's pruning variant
/// (entries not unread and older than 45 days are dropped before a push); see docs/config.md.
/// </summary>
internal sealed class ConvoInfoVolatile : ConfigObject
{
    /// <summary>Reads older than this are not written (they would be pruned anyway).</summary>
    public const long PruneLowMs = 30L * 24 * 3600 * 1000;
    /// <summary>Entries (not unread) older than this are removed before each push.</summary>
    public const long PruneHighMs = 45L * 24 * 3600 * 1000;

    private static readonly byte[] KOneToOne = Bt.K("1"), KCommunities = Bt.K("o"), KGroups = Bt.K("g"), KLegacy = Bt.K("C"),
        KServerKey = Bt.K("#"), KRooms = Bt.K("R"), KRead = Bt.K("r"), KUnread = Bt.K("u");

    public ConvoInfoVolatile(Identity account, byte[]? dump = null) : base(account, dump) { }

    public override int Namespace => 4;
    public override string Domain => "ConvoInfoVolatile";
    internal override SharedConfigMessage.Types.Kind Kind => SharedConfigMessage.Types.Kind.ConvoInfoVolatile;

    public override IEnumerable<(string Conversation, byte[] Fingerprint)> Entries()
    {
        foreach (var e in IdEntries(KOneToOne, 0x05).Concat(IdEntries(KGroups, 0x03)).Concat(IdEntries(KLegacy, 0x05))) yield return e;
        if (GetDict(KCommunities) is not { } servers) yield break;
        foreach (var (b, s) in servers)
        {
            if (s is not BtDict server || server.Get(KServerKey) is not byte[] { Length: 32 } key || server.Get(KRooms) is not BtDict rooms) continue;
            foreach (var (room, v) in rooms)
                yield return (new CommunityUrl(Encoding.UTF8.GetString(b), Encoding.UTF8.GetString(room), key).FullUrl, Bt.Encode(v));
        }
    }

    // ------------------------------------------------------------------ one-to-one and groups

    public ConvoReadState? GetOneToOne(string sessionId) => Read(GetDict(KOneToOne, IdKey(sessionId, SessionIdPrefix.Standard)));

    public void SetOneToOne(string sessionId, long lastReadMs, bool unread, long nowMs) =>
        Write([KOneToOne, IdKey(sessionId, SessionIdPrefix.Standard)], lastReadMs, unread, nowMs);

    public ConvoReadState? GetGroup(string groupId) => Read(GetDict(KGroups, IdKey(groupId, SessionIdPrefix.Group)));

    public void SetGroup(string groupId, long lastReadMs, bool unread, long nowMs) =>
        Write([KGroups, IdKey(groupId, SessionIdPrefix.Group)], lastReadMs, unread, nowMs);

    // ------------------------------------------------------------------ communities

    public ConvoReadState? GetCommunity(string baseUrl, string room) =>
        Read(GetDict(KCommunities, BaseKey(baseUrl), KRooms, RoomKey(room)));

    /// <summary>Sets a room's read state; the server key is (re)written as libsession does.</summary>
    public void SetCommunity(string baseUrl, string room, byte[] publicKey, long lastReadMs, bool unread, long nowMs)
    {
        if (publicKey.Length != 32) throw Errors.InvalidArgument("community.bad_key", "a community key is 32 bytes");
        byte[] b = BaseKey(baseUrl);
        Set(publicKey.ToArray(), KCommunities, b, KServerKey);
        Write([KCommunities, b, KRooms, RoomKey(room)], lastReadMs, unread, nowMs);
    }

    // ------------------------------------------------------------------ rules

    /// <summary>
    /// libsession's set_base: a lower last-read is an explicit reset and is written; otherwise
    /// only reads newer than now − 30 days are written. The unread flag is a flag.
    /// </summary>
    private void Write(byte[][] entry, long lastReadMs, bool unread, long nowMs)
    {
        byte[][] r = [.. entry, KRead], u = [.. entry, KUnread];
        long current = GetInt(r);
        if (current != 0 && lastReadMs < current) Set(lastReadMs > 0 ? lastReadMs : null, r);
        else if (lastReadMs > nowMs - PruneLowMs) Set(lastReadMs, r);
        SetFlag(unread, u);
    }

    /// <summary>Drops stale entries (not unread, read before now − 45 days) before serializing a push.</summary>
    protected override void BeforePush(long nowMs)
    {
        long cutoff = nowMs - PruneHighMs;
        foreach (byte[] top in new[] { KOneToOne, KLegacy })
            if (GetDict(top) is { } all)
                foreach (var (k, v) in all.ToList())
                    if (Stale(v as BtDict, cutoff)) Set(null, top, k);
        if (GetDict(KCommunities) is { } servers)
            foreach (var (b, s) in servers.ToList())
                if ((s as BtDict)?.Get(KRooms) is BtDict rooms)
                    foreach (var (room, v) in rooms.ToList())
                        if (Stale(v as BtDict, cutoff)) Set(null, KCommunities, b, KRooms, room);
    }

    private static bool Stale(BtDict? d, long cutoff) =>
        d is not null && d.Get(KUnread) is not long { } && (d.Get(KRead) is long r ? r : 0) < cutoff;

    private static ConvoReadState? Read(BtDict? d) =>
        d is null ? null : new ConvoReadState(d.Get(KRead) is long r ? r : 0, d.Get(KUnread) is long u && u != 0);

    private static byte[] IdKey(string id, SessionIdPrefix prefix) =>
        Crypto.SessionId.Parse(id ?? throw Errors.NullPointer(nameof(id)), prefix).AsSpan().ToArray();

    private static byte[] BaseKey(string baseUrl) => CommunityUrl.BaseKey(baseUrl);

    private static byte[] RoomKey(string room) => CommunityUrl.RoomKeyOf(room);
}
