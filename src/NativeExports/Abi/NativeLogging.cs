using System.Text;
using Microsoft.Extensions.Logging;
using SessionInterop.Client.Engine;

namespace SessionInterop.NativeExports.Abi;

/// <summary>Log levels of the C API (the values of session_log_level).</summary>
[CEnum("session_log_level", "SESSION_LOG_")]
public enum NativeLogLevel
{
    /// <summary>Step-by-step detail; may contain Session IDs.</summary>
    Trace = 0,
    /// <summary>Diagnostics; may contain Session IDs, never plaintext or keys.</summary>
    Debug = 1,
    /// <summary>Lifecycle: started, stopped, connected. No full Session IDs.</summary>
    Info = 2,
    /// <summary>Something failed and will be retried, or a message was dropped.</summary>
    Warn = 3,
    /// <summary>Something failed for good.</summary>
    Error = 4,
    /// <summary>Nothing is logged.</summary>
    Off = 5,
}

/// <summary>
/// Bridges ILogger to the C log callback (called on any library thread, as documented) and, when
/// asked, to LOG events drained with session_poll (for hosts that cannot take foreign-thread calls).
/// </summary>
internal sealed unsafe class NativeLoggerProvider(UserCallback? callback, LogLevel callbackMin, LogLevel eventMin, CallbackGate gate) : ILoggerProvider
{
    /// <summary>Receives LOG events once the client exists.</summary>
    internal Action<int, string, string>? EventSink { get; set; }

    internal LogLevel Minimum => (LogLevel)Math.Min((int)(callback is null ? LogLevel.None : callbackMin), (int)(EventSink is null && eventMin == LogLevel.None ? LogLevel.None : eventMin));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    internal static LogLevel ToLogLevel(int level) => level switch
    {
        0 => LogLevel.Trace, 1 => LogLevel.Debug, 2 => LogLevel.Information, 3 => LogLevel.Warning, 4 => LogLevel.Error,
        _ => LogLevel.None,
    };

    private static int ToNative(LogLevel level) => level switch
    {
        LogLevel.Trace => 0, LogLevel.Debug => 1, LogLevel.Information => 2, LogLevel.Warning => 3, _ => 4,
    };

    private void Write(LogLevel level, string category, string message)
    {
        if (callback is not null && level >= callbackMin && !gate.IsClosed)
        {
            byte[] cat = Encoding.UTF8.GetBytes(category + "\0");
            byte[] text = Encoding.UTF8.GetBytes(message + "\0");
            gate.Run(() =>
            {
                fixed (byte* c = cat, t = text)
                {
                    var fn = (delegate* unmanaged[Cdecl]<void*, int, byte*, byte*, nuint, void>)callback.Function;
                    fn(callback.User, ToNative(level), c, t, (nuint)(text.Length - 1));
                }
            });
        }
        if (level >= eventMin) EventSink?.Invoke(ToNative(level), category, message);
    }

    private sealed class Logger(NativeLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.Minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            try { provider.Write(logLevel, category, formatter(state, exception)); }
            catch { /* logging must never break the caller */ }
        }
    }
}
