using System.Text;
using SessionInterop.Crypto;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Config;

/// <summary>
/// The account's own profile (namespace 2, §6.1): display name <c>n</c>, avatar <c>p</c>/<c>q</c>,
/// Note-to-Self priority <c>+</c> and disappearing timer <c>e</c>, blinded message requests
/// <c>M</c>. Newer keys (profile timestamps, Pro data) are kept as they are but not written.
/// </summary>
internal sealed class UserProfile : ConfigObject
{
    private static readonly byte[] KName = Bt.K("n"), KPicUrl = Bt.K("p"), KPicKey = Bt.K("q"),
        KPriority = Bt.K("+"), KExpiry = Bt.K("e"), KBlindedRequests = Bt.K("M");

    public UserProfile(Identity account, byte[]? dump = null) : base(account, dump) { }

    public override int Namespace => 2;
    public override string Domain => "UserProfile";
    internal override SharedConfigMessage.Types.Kind Kind => SharedConfigMessage.Types.Kind.UserProfile;

    public override IEnumerable<(string Conversation, byte[] Fingerprint)> Entries() => [("", Bt.Encode(Get()!))];

    /// <summary>The display name, or null when none is set.</summary>
    public string? Name => GetString(KName);

    /// <summary>Sets the name (null/empty removes it); more than 100 bytes is refused.</summary>
    public void SetName(string? name) =>
        Set(string.IsNullOrEmpty(name) ? null : UserText.CheckedName(name, "the display name"), KName);

    /// <summary>Sets the name, cut to 100 bytes on a UTF-8 boundary.</summary>
    public void SetNameTruncated(string? name) =>
        Set(string.IsNullOrEmpty(name) ? null : UserText.TruncateName(name), KName);

    public ProfilePicture? Picture =>
        GetString(KPicUrl) is { } url && GetBytes(KPicKey) is { Length: 32 } key ? new ProfilePicture(url, key) : null;

    /// <summary>Sets or (null, or an incomplete picture) clears the avatar; URL and key go together.</summary>
    public void SetPicture(ProfilePicture? picture)
    {
        if (picture is { IsSet: true } && Encoding.UTF8.GetByteCount(picture.Url) > ProfilePicture.MaxUrlBytes)
            throw Errors.TooLarge("config.url_too_long", $"an avatar URL is at most {ProfilePicture.MaxUrlBytes} bytes");
        bool set = picture is { IsSet: true };
        Set(set ? Encoding.UTF8.GetBytes(picture!.Url) : null, KPicUrl);
        Set(set ? picture!.Key.ToArray() : null, KPicKey);
    }

    /// <summary>Note-to-Self priority: 0 normal, -1 hidden, &gt;0 pinned.</summary>
    public long NoteToSelfPriority
    {
        get => GetInt(KPriority);
        set => SetNonZero(value, KPriority);
    }

    /// <summary>Note-to-Self disappearing timer in seconds (0 = off).</summary>
    public long NoteToSelfExpirySeconds
    {
        get => GetInt(KExpiry);
        set => SetPositive(value, KExpiry);
    }

    /// <summary>Blinded (community) message requests: null = the client's default.</summary>
    public bool? BlindedMessageRequests
    {
        get => Get(KBlindedRequests) is long v ? v != 0 : null;
        set => Set(value is bool b ? (b ? 1L : 0L) : null, KBlindedRequests);
    }
}
