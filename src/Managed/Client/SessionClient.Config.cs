using SessionInterop.Client.Config;
using SessionInterop.Config;
using SessionInterop.Crypto;

namespace SessionInterop.Client;

// Multi-device configs (issue 16, docs/config.md): the profile name, contacts, joined communities
// and read state live in the account's swarm; this client reads and edits them, and the
// ConfigSyncJob keeps them in sync with the account's other devices.
public sealed partial class SessionClient
{
    private ConfigSyncJob _config = null!;

    private void OpenConfigs()
    {
        _config = new ConfigSyncJob(_identity, _store, NowMs, _log, new UserConfigs(_identity, _store.ConfigDumps()));
        _config.Merged += OnConfigsMerged;
        _config.WakeRequested += () => Wake(ConfigJob);
        // Rooms joined before configs existed (or while offline) belong in UserGroups too.
        var joined = _store.Communities().Select(c => c.Id).ToList();
        if (joined.Count > 0) _config.Edit(c => { foreach (string id in joined) AddCommunityToConfig(c, id); });
        if (!string.IsNullOrEmpty(_options.DisplayName)) _config.Edit(c => c.Profile.SetNameTruncated(_options.DisplayName));
    }

    private TimeSpan _configInterval;

    /// <summary>
    /// The "config" job: one round of config sync; soon again after activity, backing off to
    /// MaxPollInterval when idle (an edit wakes it at once).
    /// </summary>
    private async Task<TimeSpan> ConfigStepAsync(Config.IConfigNetwork network, CancellationToken token)
    {
        bool busy = await _config.StepAsync(network, token).ConfigureAwait(false);
        _configInterval = busy || _configInterval == TimeSpan.Zero ? _options.MinPollInterval : Next(_configInterval);
        return _configInterval;
    }

    /// <summary>The display name from the profile config (null when none is set).</summary>
    public string? DisplayName => Live()._config.Read(c => c.Profile.Name);

    /// <summary>The contacts from the Contacts config, in Session ID order.</summary>
    internal IReadOnlyList<ContactInfo> Contacts() => Live()._config.Read(c => c.Contacts.All());

    /// <summary>
    /// Updates a contact (created when new): null arguments leave a field as it is; an empty
    /// nickname removes it. Synced to the account's other devices; blocking drops the sender's messages.
    /// </summary>
    public void SetContact(string sessionId, string? nickname = null, bool? approved = null, bool? blocked = null)
    {
        Live();
        ArgumentNullException.ThrowIfNull(sessionId);
        SessionId id = Crypto.SessionId.Parse(sessionId, SessionIdPrefix.Standard);
        byte[]? nick = nickname is null ? null : UserText.CheckedName(nickname, "the nickname");
        long nowSeconds = NowMs() / 1000;
        _config.Edit(c =>
        {
            ContactInfo contact = c.Contacts.GetOrConstruct(id.ToString());
            c.Contacts.Set(contact with
            {
                Nickname = nick is null ? contact.Nickname : System.Text.Encoding.UTF8.GetString(nick),
                Approved = approved ?? contact.Approved,
                Blocked = blocked ?? contact.Blocked,
                CreatedSeconds = contact.CreatedSeconds == 0 ? nowSeconds : contact.CreatedSeconds,
            });
        });
    }

    /// <summary>
    /// Marks a conversation (a 05 Session ID, a community conversation id or a 03 group) as read up
    /// to <paramref name="timestampMs"/>; synced to the account's other devices.
    /// </summary>
    public void MarkRead(string conversation, long timestampMs)
    {
        Live();
        ArgumentNullException.ThrowIfNull(conversation);
        if (timestampMs < 0) throw Errors.InvalidArgument("config.bad_timestamp", "a read timestamp is Unix milliseconds");
        long now = NowMs();
        if (CommunityAddress.LooksLikeUrl(conversation))
        {
            CommunityUrl room = CommunityUrl.Parse(CommunityAddress.Parse(conversation).ToString());
            _config.Edit(c => c.Convos.SetCommunity(room.BaseUrl, room.Room, room.PublicKey, timestampMs, false, now));
            return;
        }
        SessionId id = Crypto.SessionId.Parse(conversation);
        switch (id.Prefix)
        {
            case SessionIdPrefix.Standard:
                _config.Edit(c => c.Convos.SetOneToOne(id.ToString(), timestampMs, false, now));
                // Reading starts the timers of after-read disappearing messages (issue 14).
                StartAfterReadTimers(_store.UnreadAfterRead(id.ToString(), timestampMs, now), now);
                break;
            case SessionIdPrefix.Group: _config.Edit(c => c.Convos.SetGroup(id.ToString(), timestampMs, false, now)); break;
            default: throw Errors.InvalidArgument("config.bad_conversation", "read state is kept for 05 and 03 conversations and communities");
        }
    }

