using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace SessionInterop.Client.Engine;

/// <summary>What kind of trouble an exception in background work is, which decides what happens next.</summary>
internal enum FailureKind
{
    /// <summary>The network failed (no path, timeout, 5xx): retry the item with backoff.</summary>
    Network,
    /// <summary>The destination itself refused (SESSION_E_REMOTE): complete the item with that error, no retry.</summary>
    Remote,
    /// <summary>A peer answered garbage (not JSON, short arrays, nulls): drop the item with a WARN.</summary>
    PeerGarbage,
    /// <summary>The local database or disk failed: SESSION_E_STORAGE; the job backs off and tries again.</summary>
    Storage,
    /// <summary>Anything else is our bug: SESSION_E_INTERNAL; the item completes with it, the job goes on.</summary>
    Internal,
}

/// <summary>A classified failure: its kind, the status the app sees and a stable dotted code.</summary>
internal readonly record struct Failure(FailureKind Kind, SessionStatus Status, string Code, string Message)
{
    /// <summary>Classifies any exception raised by background work (never throws).</summary>
    internal static Failure Of(Exception e) => e switch
    {
        SqliteException sqlite => Of(State.StorageErrors.Translate(sqlite)),
        AggregateException { InnerException: { } inner } => Of(inner),
        SessionException { Status: SessionStatus.ERemote } se => new(FailureKind.Remote, se.Status, se.Code, se.Message),
        SessionException { Status: SessionStatus.EStorage or SessionStatus.EBadStateData } se => new(FailureKind.Storage, se.Status, se.Code, se.Message),
        SessionException se when se.IsTransient || se.Status == SessionStatus.ECancelled || se.Code == "network.clock_out_of_sync"
            => new(FailureKind.Network, se.Status, se.Code, se.Message),
        // A refusal or a decoding failure of what a peer sent: the item is bad, not the job.
        SessionException se => new(FailureKind.PeerGarbage, se.Status, se.Code, se.Message),
        IOException or ObjectDisposedException
            => new(FailureKind.Storage, SessionStatus.EStorage, "storage.failed", Errors.Describe(e)),
        HttpRequestException or TimeoutException or OperationCanceledException
            => new(FailureKind.Network, SessionStatus.ENetwork, "network.failed", Errors.Describe(e)),
        JsonException or FormatException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException
            or ArgumentException or OverflowException or InvalidCastException
            => new(FailureKind.PeerGarbage, SessionStatus.ENetwork, "peer.bad_reply", Errors.Describe(e)),
        _ => new(FailureKind.Internal, SessionStatus.EInternal, "internal.unexpected", Errors.Describe(e)),
    };
}
