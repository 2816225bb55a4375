using SessionInterop.Client;
using SessionInterop.State;

namespace SessionInterop.Cli;

/// <summary>
/// The parsed command line: --data, --seed-url and --help anywhere, verb words and per-verb flags
/// in order (a flag that takes a value is listed in <see cref="ValueFlags"/>).
/// </summary>
internal sealed class CommonOptions
{
    private static readonly HashSet<string> ValueFlags = ["--data", "--seed-url", "--count", "--timeout"];
    private static readonly HashSet<string> BoolFlags = ["--json", "--phrase", "--help", "-h"];

    internal string? DataDirectory { get; private set; }
    internal string? SeedUrl { get; private set; }
    internal bool Help { get; private set; }
    internal List<string> Verb { get; } = [];
    private readonly Dictionary<string, string> _values = [];
    private readonly HashSet<string> _flags = [];

    internal static CommonOptions Parse(string[] args)
    {
        var o = new CommonOptions();
        bool positionalOnly = false;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (positionalOnly || !a.StartsWith('-') || a == "-") { o.Verb.Add(a); continue; }
            if (a == "--") { positionalOnly = true; continue; }
            if (ValueFlags.Contains(a))
            {
                if (i + 1 >= args.Length) throw new UsageException($"{a} needs a value");
                o._values[a] = args[++i];
            }
            else if (BoolFlags.Contains(a)) o._flags.Add(a);
            else throw new UsageException($"unknown option {a}");
        }
        o.Help = o._flags.Contains("--help") || o._flags.Contains("-h");
        o.DataDirectory = o._values.GetValueOrDefault("--data") ?? Environment.GetEnvironmentVariable("SESSION_DATA");
        o.SeedUrl = o._values.GetValueOrDefault("--seed-url") ?? Environment.GetEnvironmentVariable("SESSION_SEED_URL");
        return o;
    }

    internal bool Flag(string name) => _flags.Contains(name);

    internal int Number(string name, int fallback)
    {
        if (!_values.TryGetValue(name, out string? text)) return fallback;
        if (!int.TryParse(text, out int value) || value < 0) throw new UsageException($"{name} needs a non-negative number");
        return value;
    }

    /// <summary>Prints the verb's help and returns true when --help was given.</summary>
    internal bool ShowHelp(string text)
    {
        if (!Help) return false;
        Console.Out.WriteLine(text);
        return true;
    }

    internal string RequireDataDirectory() =>
        DataDirectory ?? throw new UsageException("--data DIR is required (or set SESSION_DATA)");

    /// <summary>True when DIR already holds an identity (so show/decode never create one).</summary>
    internal bool HasIdentity() => File.Exists(StateStore.DatabasePath(RequireDataDirectory()));

    /// <summary>Options for SessionClient.Open: this data directory and seed, quick polling like the examples.</summary>
    internal SessionClientOptions ClientOptions()
    {
        var options = new SessionClientOptions
        {
            DataDirectory = RequireDataDirectory(),
            MinPollInterval = TimeSpan.FromMilliseconds(200),
            MaxPollInterval = TimeSpan.FromSeconds(1),
        };
        if (SeedUrl is not null)
        {
            options.SeedUrls = [SeedUrl];
            // LocalNet's certificates are self-signed; accept that only for a seed on this machine.
            var host = Uri.TryCreate(SeedUrl, UriKind.Absolute, out Uri? uri) ? uri.Host : "";
            options.AcceptSelfSignedCertificates = host == "localhost" || host.StartsWith("127.", StringComparison.Ordinal);
        }
        return options;
    }
}
