using System.Reflection;
using System.Text.Json;
using SessionInterop.Client;
using SessionInterop.Client.Engine;
using SessionInterop.Network.Client;

namespace SessionInterop.Fuzz;

/// <summary>
/// The community poll: the real SessionClient (real SQLite state in a temp dir) handles a /batch
/// reply whose body is the fuzz input. SOGS JSON is read inside the community job, so this drives the
/// job's private poll step (PollServerAsync) through reflection, with a network that answers with
/// the input. The contract is the engine's failure classification: a hostile reply must be peer
/// garbage (or a network failure), never an unexpected exception.
/// </summary>
internal static class SogsBatch
{
    private static readonly Lazy<(SessionClient Client, MethodInfo Poll, object Rooms, string ServerKey)> State = new(Create);
    private static readonly ReplyNetwork Network = new();
    private static int _runs;

    public static void Run(byte[] body)
    {
        var (client, poll, rooms, serverKey) = State.Value;
        Network.Body = body;
        try
        {
            ((Task)poll.Invoke(client, [rooms, serverKey, CancellationToken.None])!).GetAwaiter().GetResult();
        }
        catch (Exception e) when (Failure.Of(e).Kind is FailureKind.PeerGarbage or FailureKind.Network)
        {
            // The engine drops a garbage reply with a WARN and polls again. Anything it would classify
            // as Internal (a bug: IndexOutOfRange, NullReference, ...) escapes and is a crash here.
        }
        // Events would pile up in memory over millions of runs: drain them now and then.
        if (++_runs % 256 == 0)
        {
            client.Poll(int.MaxValue);
            client.ReleaseEvents();
        }
    }

    private static (SessionClient, MethodInfo, object, string) Create()
    {
        string dir = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"sogs-fuzz-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, true); } catch (IOException) { } };
        var options = new SessionClientOptions { DataDirectory = dir, Seed = new byte[32], SeedUrls = ["https://127.0.0.1:1/"] };
        SessionClient client = SessionClient.Open(options, (_, _) => Network);
        string room1 = client.JoinCommunity($"http://127.0.0.1:8080/lobby?public_key={Keys.ServerPkHex}");
        string room2 = client.JoinCommunity($"http://127.0.0.1:8080/other?public_key={Keys.ServerPkHex}");

        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        typeof(SessionClient).GetField("_network", Private)!.SetValue(client, Network);
        MethodInfo poll = typeof(SessionClient).GetMethod("PollServerAsync", Private)
            ?? throw new MissingMethodException("SessionClient.PollServerAsync moved: update tests/fuzz/managed/SogsBatch.cs");
        var rooms = new List<(CommunityAddress, long)> { (CommunityAddress.Parse(room1), 0L), (CommunityAddress.Parse(room2), 5L) };
        return (client, poll, rooms, CommunityAddress.Parse(room1).ServerKey);
    }

    /// <summary>Answers every server request with 200 and the current fuzz input.</summary>
    private sealed class ReplyNetwork : ISwarmNetwork
    {
        public byte[] Body = [];
        public event Action<ConnectionState>? StateChanged { add { } remove { } }
        public long NowMs => 1_700_000_000_000;

        public Task<StoreResult> StoreAsync(string accountId05, int ns, string base64Data, long ttlMs, CancellationToken cancellationToken) =>
            throw Errors.Network("fuzz.no_swarm", "the fuzz network has no swarm");

        public Task<RetrieveResult> RetrieveAsync(ReadOnlyMemory<byte> ed25519SecretKey, string accountId05, int ns,
            Func<string, string?> lastHashAt, string? preferredNode, CancellationToken cancellationToken) =>
            throw Errors.Network("fuzz.no_swarm", "the fuzz network has no swarm");

        public Task<ServerResponse> SendToServerAsync(ServerTarget server, ServerRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(new ServerResponse(200, new Dictionary<string, string>(), Body));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
