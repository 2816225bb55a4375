using System.Text;
using SessionInterop.Crypto;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Config;

/// <summary>One contact as the Contacts config holds it (§6.2).</summary>
internal sealed record ContactInfo(string SessionId)
{
    /// <summary>The contact's own display name ("" when unknown).</summary>
    public string Name { get; init; } = "";
    /// <summary>Our local nickname for them ("" for none).</summary>
    public string Nickname { get; init; } = "";
    public ProfilePicture? Picture { get; init; }
    /// <summary>We accepted their message request (or messaged them first).</summary>
    public bool Approved { get; init; }
    /// <summary>They accepted ours.</summary>
    public bool ApprovedMe { get; init; }
    public bool Blocked { get; init; }
    /// <summary>0 normal, -1 hidden, &gt;0 pinned.</summary>
    public long Priority { get; init; }
    /// <summary>0 default, 1 all, 2 disabled (mentions-only is stored as all).</summary>
    public long Notify { get; init; }
    public long MuteUntilSeconds { get; init; }
    /// <summary>0 none, 1 after send, 2 after read.</summary>
    public long ExpirationMode { get; init; }
    public long ExpirationSeconds { get; init; }
    public long CreatedSeconds { get; init; }
}

/// <summary>
/// The account's contacts (namespace 3): <c>c</c> → 33-byte Session ID → contact dict. Keys of a
/// contact this code does not know (newer clients' additions) stay as they are.
/// </summary>
internal sealed class Contacts : ConfigObject
{
    private static readonly byte[] KContacts = Bt.K("c"), KName = Bt.K("n"), KNickname = Bt.K("N"), KPicUrl = Bt.K("p"),
        KPicKey = Bt.K("q"), KApproved = Bt.K("a"), KApprovedMe = Bt.K("A"), KBlocked = Bt.K("b"), KPriority = Bt.K("+"),
        KNotify = Bt.K("@"), KMute = Bt.K("!"), KExpMode = Bt.K("e"), KExpTimer = Bt.K("E"), KCreated = Bt.K("j");

    public Contacts(Identity account, byte[]? dump = null) : base(account, dump) { }

    public override int Namespace => 3;
    public override string Domain => "Contacts";
    internal override SharedConfigMessage.Types.Kind Kind => SharedConfigMessage.Types.Kind.Contacts;

    public override IEnumerable<(string Conversation, byte[] Fingerprint)> Entries() => IdEntries(KContacts, 0x05);

    /// <summary>The contact, or null when not in the config.</summary>
    public ContactInfo? Get(string sessionId)
    {
        byte[] key = IdKey(sessionId);
        return GetDict(KContacts, key) is { } d ? Read(key, d) : null;
    }

    /// <summary>The stored contact, or a new empty one to fill in.</summary>
    public ContactInfo GetOrConstruct(string sessionId) => Get(sessionId) ?? new ContactInfo(Normalise(sessionId));

    /// <summary>Every contact, in Session ID order. Entries that are not 05 IDs with a dict are skipped.</summary>
    public IReadOnlyList<ContactInfo> All()
    {
        var list = new List<ContactInfo>();
        if (GetDict(KContacts) is { } all)
            foreach (var (k, v) in all)
                if (k.Length == 33 && k[0] == 0x05 && v is BtDict d) list.Add(Read(k, d));
        return list;
    }

    /// <summary>Writes a contact as libsession's Contacts::set does (§6.2 rules); unknown keys of the entry stay.</summary>
    public void Set(ContactInfo c)
    {
        byte[] id = IdKey(c.SessionId);
        byte[][] P(byte[] k) => [KContacts, id, k];
        // n is always written, even empty: it keeps the entry alive.
        Set(UserText.TruncateName(c.Name), P(KName));
        Set(c.Nickname.Length == 0 ? null : UserText.TruncateName(c.Nickname), P(KNickname));
        bool pic = c.Picture is { IsSet: true };
        Set(pic ? Encoding.UTF8.GetBytes(c.Picture!.Url) : null, P(KPicUrl));
        Set(pic ? c.Picture!.Key.ToArray() : null, P(KPicKey));
        SetFlag(c.Approved, P(KApproved));
        SetFlag(c.ApprovedMe, P(KApprovedMe));
        SetFlag(c.Blocked, P(KBlocked));
        SetNonZero(c.Priority, P(KPriority));
        SetPositive(c.Notify == 3 ? 1 : c.Notify, P(KNotify));
        SetPositive(c.MuteUntilSeconds, P(KMute));
        bool expiring = c.ExpirationMode is 1 or 2 && c.ExpirationSeconds > 0;
        Set(expiring ? c.ExpirationMode : null, P(KExpMode));
        Set(expiring ? c.ExpirationSeconds : null, P(KExpTimer));
        SetPositive(c.CreatedSeconds, P(KCreated));
    }

    /// <summary>Removes a contact; false when it was not there.</summary>
    public bool Erase(string sessionId)
    {
        byte[] key = IdKey(sessionId);
        if (GetDict(KContacts, key) is null) return false;
        Set(null, KContacts, key);
        return true;
    }

    private ContactInfo Read(byte[] key, BtDict d)
    {
        long Int(byte[] k) => d.Get(k) is long v ? v : 0;
        string Str(byte[] k) => d.Get(k) is byte[] b ? Encoding.UTF8.GetString(b) : "";
        long notify = Int(KNotify);
        long mode = Int(KExpMode), timer = Int(KExpTimer);
        bool expiring = mode is 1 or 2 && timer > 0;
        return new ContactInfo(Convert.ToHexStringLower(key))
        {
            Name = Str(KName),
            Nickname = Str(KNickname),
            Picture = d.Get(KPicUrl) is byte[] url && d.Get(KPicKey) is byte[] { Length: 32 } pk && url.Length > 0
                ? new ProfilePicture(Encoding.UTF8.GetString(url), pk) : null,
            Approved = Int(KApproved) != 0,
            ApprovedMe = Int(KApprovedMe) != 0,
            Blocked = Int(KBlocked) != 0,
            Priority = Int(KPriority),
            Notify = notify is 1 or 2 ? notify : 0,
            MuteUntilSeconds = Int(KMute),
            ExpirationMode = expiring ? mode : 0,
            ExpirationSeconds = expiring ? timer : 0,
            CreatedSeconds = Int(KCreated),
        };
    }

    private static string Normalise(string sessionId) => Convert.ToHexStringLower(IdKey(sessionId));

    /// <summary>A 05 Session ID as the 33 raw bytes the config uses as its key.</summary>
    internal static byte[] IdKey(string sessionId) =>
        Crypto.SessionId.Parse(sessionId ?? throw Errors.NullPointer(nameof(sessionId)), SessionIdPrefix.Standard).AsSpan().ToArray();
}
