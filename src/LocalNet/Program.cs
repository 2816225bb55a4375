using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using SessionInterop.LocalNet;

// session-localnet [--nodes N] [--swarm-size S] [--data DIR] [--seed-port P] [--admin-port P] [--node-port P] [...] (--help)
// Prints SEED_URL=…, ADMIN_URL=…, DATA_DIR=…, COMMUNITY_URL=…, FILE_SERVER_URL=…, FILE_SERVER_PUBKEY=…, then READY on stdout; logs go to stderr.
// Runs until SIGINT/SIGTERM, then stops cleanly with exit code 0.

var options = new LocalNetOptions();
var rooms = new List<string> { "lobby" };
for (int i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    int Int() => int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--nodes": options.Nodes = Int(); break;
        case "--swarm-size": options.SwarmSize = Int(); break;
        case "--data": options.DataDirectory = Path.GetFullPath(Value()); break;
        case "--seed-port": options.SeedPort = Int(); break;
        case "--admin-port": options.AdminPort = Int(); break;
        case "--node-port": options.NodePort = Int(); break;
        case "--room": rooms.Add(Value()); break;
        case "--community-port": options.CommunityPort = Int(); break;
        case "--file-server-port": options.FileServerPort = Int(); break;
        case "--relay-timeout-ms": options.RelayTimeout = TimeSpan.FromMilliseconds(Int()); break;
        case "--replication-delay-ms": options.ReplicationDelay = TimeSpan.FromMilliseconds(Int()); break;
        case "--replication-jitter-ms": options.ReplicationJitter = TimeSpan.FromMilliseconds(Int()); break;
        case "-h" or "--help":
            Console.WriteLine("usage: session-localnet [--nodes N] [--swarm-size S] [--data DIR] [--seed-port P] [--admin-port P] [--node-port P] [--room NAME]... [--community-port P] [--file-server-port P] [--relay-timeout-ms MS] [--replication-delay-ms MS] [--replication-jitter-ms MS]");
            return 0;
        default:
            Console.Error.WriteLine($"session-localnet: unknown argument {args[i]} (try --help)");
            return 2;
    }
}

options.CommunityRooms = rooms.Distinct().ToList();

using ILoggerFactory loggerFactory = LoggerFactory.Create(b => b
    .SetMinimumLevel(LogLevel.Information)
    .AddSimpleConsole(o => o.SingleLine = true)
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace) // stdout carries only the machine-readable lines
    .AddFilter("Microsoft", LogLevel.Warning));
options.LoggerFactory = loggerFactory;

var stop = new TaskCompletionSource();
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true; // we exit on our own, cleanly
    stop.TrySetResult();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

await using (LocalNetwork network = await LocalNetwork.StartAsync(options))
{
    Console.Out.WriteLine($"SEED_URL={network.SeedUrl}");
    Console.Out.WriteLine($"ADMIN_URL={network.AdminUrl}");
    Console.Out.WriteLine($"DATA_DIR={network.DataDirectory}");
    Console.Out.WriteLine($"COMMUNITY_URL={network.CommunityUrl()}");
    Console.Out.WriteLine($"FILE_SERVER_URL={network.FileServerUrl}");
    Console.Out.WriteLine($"FILE_SERVER_PUBKEY={network.FileServerPublicKeyHex}");
    Console.Out.WriteLine("READY");
    Console.Out.Flush();
    await stop.Task;
}
return 0;
