using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SessionInterop.LocalNet.Tests.Support;

/// <summary>
/// A client's log, kept in memory: tests count what a job logged (a drop, a sync step) or print
/// every line to explain a failure. <paramref name="who"/> names the client in printed lines.
/// </summary>
internal sealed class CapturingLogs(string who = "") : ILoggerFactory, ILogger
{
    private readonly ConcurrentQueue<(DateTime At, LogLevel Level, string Text)> _lines = new();

    /// <summary>Lines starting with <paramref name="prefix"/> (any level).</summary>
    public int Count(string prefix) => _lines.Count(l => l.Text.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Warnings starting with <paramref name="prefix"/>.</summary>
    public int Warnings(string prefix) => _lines.Count(l => l.Level == LogLevel.Warning && l.Text.StartsWith(prefix, StringComparison.Ordinal));

    public List<string> Errors => _lines.Where(l => l.Level >= LogLevel.Error).Select(l => l.Text).ToList();

    /// <summary>Every line with its time, the client's name and level (merge several clients' by sorting).</summary>
    public IEnumerable<string> Printed() => _lines.Select(l => $"{l.At:HH:mm:ss.fff} {who} {l.Level} {l.Text}");

    public ILogger CreateLogger(string categoryName) => this;
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue((DateTime.UtcNow, logLevel, formatter(state, exception)));
}
