using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Data.Sqlite;
using SessionInterop.Client.Engine;
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
    private readonly DataDirectoryLock _directoryLock;
    private readonly Identity _identity;
    private readonly EventQueue _events;
    private readonly CallbackGate _callbacks;
    private readonly ILogger _log;
    private readonly Func<SessionClientOptions, ILogger, ISwarmNetwork> _networkFactory;
    private readonly object _lifecycle = new();
    private readonly object _sendOrder = new(); // sent time taken and row stored together (per-recipient order)
    private ISwarmNetwork? _network;
    private ClientRun? _run;
    private long _lastSentTimestamp;
    private int _pendingSends;
    private bool _disposed;

    private SessionClient(SessionClientOptions options, DataDirectoryLock directoryLock, StateStore store, Identity identity,
        Func<SessionClientOptions, ILogger, ISwarmNetwork> networkFactory)
    {
        _options = options;
        _directoryLock = directoryLock;
        _store = store;
        _identity = identity;
        _networkFactory = networkFactory;
        _callbacks = options.Callbacks ?? new CallbackGate();
        _log = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("SessionInterop.Client");
        Action? appWakeup = options.Wakeup;
        // One wakeup for both faces: Events() (SessionClient.Async.cs) and the app's callback.
        _events = new EventQueue(store, () => { SignalEventsReady(); appWakeup?.Invoke(); }, _callbacks, options.MaxLogEvents);
        _events.AcknowledgeFailed += e => ReportFailure("events", Failure.Of(e));
        _pendingSends = store.OutboxCount();
        OpenConfigs();
        OpenGroups();
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
        SessionInterop.Network.Client.OnionRequestBuilder.ParseKey(ServerTarget.FromUrl(options.FileServerUrl, options.FileServerPublicKey).X25519PublicKeyHex);

        StateStore.EnsureDirectory(options.DataDirectory);
        DataDirectoryLock directoryLock = DataDirectoryLock.Acquire(options.DataDirectory);
        StateStore? store = null;
        try
        {
            store = StateStore.Open(options.DataDirectory);
            Identity identity = LoadOrCreateIdentity(store, options);
            // Received text waits in the events table sealed under a key only this identity (or the app's key) gives.
            store.Sealer = new EventSealer(options.DatabaseKey is { Length: > 0 } dbKey ? dbKey : identity.Seed);
            var client = new SessionClient(options, directoryLock, store, identity, networkFactory);
            ClientLog.Opened(client._log, identity.SessionId.ToShortString(), Schema.CurrentVersion);
            return client;
        }
        catch (SqliteException e)
        {
            store?.Dispose();
            directoryLock.Dispose();
            throw StorageErrors.Translate(e);
        }
        catch
        {
            store?.Dispose();
            directoryLock.Dispose();
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

    /// <summary>
    /// Starts networking on library threads (again after Stop: what was queued is sent). Progress
    /// arrives as CONNECTION events. Never blocks: a run still winding down ends on its own.
    /// </summary>
    public void Start()
    {
        lock (_lifecycle)
        {
            Live();
            if (_run is { StoppingRequested: false }) throw Errors.WrongState("client.started", "the client is already started");
            ISwarmNetwork network = _networkFactory(_options, _log);
            network.StateChanged += state =>
                _events.AddTransient(SessionEvent.Create(EventType.Connection, timestampMs: NowMs(), value: (long)state));
            _network = network;
            var runner = new EngineRunner(Jobs(network),
                new EngineOptions(_options.RetryMinBackoff, _options.RetryMaxBackoff, _options.ReportErrorAfter),
                ReportFailure, _log);
            var stopping = new CancellationTokenSource();
            _run = new ClientRun(runner, network, stopping, runner.RunAsync(stopping.Token));
            ClientLog.Started(_log, _identity.SessionId.ToShortString());
        }
    }

    /// <summary>
    /// Asks the background jobs to stop; returns at once. A STOPPED event follows when they have.
    /// Messages still in the outbox stay there and are sent after the next Start.
    /// </summary>
    public void Stop()
    {
        lock (_lifecycle)
        {
            Live();
            if (_run is not { StoppingRequested: false } run) throw Errors.WrongState("client.not_started", "the client is not running");
            run.Stopping.Cancel();
            _ = run.Jobs.ContinueWith(async _ =>
            {
                await DisposeNetworkAsync(run.Network).ConfigureAwait(false);
                _events.AddTransient(SessionEvent.Create(EventType.Stopped, timestampMs: NowMs()));
                ClientLog.Stopped(_log, _identity.SessionId.ToShortString());
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
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
        if (IsGroupId(to)) return SendToGroup(to, text);
        return SendMessage(to, new OutgoingMessage(OutgoingKind.Text) { Text = text });
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

    /// <summary>Poll into a list the caller reuses (the C ABI's frame loop): no allocation per call.</summary>
    internal void PollInto(List<SessionEvent> batch, int max)
    {
        Live();
        batch.Clear();
        if (max > 0) _events.PollInto(batch, max);
    }

    /// <summary>Acknowledges the last batch without fetching another.</summary>
    public void ReleaseEvents() => Live()._events.Acknowledge();

    /// <summary>Blocks up to timeout until an event is ready or Interrupt is called (true); false on timeout.</summary>
    public bool Wait(TimeSpan timeout) => Live()._events.Wait(timeout);

    /// <summary>Wakes a thread blocked in Wait. Any thread.</summary>
    public void Interrupt() => Live()._events.Interrupt();

    /// <summary>Queues a LOG event (log-as-events mode); transient, never persisted, at most MaxLogEvents waiting.</summary>
    public void AddLogEvent(int level, string category, string message) =>
        _events.AddLog(SessionEvent.Create(EventType.Log, timestampMs: _options.Time.GetUtcNow().ToUnixTimeMilliseconds(),
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
        string? previous = NameToSend();
        _options.DisplayName = string.IsNullOrEmpty(name) ? null : name;
        if (previous != _options.DisplayName) _store.SetProfileUpdated(NowMs() / 1000);
        _config.Edit(c => c.Profile.SetNameTruncated(_options.DisplayName));
    }

    /// <summary>True when Poll would return something.</summary>
    public bool HasEvents => _events.HasEvents;

    // ------------------------------------------------------------------ disposal

    /// <summary>
    /// Shuts down in a fixed order: cancel the jobs, wait for them at most ShutdownTimeout, close
    /// the callback gate (no wakeup or log callback runs after this returns), write pending
    /// acknowledgements, then close the network, the database and the directory lock and wipe keys.
    /// Never throws.
    /// </summary>
    public void Dispose()
    {
        ClientRun? run;
        lock (_lifecycle)
        {
            if (_disposed) return;
            _disposed = true;
            run = _run;
            run?.Stopping.Cancel();
        }
        if (run is not null)
        {
            try { run.Jobs.Wait(_options.ShutdownTimeout); }
            catch (Exception) { /* the runner never faults; a stuck job observes cancellation later */ }
        }
        _callbacks.Close();
        _events.Close();
        if (run is not null)
        {
            try { DisposeNetworkAsync(run.Network).Wait(_options.ShutdownTimeout); }
            catch (Exception) { /* bounded: the network's own disposal ends on its own */ }
        }
        _store.Dispose();
        _config.Dispose();
        DisposeGroups();
        _directoryLock.Dispose();
        _identity.Dispose();
        run?.Stopping.Dispose();
    }

    /// <summary>Asynchronous form of Dispose (which blocks at most about twice ShutdownTimeout).</summary>
    public ValueTask DisposeAsync() => new(Task.Run(Dispose));

    private static async Task DisposeNetworkAsync(ISwarmNetwork network)
    {
        try { await network.DisposeAsync().ConfigureAwait(false); }
        catch (Exception) { /* closing sockets must not fail a shutdown */ }
    }

    private long NowMs() => _network?.NowMs ?? _options.Time.GetUtcNow().ToUnixTimeMilliseconds();

    private SessionClient Live()
    {
        if (_disposed) throw Errors.InvalidHandle("session_client");
        return this;
    }

    /// <summary>A database call on the app's thread: SQLite failures become clear statuses.</summary>
    private static T StorageCall<T>(Func<T> call)
    {
        try { return call(); }
        catch (SqliteException e) { throw StorageErrors.Translate(e); }
    }

    /// <summary>
    /// Tells the app (an ERROR event, transient) and the log that background work failed in a way
    /// it should know about. The library goes on trying.
    /// </summary>
    private void ReportFailure(string source, Failure failure)
    {
        EngineLog.Reported(_log, source, failure.Code, failure.Status);
        _events.AddTransient(SessionEvent.Create(EventType.Error, status: failure.Status, timestampMs: NowMs(),
            value: (long)failure.Status, conversation: source, text: Encoding.UTF8.GetBytes(failure.Code), errorCode: failure.Code));
    }

    /// <summary>One Start's worth of background work: its jobs, its network and its cancellation.</summary>
    private sealed record ClientRun(EngineRunner Runner, ISwarmNetwork Network, CancellationTokenSource Stopping, Task Jobs)
    {
        internal bool StoppingRequested => Stopping.IsCancellationRequested;
    }
}

/// <summary>What an outbox row carries.</summary>
internal enum OutboxKind
{
    /// <summary>A 1:1 text as queued before issue 14 (still sent after an upgrade); new sends are Chat rows.</summary>
    Text = 1,
    CommunityPost = 2,
    CommunityDm = 3,
    /// <summary>A 1:1 message of issue 14's kinds with its TTL and, when it has one, its copy for our own swarm (ChatPayload).</summary>
    Chat = 4,
    /// <summary>Internal: shorten the expiry of a message in our own swarm (after-read timers). No REQUEST_DONE.</summary>
    ExpireOwn = 5,
    /// <summary>Internal: delete a message from our own swarm (unsend). No REQUEST_DONE.</summary>
    DeleteOwn = 6,

    /// <summary>A 1:1 message whose attachments are uploaded first (Client/Attachments/attachment_jobs.proto UploadJob).</summary>
    AttachmentMessage = 10,

    /// <summary>An explicit download of an attachment or avatar (DownloadJob).</summary>
    Download = 11,

    /// <summary>A profile picture to upload and set (AvatarJob).</summary>
    Avatar = 12,

    /// <summary>A room post whose attachments are uploaded to the room first (UploadJob; recipient = the room id).</summary>
    RoomAttachmentPost = 13,
    /// <summary>A text message to a closed group: one store into its swarm, signed when sent (issue 17).</summary>
    GroupMessage = 20,
    /// <summary>Internal: a group action's requests (unrevokes, stores, revokes; Client/Groups). No REQUEST_DONE.</summary>
    GroupInternal = 21,
    /// <summary>Internal: a group invite or promotion, encrypted for the member's inbox when queued. No REQUEST_DONE.</summary>
    GroupDirect = 22,
}
