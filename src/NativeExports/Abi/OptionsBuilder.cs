using Microsoft.Extensions.Logging;
using SessionInterop.Client;

namespace SessionInterop.NativeExports.Abi;

/// <summary>What a session_options handle holds: every setter copies into it.</summary>
internal sealed class OptionsBuilder
{
    internal string? DataDirectory;
    internal byte[]? DatabaseKey;
    internal byte[]? Seed;
    internal List<string>? SeedUrls;
    internal bool AcceptSelfSigned;
    internal string? DisplayName;
    internal string? FileServerUrl;
    internal string? FileServerPublicKey;
    // Unset knobs keep SessionClientOptions' defaults.
    internal int? MaxPendingSends;
    internal int? MinPollMs;
    internal int? MaxPollMs;
    internal int ShutdownTimeoutMs = 2_000;
    internal int? MaxReadyEvents;
    internal int? MaxLogEvents;
    internal int? ClockToleranceMs;
    internal UserCallback? Log;
    internal LogLevel LogMin = LogLevel.None;
    internal LogLevel LogEventsMin = LogLevel.None;
    internal UserCallback? Wakeup;

    /// <summary>The i64 knobs session_options_set_i64 accepts; any other key is SESSION_E_UNSUPPORTED.</summary>
    internal void SetInt(string key, long value)
    {
        int Positive(int max) => value is > 0 && value <= int.MaxValue && value <= max
            ? (int)value
            : throw Errors.InvalidArgument("options.bad_value", $"{key} must be between 1 and {max}");
        switch (key)
        {
            case "send.max_pending": MaxPendingSends = Positive(1_000_000); break;
            case "poll.min_interval_ms": MinPollMs = Positive(600_000); break;
            case "poll.max_interval_ms": MaxPollMs = Positive(600_000); break;
            case "shutdown.timeout_ms": ShutdownTimeoutMs = Positive(60_000); break;
            case "events.max_ready": MaxReadyEvents = Positive(10_000_000); break;
            case "events.max_log": MaxLogEvents = Positive(10_000_000); break;
            case "replay.clock_tolerance_ms": ClockToleranceMs = Positive(86_400_000); break;
            case "tls.accept_self_signed": AcceptSelfSigned = value != 0; break;
            default: throw Errors.Unsupported("options.unknown_key", $"unknown option key '{key}'");
        }
    }

    internal SessionClientOptions ToClientOptions(ILoggerFactory loggers, Action? wakeup, Client.Engine.CallbackGate callbacks)
    {
        var options = new SessionClientOptions
        {
            DataDirectory = DataDirectory ?? throw Errors.InvalidArgument("options.no_data_dir", "set a data directory with session_options_set_data_dir"),
            DatabaseKey = DatabaseKey,
            Seed = Seed,
            AcceptSelfSignedCertificates = AcceptSelfSigned,
            DisplayName = DisplayName,
            LoggerFactory = loggers,
            Wakeup = wakeup,
            Callbacks = callbacks,
            ShutdownTimeout = TimeSpan.FromMilliseconds(ShutdownTimeoutMs),
        };
        // Without seed URLs the client keeps its default: the Session mainnet seeds.
        if (SeedUrls is { Count: > 0 }) options.SeedUrls = [.. SeedUrls];
        if (FileServerUrl is not null && FileServerPublicKey is not null)
        {
            options.FileServerUrl = FileServerUrl;
            options.FileServerPublicKey = FileServerPublicKey;
        }
        if (MaxPendingSends is int pending) options.MaxPendingSends = pending;
        if (MinPollMs is int min) options.MinPollInterval = TimeSpan.FromMilliseconds(min);
        if (MaxPollMs is int max) options.MaxPollInterval = TimeSpan.FromMilliseconds(max);
        if (MaxReadyEvents is int ready) options.MaxReadyEvents = ready;
        if (MaxLogEvents is int logs) options.MaxLogEvents = logs;
        if (ClockToleranceMs is int tolerance) options.ClockTolerance = TimeSpan.FromMilliseconds(tolerance);
        if (options.MaxPollInterval < options.MinPollInterval) options.MaxPollInterval = options.MinPollInterval;
        return options;
    }

    internal void ReplaceSeed(byte[] seed)
    {
        if (Seed is not null) Interop.LibSodium.Zero(Seed);
        Seed = seed;
    }

    internal void ReplaceDatabaseKey(byte[] key)
    {
        if (DatabaseKey is not null) Interop.LibSodium.Zero(DatabaseKey);
        DatabaseKey = key;
    }

    /// <summary>Releases the callbacks this builder holds (clients made from it keep their own hold).</summary>
    internal void Release()
    {
        Log?.Release();
        Wakeup?.Release();
        if (DatabaseKey is not null) Interop.LibSodium.Zero(DatabaseKey);
        if (Seed is not null) Interop.LibSodium.Zero(Seed);
    }
}
