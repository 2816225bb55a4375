using System.Text;
using SessionInterop.Crypto;

namespace SessionInterop.Config.Groups;

/// <summary>Invite and promotion states (libsession's STATUS_*; 0 = accepted/none).</summary>
internal enum MemberStatus : long
{
    None = 0,
    Sent = 1,
    Failed = 2,
    NotSent = 3,
}

/// <summary>One entry of the Members config.</summary>
internal sealed record GroupMember(SessionId SessionId)
{
    public string Name { get; init; } = "";
    public ProfilePicture? Picture { get; init; }
    public bool Admin { get; init; }
    public MemberStatus Invite { get; init; }
    public MemberStatus Promotion { get; init; }
    /// <summary>Invited with the older keys (history access).</summary>
    public bool Supplement { get; init; }
    /// <summary>0 member, 1 removal pending, 2 removal of the member and their messages pending.</summary>
    public long Removed { get; init; }

    /// <summary>Accepted and not on its way out.</summary>
    public bool Joined => Invite == MemberStatus.None && Removed == 0;
}

/// <summary>
/// The group's Members config (namespace 14, protocol-groups.md §4.2): <c>m</c> maps each 33-byte
/// Session ID to <c>n</c> name (always written), <c>p</c>/<c>q</c> avatar, <c>A</c> admin,
/// <c>P</c> promotion and <c>I</c> invite status, <c>s</c> history shared, <c>R</c> removal pending.
/// Keys written by newer clients inside an entry are kept. Only admins can change it.
/// </summary>
internal sealed class GroupMembersConfig : ConfigObject
{
    private static readonly byte[] KMembers = Bt.K("m"), KName = Bt.K("n"), KPicUrl = Bt.K("p"), KPicKey = Bt.K("q"),
        KAdmin = Bt.K("A"), KPromotion = Bt.K("P"), KInvite = Bt.K("I"), KSupplement = Bt.K("s"), KRemoved = Bt.K("R");

    public GroupMembersConfig(GroupKeys keys, ReadOnlySpan<byte> groupPk, byte[]? dump = null)
        : this(keys.Keys, keys.Admin, groupPk, dump) { }

    /// <summary>With explicit keys (newest first) and signer: tests, and the libsession test vectors.</summary>
    internal GroupMembersConfig(Func<IReadOnlyList<byte[]>> keys, Identity? admin, ReadOnlySpan<byte> groupPk, byte[]? dump = null)
        : base(GroupConfigKeys.For("groups::Members", keys, admin, groupPk), dump) { }

    public override int Namespace => 14;
    public override string Domain => "groups::Members";

    public override IEnumerable<(string Conversation, byte[] Fingerprint)> Entries() => IdEntries(KMembers, 0x05);

    /// <summary>Every member in ascending Session ID order (the order key messages use).</summary>
    public IReadOnlyList<GroupMember> All()
    {
        var list = new List<GroupMember>();
        if (GetDict(KMembers) is not { } all) return list;
        foreach (var (k, v) in all)
            if (k.Length == SessionId.ByteLength && k[0] == 0x05 && v is BtDict) list.Add(Read(k)!);
        return list;
    }

    public GroupMember? Get(SessionId id) => Read(id.AsSpan().ToArray());

    /// <summary>The member, or a new one whose invite is not sent yet (get_or_construct).</summary>
    public GroupMember GetOrConstruct(SessionId id) => Get(id) ?? new GroupMember(id) { Invite = MemberStatus.NotSent };

    private GroupMember? Read(byte[] key)
    {
        if (GetDict(KMembers, key) is not { } d) return null;
        bool admin = d.Get(KAdmin) is long a && a != 0;
        long promotion = d.Get(KPromotion) is long p ? p : 0;
        long invite = admin ? 0 : d.Get(KInvite) is long i ? i : 0;   // I is ignored for admins
        bool supplement = invite > 0 && !admin && promotion == 0 && d.Get(KSupplement) is long s && s != 0;
        return new GroupMember(SessionId.FromBytes(key))
        {
            Name = d.Get(KName) is byte[] n ? Encoding.UTF8.GetString(n) : "",
            Picture = d.Get(KPicUrl) is byte[] url && d.Get(KPicKey) is byte[] { Length: 32 } pk ? new ProfilePicture(Encoding.UTF8.GetString(url), pk) : null,
            Admin = admin,
            Promotion = (MemberStatus)Math.Clamp(promotion, 0, 3),
            Invite = (MemberStatus)Math.Clamp(invite, 0, 3),
            Supplement = supplement,
            Removed = d.Get(KRemoved) is long r ? r : 0,
        };
    }

    /// <summary>Writes a member; only this entry's known keys change.</summary>
    public void Set(GroupMember m)
    {
        m.SessionId.Require(SessionIdPrefix.Standard);
        byte[] key = m.SessionId.AsSpan().ToArray();
        Set(UserText.TruncateName(m.Name), KMembers, key, KName);   // always present, even empty
        bool picture = m.Picture is { IsSet: true };
        Set(picture ? Encoding.UTF8.GetBytes(m.Picture!.Url) : null, KMembers, key, KPicUrl);
        Set(picture ? m.Picture!.Key.ToArray() : null, KMembers, key, KPicKey);
        SetFlag(m.Admin, KMembers, key, KAdmin);
        SetNonZero((long)m.Promotion, KMembers, key, KPromotion);
        SetNonZero(m.Admin ? 0 : (long)m.Invite, KMembers, key, KInvite);
        SetFlag(m.Supplement, KMembers, key, KSupplement);
        SetNonZero(m.Removed, KMembers, key, KRemoved);
    }

    /// <summary>Removes a member's entry entirely (after the removal job and before the rekey).</summary>
    public bool Erase(SessionId id)
    {
        byte[] key = id.AsSpan().ToArray();
        if (GetDict(KMembers, key) is null) return false;
        Set(null, KMembers, key);
        return true;
    }

    public void SetInviteAccepted(SessionId id)
    {
        if (Get(id) is { } m) Set(m with { Invite = MemberStatus.None, Supplement = false });
    }

    public void SetPromoted(SessionId id)
    {
        if (Get(id) is { } m) Set(m with { Admin = true, Invite = MemberStatus.None, Promotion = MemberStatus.NotSent });
    }

    public void SetPromotionAccepted(SessionId id)
    {
        if (Get(id) is { } m) Set(m with { Admin = true, Promotion = MemberStatus.None });
    }

    /// <summary>Marks a removal pending (1, or 2 with their messages); clears invite and promotion.</summary>
    public void SetRemoved(SessionId id, bool withMessages)
    {
        if (Get(id) is { } m) Set(m with { Invite = MemberStatus.None, Promotion = MemberStatus.None, Removed = withMessages ? 2 : 1 });
    }
}
