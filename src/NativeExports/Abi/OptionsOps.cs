using Microsoft.Extensions.Logging;

namespace SessionInterop.NativeExports.Abi;

/// <summary>Bodies of the option setters (kept out of the exports so each stays a thin shim).</summary>
internal static unsafe class OptionsOps
{
    internal static OptionsBuilder Get(nint options) => Handles.Options.Get(options);

    internal static void SetLog(nint options, int minLevel, void* fn, void* user, delegate* unmanaged[Cdecl]<void*, void> freeUser)
    {
        OptionsBuilder o = Get(options);
        LogLevel min = CheckLevel(minLevel);
        o.Log?.Release();
        o.Log = fn == null ? null : new UserCallback(fn, user, freeUser);
        o.LogMin = fn == null ? LogLevel.None : min;
    }

    internal static void SetWakeup(nint options, void* fn, void* user, delegate* unmanaged[Cdecl]<void*, void> freeUser)
    {
        OptionsBuilder o = Get(options);
        o.Wakeup?.Release();
        o.Wakeup = fn == null ? null : new UserCallback(fn, user, freeUser);
    }

    internal static LogLevel CheckLevel(int level) =>
        level is >= 0 and <= 5 ? NativeLoggerProvider.ToLogLevel(level)
        : throw Errors.InvalidArgument("options.bad_log_level", "the log level must be a session_log_level");

    internal static void AddSeedUrl(nint options, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("https" or "http"))
            throw Errors.InvalidArgument("options.bad_seed_url", "a seed URL must be an absolute http(s) URL");
        (Get(options).SeedUrls ??= []).Add(url);
    }
}
