using SessionInterop.Crypto;

namespace SessionInterop.Config.Groups;

/// <summary>
/// The group's Info config (namespace 13, protocol-groups.md §4.1): name <c>n</c>, description
/// <c>o</c>, avatar <c>p</c>/<c>q</c>, disappearing timer <c>E</c>, creation time <c>c</c>,
/// delete-before <c>d</c>/<c>D</c> and the destroyed flag <c>!</c>. Only admins can change it.
/// </summary>
internal sealed class GroupInfoConfig : ConfigObject
{
    public const int MaxDescriptionBytes = 2000;
    private static readonly byte[] KName = Bt.K("n"), KDescription = Bt.K("o"), KPicUrl = Bt.K("p"), KPicKey = Bt.K("q"),
        KExpiry = Bt.K("E"), KCreated = Bt.K("c"), KDeleteBefore = Bt.K("d"), KDeleteAttachmentsBefore = Bt.K("D"), KDestroyed = Bt.K("!");

    public GroupInfoConfig(GroupKeys keys, ReadOnlySpan<byte> groupPk, byte[]? dump = null)
        : this(keys.Keys, keys.Admin, groupPk, dump) { }

    /// <summary>With explicit keys (newest first) and signer: tests, and the libsession test vectors.</summary>
    internal GroupInfoConfig(Func<IReadOnlyList<byte[]>> keys, Identity? admin, ReadOnlySpan<byte> groupPk, byte[]? dump = null)
        : base(GroupConfigKeys.For("groups::Info", keys, admin, groupPk), dump) { }

    public override int Namespace => 13;
    public override string Domain => "groups::Info";

    public override IEnumerable<(string Conversation, byte[] Fingerprint)> Entries() => [("", Bt.Encode(Get()!))];

    public string? Name => GetString(KName);

    /// <summary>Sets the name, cut to 100 bytes on a UTF-8 boundary (set_name_truncated).</summary>
    public void SetName(string? name) => Set(string.IsNullOrEmpty(name) ? null : UserText.TruncateName(name), KName);

    public string? Description => GetString(KDescription);

    public void SetDescription(string? text)
    {
        if (text is not null && System.Text.Encoding.UTF8.GetByteCount(text) > MaxDescriptionBytes)
            throw Errors.TooLarge("group.description_too_long", $"a group description is at most {MaxDescriptionBytes} bytes");
        SetString(text, KDescription);
    }

    public ProfilePicture? Picture =>
        GetString(KPicUrl) is { } url && GetBytes(KPicKey) is { Length: 32 } key ? new ProfilePicture(url, key) : null;

    public void SetPicture(ProfilePicture? picture)
    {
        bool set = picture is { IsSet: true };
        Set(set ? System.Text.Encoding.UTF8.GetBytes(picture!.Url) : null, KPicUrl);
        Set(set ? picture!.Key.ToArray() : null, KPicKey);
    }

    public long ExpirySeconds { get => GetInt(KExpiry); set => SetPositive(value, KExpiry); }
    public long CreatedSeconds { get => GetInt(KCreated); set => SetPositive(value, KCreated); }
    public long DeleteBeforeSeconds { get => GetInt(KDeleteBefore); set => SetPositive(value, KDeleteBefore); }
    public long DeleteAttachmentsBeforeSeconds { get => GetInt(KDeleteAttachmentsBefore); set => SetPositive(value, KDeleteAttachmentsBefore); }

    /// <summary>Permanent: a destroyed group stays destroyed.</summary>
    public bool IsDestroyed => GetInt(KDestroyed) > 0;

    public void Destroy() => Set(1L, KDestroyed);
}
