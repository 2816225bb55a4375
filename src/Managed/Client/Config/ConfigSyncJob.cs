using Microsoft.Extensions.Logging;
using SessionInterop.Config;
using SessionInterop.Crypto;
using SessionInterop.Network.Client;
using SessionInterop.State;

namespace SessionInterop.Client.Config;

/// <summary>
/// Keeps the account's user configs in sync with its swarm (protocol-config.md §1.4-1.5, §3.10):
/// each step polls namespaces 2, 3, 5, 4 in one signed batch (extending the TTL of the current
/// versions), merges what arrived, then pushes local changes in one sequence (stores with the
/// 30-day TTL, then a delete of the superseded versions), and confirms them. Dumps, cursors and
/// the CONFIG_CHANGED events of each step are saved in one transaction.
///
/// A self-contained job: it exists from the client's open (so the app can read and edit configs
/// offline); <see cref="StepAsync"/> is one round, run by the client's EngineRunner as the
/// "config" job (which classifies its failures and retries with backoff). Edits from the app go
/// through <see cref="Edit"/> (any thread); they are saved at once and wake the job.
/// </summary>
internal sealed class ConfigSyncJob
{
    /// <summary>TTL of stored config messages (desktop's TTL_DEFAULT.CONFIG_MESSAGE).</summary>
    public const long ConfigTtlMs = 30L * 24 * 3600 * 1000;

    /// <summary>A sequence holds at most 20 sub-requests (storage server limit).</summary>
    private const int MaxSubRequests = 20;

    private readonly object _gate = new();
    private readonly Identity _account;
    private readonly StateStore _store;
    private readonly Func<long> _nowMs;
    private readonly ILogger _log;
    private byte[]? _edSecretKey;

    public ConfigSyncJob(Identity account, StateStore store, Func<long> nowMs, ILogger log, UserConfigs configs)
    {
        _account = account;
        _store = store;
        _nowMs = nowMs;
        _log = log;
        Configs = configs;
    }

    /// <summary>The configs; read them only inside <see cref="Read"/> or <see cref="Edit"/>.</summary>
    private UserConfigs Configs { get; }

    /// <summary>Reads the configs under the job's lock.</summary>
    public T Read<T>(Func<UserConfigs, T> read)
    {
        lock (_gate) return read(Configs);
    }

    /// <summary>
    /// Changes the configs under the job's lock; when anything changed (a no-op edit changes
    /// nothing) saves it and wakes the loop to push it. True when something changed.
    /// </summary>
    public bool Edit(Action<UserConfigs> edit)
    {
        lock (_gate)
        {
            edit(Configs);
            if (!Configs.All.Any(c => c.NeedsDump)) return false;
            SaveLocked(new Dictionary<int, string>(), []);
        }
        Wake();
        return true;
    }

    /// <summary>Raised (any thread) when an edit wants the next step now instead of after the current pause.</summary>
    public event Action? WakeRequested;

    private void Wake() => WakeRequested?.Invoke();

    /// <summary>Raised (on the job's thread, after saving) with the namespaces that another device changed.</summary>
    public event Action<IReadOnlyCollection<int>>? Merged;

    // ------------------------------------------------------------------ one round

    /// <summary>One round: poll and merge, then push. True when something arrived or was pushed.</summary>
    public async Task<bool> StepAsync(IConfigNetwork network, CancellationToken token)
    {
        bool received = await PollAsync(network, token).ConfigureAwait(false);
        bool pushed = await PushAsync(network, token).ConfigureAwait(false);
        ConfigLog.StepDone(_log, received, pushed);
        return received || pushed;
    }

    private ReadOnlyMemory<byte> EdSecretKey() => _edSecretKey ??= _account.Ed25519SecretKey.ToArray();

    /// <summary>Zeroes the copy of the signing key (call when the job is done for good).</summary>
    public void Dispose()
    {
        if (_edSecretKey is not null) Interop.LibSodium.Zero(_edSecretKey);
    }

    // ------------------------------------------------------------------ poll and merge

    private async Task<bool> PollAsync(IConfigNetwork network, CancellationToken token)
    {
        List<int> namespaces;
        List<string> keepAlive;
        lock (_gate)
        {
            namespaces = Configs.All.Select(c => c.Namespace).ToList();
            keepAlive = Configs.All.SelectMany(c => c.ActiveHashes()).Distinct().ToList();
        }
        // Cursors are per swarm member, as for the inbox: each member lists in its own order.
        IReadOnlyList<RetrieveResult> results = await network.RetrieveConfigsAsync(EdSecretKey(), _account.SessionId.ToString(),
            namespaces, _store.LastHash, keepAlive, _nowMs() + ConfigTtlMs, token).ConfigureAwait(false);
        string node = results.FirstOrDefault()?.NodeEd25519Hex ?? "";

        var changedNamespaces = new List<int>();
        int received = 0;
        lock (_gate)
        {
            var events = new List<SessionEvent>();
            var moved = new Dictionary<int, string>();
            long now = _nowMs();
            for (int i = 0; i < namespaces.Count; i++)
            {
                RetrieveResult result = results[i];
                if (result.Messages.Count == 0) continue;
                ConfigObject config = Configs.ByNamespace(namespaces[i]);
                var before = config.Entries().ToDictionary(e => e.Conversation, e => e.Fingerprint);
                var messages = new List<(string, byte[])>();
                foreach (RetrievedMessage m in result.Messages)
                {
                    try { messages.Add((m.Hash, Convert.FromBase64String(m.Data))); }
                    catch (FormatException) { /* not base64: not a config */ }
                }
                config.Merge(messages, now);
                received += result.Messages.Count;
                moved[config.Namespace] = result.Messages[^1].Hash;
                int count = events.Count;
                events.AddRange(Changes(config, before, now));
                if (events.Count > count) changedNamespaces.Add(config.Namespace);
            }
            SaveLocked(moved, events, node);
        }
        if (received > 0) ConfigLog.Merged(_log, received, changedNamespaces.Count);
        if (changedNamespaces.Count > 0) Merged?.Invoke(changedNamespaces);
        return received > 0 || results.Any(r => r.More);
    }

