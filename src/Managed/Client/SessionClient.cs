using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SessionInterop.Crypto;
using SessionInterop.Network.Client;
using SessionInterop.State;

namespace SessionInterop.Client;

/// <summary>
/// One identity's messenger: the facade the app (or the C ABI) uses. Opening does no network I/O;
/// Start runs the background loops (outbox sender, inbox poller) on library threads. Everything
/// the app learns arrives as events drained with Poll on the app's own thread.
/// Thread-safe, except that Poll/Release must be called by one thread at a time.
/// </summary>
public sealed partial class SessionClient : IAsyncDisposable, IDisposable
{
    /// <summary>Largest text accepted by Send, in UTF-8 bytes (what always fits one stored message).</summary>
    public const int MaxTextBytes = 30_000;

    /// <summary>TTL of a 1:1 content message: 14 days, as the official apps store them.</summary>
    public const long MessageTtlMs = 14L * 24 * 3600 * 1000;

    /// <summary>Longest display name, in UTF-8 bytes (the apps allow 100 characters).</summary>
    public const int MaxDisplayNameBytes = 400;

    private readonly SessionClientOptions _options;
    private readonly StateStore _store;
    private readonly Identity _identity;
    private readonly EventQueue _events;
    private readonly ILogger _log;
    private readonly Func<SessionClientOptions, ILogger, ISwarmNetwork> _networkFactory;
    private readonly SemaphoreSlim _outboxSignal = new(0, 1);
    private readonly object _lifecycle = new();
    private ISwarmNetwork? _network;
    private CancellationTokenSource? _stopping;
    private Task? _loops;
    private long _lastSentTimestamp;
    private int _pendingSends;
    private bool _disposed;

    private SessionClient(SessionClientOptions options, StateStore store, Identity identity,
        Func<SessionClientOptions, ILogger, ISwarmNetwork> networkFactory)
    {
        _options = options;
        _store = store;
        _identity = identity;
        _networkFactory = networkFactory;
        _log = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("SessionInterop.Client");
        _events = new EventQueue(store, options.Wakeup is null ? null : () =>
        {
            try { options.Wakeup(); } catch { /* an app callback must not break our loops */ }
        });
        _pendingSends = store.OutboxCount();
        OpenConfigs();
    }

    /// <summary>
    /// Opens (or creates) the identity in options.DataDirectory. No network I/O happens here.
    /// A new directory gets options.Seed / RecoveryPhrase, or a fresh random identity.
    /// </summary>
    public static SessionClient Open(SessionClientOptions options) => Open(options, OnionSwarmNetwork.Create);

