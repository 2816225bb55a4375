namespace SessionInterop.Cli;

/// <summary>The CLI's exit codes (also in `session --help` and the README).</summary>
internal static class ExitCodes
{
    internal const int Ok = 0;
    /// <summary>The library refused or failed (message on stderr).</summary>
    internal const int Error = 1;
    /// <summary>Bad command line.</summary>
    internal const int Usage = 2;
    /// <summary>send: the network refused the message or the library gave up on it.</summary>
    internal const int NotDelivered = 3;
    /// <summary>send: no confirmation within --timeout (the message stays queued in --data); listen: --count not reached.</summary>
    internal const int TimedOut = 4;
    /// <summary>id show / decode: --data holds no identity.</summary>
    internal const int NoIdentity = 5;
}

/// <summary>A command-line mistake: printed with a hint, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
