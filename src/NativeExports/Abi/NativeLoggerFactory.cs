using Microsoft.Extensions.Logging;

namespace SessionInterop.NativeExports.Abi;

/// <summary>
/// The ILoggerFactory a C client's SessionClient logs through: every logger comes straight from its one
/// NativeLoggerProvider, which filters by the levels the app chose. Microsoft.Extensions.Logging's
/// LoggerFactory.Create would build a dependency-injection container for the same result, and linking
/// that container into libsession.so costs size and load time (docs/benchmarks.md, "Library size and load time").
/// </summary>
internal sealed class NativeLoggerFactory(NativeLoggerProvider provider) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider extra) =>
        throw new NotSupportedException("libsession's logger factory has exactly one provider, the C log sink");

    public void Dispose() => provider.Dispose();
}
