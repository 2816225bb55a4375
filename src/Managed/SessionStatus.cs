namespace SessionInterop;

/// <summary>
/// Status codes returned by every fallible function. 0 is success; callers must treat any unknown
/// non-zero value as a failure. Values are forever: never renumbered or reused.
/// </summary>
[CEnum("session_status", "SESSION_")]
public enum SessionStatus
{
    /// <summary>Success.</summary>
    Ok = 0,
    /// <summary>A caller bug detectable at the call site (bad length, bad format, bad flag).</summary>
    EInvalidArgument = 1,
    /// <summary>A required pointer was NULL.</summary>
    ENullPointer = 2,
    /// <summary>A freed, stale, forged or wrong-type handle.</summary>
    EInvalidHandle = 3,
    /// <summary>A string was not valid UTF-8.</summary>
    EInvalidUtf8 = 4,
    /// <summary>The caller's buffer is too small; the needed size was written to the size out-parameter.</summary>
    EBufferTooSmall = 5,
    /// <summary>A message or payload is over the size limit.</summary>
    ETooLarge = 6,
    /// <summary>The thing asked for does not exist.</summary>
    ENotFound = 7,
    /// <summary>The object is not in a state that allows this call (not started, stopping, re-entrant call).</summary>
    EWrongState = 8,
    /// <summary>Unknown option key, unknown flag bits, or a struct newer than the library with non-zero extra bytes.</summary>
    EUnsupported = 9,
    /// <summary>Outbound backpressure: too many requests pending; retry later.</summary>
    EQueueFull = 10,
    /// <summary>A network failure (unreachable node, bad response).</summary>
    ENetwork = 20,
    /// <summary>The operation timed out.</summary>
    ETimeout = 21,
    /// <summary>The operation was cancelled.</summary>
    ECancelled = 22,
    /// <summary>The destination server refused the request for good (e.g. a community whose key does not match); retrying cannot help.</summary>
    ERemote = 23,
    /// <summary>A local storage (database, file) failure.</summary>
    EStorage = 30,
    /// <summary>Corrupt or unknown-version saved state.</summary>
    EBadStateData = 31,
    /// <summary>The key protecting saved state is wrong.</summary>
    EWrongKey = 32,
    /// <summary>A cryptographic failure: decryption or signature verification failed, or a key is invalid.</summary>
    ECrypto = 40,
    /// <summary>Out of memory.</summary>
    EOutOfMemory = 90,
    /// <summary>An unexpected internal error was caught at the boundary.</summary>
    EInternal = 99,
}
