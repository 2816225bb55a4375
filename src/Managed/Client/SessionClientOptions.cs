using Microsoft.Extensions.Logging;

namespace SessionInterop.Client;

/// <summary>Everything a <see cref="SessionClient"/> is opened with. Copied at open: later changes have no effect.</summary>
public sealed class SessionClientOptions
{
    /// <summary>Directory holding this identity's state database (created if missing). Required.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>Key protecting the identity at rest (up to 64 bytes; use 32 random bytes). Optional.</summary>
    public byte[]? DatabaseKey { get; set; }

    /// <summary>Identity to create in a new data directory: a 16- or 32-byte seed. Optional.</summary>
    public byte[]? Seed { get; set; }

    /// <summary>Identity to create in a new data directory, as a recovery phrase. Optional.</summary>
    public string? RecoveryPhrase { get; set; }

    /// <summary>Seed node URLs to bootstrap from; mainnet by default, a LocalNet's SEED_URL in tests.</summary>
    public IReadOnlyList<string> SeedUrls { get; set; } = Network.Client.SnodeNetworkOptions.MainnetSeeds;

    /// <summary>
    /// Accept self-signed TLS certificates from seeds and nodes (LocalNet). Mainnet seeds are
    /// always checked against their pinned certificates.
    /// </summary>
    public bool AcceptSelfSignedCertificates { get; set; }

    /// <summary>
    /// The file server attachments and avatars are uploaded to, and where URLs naming the official
    /// file server's host are fetched from: the official one by default, a LocalNet's FILE_SERVER_URL
    /// in tests (with <see cref="FileServerPublicKey"/>).
    /// </summary>
    public string FileServerUrl { get; set; } = Attachments.FileServerUrls.OfficialUrl;

    /// <summary>The file server's X25519 public key, 64 hex (LocalNet prints FILE_SERVER_PUBKEY).</summary>
    public string FileServerPublicKey { get; set; } = Attachments.FileServerUrls.OfficialX25519;

    /// <summary>Display name sent with visible messages (the recipient's app shows it). Optional.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Sends accepted but not yet stored, beyond which Send fails with SESSION_E_QUEUE_FULL.</summary>
    public int MaxPendingSends { get; set; } = 10_000;

    /// <summary>How long a message is retried before it completes with SESSION_E_TIMEOUT.</summary>
    public TimeSpan SendGiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Fastest and slowest polling of the inbox (adaptive: fast after activity, slow when idle).</summary>
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Slowest polling of the inbox when nothing arrives.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Ready events beyond which the inbox and community polling pause until the app drains
    /// (messages stay on the network meanwhile); polling resumes by itself. Completions and
    /// connection changes are never held back.
    /// </summary>
    public int MaxReadyEvents { get; set; } = 10_000;

    /// <summary>LOG events kept for the app (log-as-events); newer records are dropped beyond it.</summary>
    public int MaxLogEvents { get; set; } = 1_000;

    /// <summary>
    /// How far a sender's clock may be off. A message sent longer ago than its maximum lifetime
    /// (14 days) plus this is a replay and is dropped; seen keys are kept that long.
    /// </summary>
    public TimeSpan ClockTolerance { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long Dispose waits for background work to stop before closing the database.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>First and longest rest of a background job after a failure (doubling in between).</summary>
    public TimeSpan RetryMinBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest rest of a background job after failures (short: a poller must notice the network is back).</summary>
    public TimeSpan RetryMaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive failures of a job after which one ERROR event reports it (storage and internal failures: at once).</summary>
    public int ReportErrorAfter { get; set; } = 3;

    /// <summary>The gate app callbacks pass (the C ABI shares it with its log sink); one per client when null.</summary>
    internal Engine.CallbackGate? Callbacks { get; set; }

    /// <summary>
    /// How long one onion request may take before the client gives up on it. Must exceed the
    /// network's relay timeout (30 s), so that a relay's 504 (which says who failed) arrives first;
    /// null = the network default (35 s). Tests against a LocalNet with a short relay timeout shorten it.
    /// </summary>
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary>Where logs go; nothing is logged when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Called from an internal thread (never the app's, never under a library lock) when the event
    /// queue goes from empty to non-empty. Must only signal (set a flag, write an eventfd); never
    /// call back into the client from it. Never called after Dispose returns.
    /// </summary>
    public Action? Wakeup { get; set; }

    /// <summary>Clock for timestamps and retries (tests inject a fake one).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    internal SessionClientOptions Copy() => (SessionClientOptions)MemberwiseClone();
}