    internal static SessionClient Open(SessionClientOptions options, Func<SessionClientOptions, ILogger, ISwarmNetwork> networkFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Copy();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
            throw Errors.InvalidArgument("options.no_data_dir", "a data directory is required");
        if (options.Seed is not null && options.RecoveryPhrase is not null)
            throw Errors.InvalidArgument("options.two_identities", "give a seed or a recovery phrase, not both");
        if (options.SeedUrls.Count == 0)
            throw Errors.InvalidArgument("options.no_seeds", "at least one seed URL is required");

        StateStore store = StateStore.Open(options.DataDirectory);
        try
        {
            Identity identity = LoadOrCreateIdentity(store, options);
            var client = new SessionClient(options, store, identity, networkFactory);
            ClientLog.Opened(client._log, identity.SessionId.ToShortString(), Schema.CurrentVersion);
            return client;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    private static Identity LoadOrCreateIdentity(StateStore store, SessionClientOptions options)
    {
        byte[] key = options.DatabaseKey ?? [];
        if (store.LoadIdentity() is { } saved)
        {
            byte[] seed = IdentityProtector.Open(saved.SealedSeed, key);
            try
            {
                Identity identity = Identity.FromSeed(seed);
                if (identity.SessionId.ToString() != saved.SessionId)
                    throw Errors.BadStateData("state.identity_corrupt", "the stored identity does not match its Session ID");
                if (RequestedIdentity(options) is { } requested)
                {
                    using (requested)
                    {
                        if (requested.SessionId != identity.SessionId)
                            throw Errors.WrongState("state.other_identity", "the data directory holds a different identity");
                    }
                }
                return identity;
            }
            finally { Interop.LibSodium.Zero(seed); }
        }

        Identity fresh = RequestedIdentity(options) ?? Identity.Generate();
        store.SaveIdentity(fresh.SessionId.ToString(), IdentityProtector.Seal(fresh.Seed, key));
        return fresh;
    }

    private static Identity? RequestedIdentity(SessionClientOptions options) =>
        options.Seed is not null ? Identity.FromSeed(options.Seed)
        : options.RecoveryPhrase is not null ? Identity.FromRecoveryPhrase(options.RecoveryPhrase)
        : null;

    /// <summary>This client's Session ID ("05…").</summary>
    public string SessionId => _identity.SessionId.ToString();

    /// <summary>The recovery phrase. Sensitive.</summary>
    public string RecoveryPhrase() => Live()._identity.ToRecoveryPhrase();

    /// <summary>The network in use once started (tests inject faults at its guards).</summary>
    internal ISwarmNetwork? Network => _network;

    /// <summary>Sends waiting to be stored (accepted by Send, not yet completed).</summary>
    public int PendingSends => Volatile.Read(ref _pendingSends);

    // ------------------------------------------------------------------ lifecycle

    /// <summary>Starts networking on library threads. Progress arrives as CONNECTION events.</summary>
    public void Start()
    {
        lock (_lifecycle)
        {
            Live();
            if (_loops is not null) throw Errors.WrongState("client.started", "the client is already started");
            _network = _networkFactory(_options, _log);
            _network.StateChanged += state =>
                _events.AddTransient(SessionEvent.Create(EventType.Connection, timestampMs: NowMs(), value: (long)state));
            _stopping = new CancellationTokenSource();
            CancellationToken token = _stopping.Token;
            var loops = new List<Task>
            {
                Task.Run(() => RunLoopAsync("outbox", SendLoopAsync, token)),
                Task.Run(() => RunLoopAsync("inbox", PollLoopAsync, token)),
                Task.Run(() => RunLoopAsync("community", CommunityPollLoopAsync, token)),
            };
            if (_network is Config.IConfigNetwork configNetwork)
                loops.Add(Task.Run(() => RunLoopAsync("config", t => _config.RunAsync(configNetwork, t), token)));
            _loops = Task.WhenAll(loops);
            ClientLog.Started(_log, _identity.SessionId.ToShortString());
        }
    }

    /// <summary>
    /// Asks the background loops to stop; returns at once. A STOPPED event follows when they have.
    /// Messages still in the outbox stay there and are sent after the next Start.
    /// </summary>
    public void Stop()
    {
        lock (_lifecycle)
        {
            Live();
            if (_loops is null || _stopping!.IsCancellationRequested) throw Errors.WrongState("client.not_started", "the client is not running");
            _stopping.Cancel();
            Task loops = _loops;
            _ = loops.ContinueWith(_ =>
            {
                _events.AddTransient(SessionEvent.Create(EventType.Stopped, timestampMs: NowMs()));
                ClientLog.Stopped(_log, _identity.SessionId.ToShortString());
            }, TaskScheduler.Default);
        }
    }

    // ------------------------------------------------------------------ sending

    /// <summary>
    /// Queues a text message to a Session ID and returns its request id. Validation happens here, on
    /// the caller's thread; the message is encrypted and persisted before this returns, and exactly
    /// one REQUEST_DONE event with this id follows (once the client is started).
    /// </summary>
    public ulong Send(string to, string text)
    {
        Live();
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(text);
        if (CommunityAddress.LooksLikeUrl(to)) return SendToCommunity(to, text);
        SessionId recipient = Crypto.SessionId.Parse(to, SessionIdPrefix.Standard);
        int bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxTextBytes)
            throw Errors.TooLarge("message.too_large", $"the text is {bytes} bytes; the limit is {MaxTextBytes}");
        if (Volatile.Read(ref _pendingSends) >= _options.MaxPendingSends)
            throw new SessionException(SessionStatus.EQueueFull, "send.queue_full", "too many messages are waiting to be sent; retry later");

        long timestamp = NextSendTimestamp();
        string data = Protocol.MessageCodec.EncodeForRecipient(_identity, recipient, TextContent.Build(text, NameToSend()), timestamp);
        ulong id = _store.EnqueueSend(recipient.ToString(), (int)OutboxKind.Text, Encoding.ASCII.GetBytes(data), timestamp, NowMs());
        Interlocked.Increment(ref _pendingSends);
        ClientLog.SendQueued(_log, id, recipient.ToShortString());
        WakeOutbox();
        ApproveOnSend(recipient);
        return id;
    }

    /// <summary>
    /// A sent timestamp that is strictly increasing per client: receivers de-duplicate by
    /// (sender, timestamp), so two messages in the same millisecond must not share one.
    /// </summary>
    private long NextSendTimestamp()
    {
        long now = NowMs();
        while (true)
        {
            long last = Volatile.Read(ref _lastSentTimestamp);
            long next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _lastSentTimestamp, next, last) == last) return next;
        }
    }

    // ------------------------------------------------------------------ events

    /// <summary>
    /// Returns up to max ready events without blocking, and acknowledges the previous batch
    /// (acknowledged events are never delivered again, even after a restart).
    /// </summary>
    public IReadOnlyList<SessionEvent> Poll(int max)
    {
        Live();
        if (max <= 0) return [];
        return _events.Poll(max);
    }

    /// <summary>Acknowledges the last batch without fetching another.</summary>
    public void ReleaseEvents() => Live()._events.Acknowledge();

    /// <summary>Blocks up to timeout until an event is ready or Interrupt is called (true); false on timeout.</summary>
    public bool Wait(TimeSpan timeout) => Live()._events.Wait(timeout);

    /// <summary>Wakes a thread blocked in Wait. Any thread.</summary>
    public void Interrupt() => Live()._events.Interrupt();

    /// <summary>Queues a LOG event (log-as-events mode); transient, never persisted.</summary>
    public void AddLogEvent(int level, string category, string message) =>
        _events.AddTransient(SessionEvent.Create(EventType.Log, timestampMs: _options.Time.GetUtcNow().ToUnixTimeMilliseconds(),
            value: level, conversation: category, text: Encoding.UTF8.GetBytes(message)));

    /// <summary>
    /// Changes the display name sent with later messages, and the profile config's name (which the
    /// account's other devices show; the config keeps at most 100 bytes, cut on a character boundary).
    /// </summary>
    public void SetDisplayName(string? name)
    {
        Live();
        if (name is not null && Encoding.UTF8.GetByteCount(name) > MaxDisplayNameBytes)
            throw Errors.TooLarge("profile.name_too_long", $"a display name is at most {MaxDisplayNameBytes} bytes");
        _options.DisplayName = string.IsNullOrEmpty(name) ? null : name;
        _config.Edit(c => c.Profile.SetNameTruncated(_options.DisplayName));
    }

    /// <summary>True when Poll would return something.</summary>
    public bool HasEvents => _events.HasEvents;

    // ------------------------------------------------------------------ disposal

    /// <summary>Stops (waiting up to 2 s for the loops), acknowledges delivered events, closes the database and wipes keys.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? loops;
        lock (_lifecycle)
        {
            if (_disposed) return;
            _disposed = true;
            _stopping?.Cancel();
            loops = _loops;
        }
        if (loops is not null)
        {
            try { await loops.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false); }
            catch (Exception) { /* timed out or cancelled: the loops observe cancellation and end */ }
        }
        if (_network is not null) await _network.DisposeAsync().ConfigureAwait(false);
        _events.Close();
        _store.Dispose();
        _config.Dispose();
        _identity.Dispose();
        ZeroSecretKeyCopy();
        _stopping?.Dispose();
    }

    /// <summary>Synchronous twin of DisposeAsync (blocks up to about 2 s).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private long NowMs() => _network?.NowMs ?? _options.Time.GetUtcNow().ToUnixTimeMilliseconds();

    private SessionClient Live()
    {
        if (_disposed) throw Errors.InvalidHandle("session_client");
        return this;
    }

    private void WakeOutbox()
    {
        try { _outboxSignal.Release(); }
        catch (SemaphoreFullException) { /* already signalled */ }
    }

    private async Task RunLoopAsync(string name, Func<CancellationToken, Task> loop, CancellationToken token)
    {
        try { await loop(token).ConfigureAwait(false); }
        catch (OperationCanceledException) when (token.IsCancellationRequested) { }
        catch (Exception e)
        {
            // A bug must not take the host down; report it and leave the loop.
            ClientLog.LoopCrashed(_log, name, e.GetType().Name, e.Message);
        }
    }
}

/// <summary>What an outbox row carries.</summary>
internal enum OutboxKind
{
    Text = 1,
    CommunityPost = 2,
    CommunityDm = 3,
}