    /// <summary>One CONFIG_CHANGED event (value = namespace) per entry that differs from before.</summary>
    private static IEnumerable<SessionEvent> Changes(ConfigObject config, Dictionary<string, byte[]> before, long now)
    {
        var after = config.Entries().ToDictionary(e => e.Conversation, e => e.Fingerprint);
        foreach (string conversation in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            bool same = before.TryGetValue(conversation, out byte[]? a) && after.TryGetValue(conversation, out byte[]? b) && a.AsSpan().SequenceEqual(b);
            if (!same)
                yield return SessionEvent.Create(EventType.ConfigChanged, timestampMs: now, value: config.Namespace, conversation: conversation);
        }
    }

    // ------------------------------------------------------------------ push, confirm, delete

    private async Task<bool> PushAsync(IConfigNetwork network, CancellationToken token)
    {
        List<(ConfigObject Config, ConfigPush Push)> pushes;
        lock (_gate)
        {
            long now = _nowMs();
            pushes = Configs.All.Where(c => c.NeedsPush || c.HasObsolete).Select(c => (c, c.Push(now))).ToList();
            SaveLocked(new Dictionary<int, string>(), []);
        }
        if (pushes.Count == 0) return false;

        var stores = pushes.SelectMany(p => p.Push.Messages.Select(m => (p.Config.Namespace, Convert.ToBase64String(m)))).ToList();
        var obsolete = pushes.SelectMany(p => p.Push.Obsolete).Distinct().ToList();
        IReadOnlyList<string> hashes;
        try
        {
            hashes = await StoreInSequencesAsync(network, stores, obsolete, token).ConfigureAwait(false);
        }
        catch
        {
            // Nothing was confirmed: Waiting configs push the same bytes again; the obsolete hashes wait too.
            lock (_gate)
            {
                foreach (var (config, push) in pushes) config.RestoreObsolete(push.Obsolete);
                SaveLocked(new Dictionary<int, string>(), []);
            }
            throw;
        }
        lock (_gate)
        {
            int at = 0;
            foreach (var (config, push) in pushes)
            {
                config.ConfirmPushed(push.Seqno, hashes.Skip(at).Take(push.Messages.Count));
                at += push.Messages.Count;
            }
            SaveLocked(new Dictionary<int, string>(), []);
        }
        ConfigLog.Pushed(_log, stores.Count, obsolete.Count);
        return true;
    }

    /// <summary>Stores in sequences of at most 20; the delete rides with the last one, so it runs only after every store.</summary>
    private async Task<IReadOnlyList<string>> StoreInSequencesAsync(IConfigNetwork network, List<(int Namespace, string Data)> stores, List<string> obsolete, CancellationToken token)
    {
        var hashes = new List<string>();
        int at = 0;
        do
        {
            int room = MaxSubRequests - (obsolete.Count > 0 ? 1 : 0);
            bool last = stores.Count - at <= room;
            var chunk = stores.Skip(at).Take(last ? room : MaxSubRequests).ToList();
            hashes.AddRange(await network.StoreConfigsAsync(EdSecretKey(), _account.SessionId.ToString(), chunk,
                last ? obsolete : [], ConfigTtlMs, token).ConfigureAwait(false));
            at += chunk.Count;
        } while (at < stores.Count);
        return hashes;
    }

    private void SaveLocked(Dictionary<int, string> moved, List<SessionEvent> events, string node = "")
    {
        var dumps = Configs.All.Where(c => c.NeedsDump).ToDictionary(c => c.Namespace, c => c.Dump());
        _store.SaveConfigState(dumps, node, moved, events, _nowMs());
    }
}

internal static partial class ConfigLog
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Debug, Message = "Config sync: merged {Messages} messages, {Changed} configs changed")]
    public static partial void Merged(ILogger logger, int messages, int changed);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Debug, Message = "Config sync: stored {Stores} messages, deleted {Deleted} superseded")]
    public static partial void Pushed(ILogger logger, int stores, int deleted);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Trace, Message = "Config sync step done (received: {Received}, pushed: {Pushed})")]
    public static partial void StepDone(ILogger logger, bool received, bool pushed);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Warning, Message = "Config sync step failed ({Code}); retrying later")]
    public static partial void StepFailed(ILogger logger, string code);
}
