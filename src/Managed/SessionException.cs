namespace SessionInterop;

/// <summary>
/// The one exception type the library throws for expected failures. It carries the C status code,
/// an open-set dotted code (e.g. "id.bad_prefix") and whether a retry may succeed.
/// </summary>
public sealed class SessionException : Exception
{
    public SessionException(SessionStatus status, string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        Code = code;
    }

    /// <summary>The status code the C ABI returns for this failure.</summary>
    public SessionStatus Status { get; }

    /// <summary>Stable dotted code, e.g. "mnemonic.bad_checksum".</summary>
    public string Code { get; }

    /// <summary>True when the same call may succeed later (network, timeout, queue full).</summary>
    public bool IsTransient => Status is SessionStatus.ENetwork or SessionStatus.ETimeout or SessionStatus.EQueueFull;
}