    /// <summary>The last-read time of a conversation from the config (0 when unknown).</summary>
    public long LastRead(string conversation)
    {
        Live();
        if (CommunityAddress.LooksLikeUrl(conversation))
        {
            CommunityUrl room = CommunityUrl.Parse(CommunityAddress.Parse(conversation).ToString());
            return _config.Read(c => c.Convos.GetCommunity(room.BaseUrl, room.Room)?.LastReadMs ?? 0);
        }
        SessionId id = Crypto.SessionId.Parse(conversation);
        return _config.Read(c => id.Prefix == SessionIdPrefix.Group
            ? c.Convos.GetGroup(id.ToString())?.LastReadMs ?? 0
            : c.Convos.GetOneToOne(id.ToString())?.LastReadMs ?? 0);
    }

    // ------------------------------------------------------------------ hooks used by the other parts

    /// <summary>The name sent with messages: the profile's, else the one given in the options.</summary>
    private string? NameToSend() => _config.Read(c => c.Profile.Name) ?? _options.DisplayName;

    private bool IsBlocked(SessionId sender) => _config.Read(c => c.Contacts.Get(sender.ToString())?.Blocked ?? false);

    /// <summary>Sending to someone approves them (as the apps do when you write first or reply to a request).</summary>
    private void ApproveOnSend(SessionId recipient)
    {
        if (recipient == _identity.SessionId) return;
        long nowSeconds = NowMs() / 1000;
        _config.Edit(c =>
        {
            ContactInfo contact = c.Contacts.GetOrConstruct(recipient.ToString());
            if (!contact.Approved)
                c.Contacts.Set(contact with { Approved = true, CreatedSeconds = contact.CreatedSeconds == 0 ? nowSeconds : contact.CreatedSeconds });
        });
    }

    /// <summary>A message from a contact we approved means they accepted us too.</summary>
    private void NoteApprovedMe(SessionId sender)
    {
        _config.Edit(c =>
        {
            if (c.Contacts.Get(sender.ToString()) is { Approved: true, ApprovedMe: false } contact)
                c.Contacts.Set(contact with { ApprovedMe = true });
        });
    }

    private void AddCommunityToConfig(UserConfigs c, string conversation)
    {
        try
        {
            CommunityUrl room = CommunityUrl.Parse(conversation);
            if (c.Groups.GetCommunity(room.BaseUrl, room.Room) is null)
                c.Groups.SetCommunity(new CommunityInfo(room.BaseUrl, room.Room, room.PublicKey) { JoinedAtSeconds = NowMs() / 1000 });
        }
        catch (SessionException e)
        {
            // A host the config format cannot name (e.g. without a dot) stays local to this device.
            ClientLog.DroppedMessage(_log, e.Code);
        }
    }

    private void RemoveCommunityFromConfig(string conversation)
    {
        try
        {
            CommunityUrl room = CommunityUrl.Parse(conversation);
            _config.Edit(c => c.Groups.EraseCommunity(room.BaseUrl, room.Room));
        }
        catch (SessionException) { /* never was in the config */ }
    }

    /// <summary>After another device changed UserGroups: join and leave rooms so this device matches.</summary>
    private void OnConfigsMerged(IReadOnlyCollection<int> namespaces)
    {
        if (!namespaces.Contains(5)) return;
        var wanted = _config.Read(c => c.Groups.Communities().Select(ci => ci.ConversationId).ToList())
            .Select(id => CommunityAddress.Parse(id)).ToDictionary(a => a.ToString());
        var joined = _store.Communities().Select(c => c.Id).ToHashSet();
        foreach (var (id, address) in wanted)
            if (!joined.Contains(id)) _store.AddCommunity(id, address.ServerKey, NowMs());
        foreach (string id in joined)
            if (!wanted.ContainsKey(id)) _store.RemoveCommunity(id);
        WakeCommunities();
        AdoptGroupsFromConfig();
    }
}
