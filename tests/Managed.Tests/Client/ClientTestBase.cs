using System.Text;
using Microsoft.Data.Sqlite;
using NUnit.Framework;
using SessionInterop.Client;
using SessionInterop.Network.Client;
using SessionInterop.State;

namespace SessionInterop.Tests.Client;

/// <summary>
/// What the client tests over the in-memory swarm share: a fresh swarm per test, temporary data
/// directories removed afterwards, a client with fast polling and short backoff, and draining.
/// </summary>
public abstract class ClientTestBase
{
    private readonly List<string> _dirs = [];
    private protected FakeSwarm Swarm { get; private set; } = null!;

    [SetUp]
    public void NewSwarm() => Swarm = new FakeSwarm();

    [TearDown]
    public void RemoveDirectories()
    {
        SqliteConnection.ClearAllPools();
        BeforeRemovingDirectories();
        foreach (string d in _dirs) Directory.Delete(d, recursive: true);
        _dirs.Clear();
    }

    /// <summary>A hook for tests that must undo something (a mount) before the directories go.</summary>
    protected virtual void BeforeRemovingDirectories() { }

    protected string NewDir()
    {
        string dir = Directory.CreateTempSubdirectory("session-client-").FullName;
        _dirs.Add(dir);
        return dir;
    }

    /// <summary>A client on dir (a new directory when null) over the shared fake swarm.</summary>
    private protected SessionClient Open(string? dir = null, Action<SessionClientOptions>? configure = null,
        Func<ServerTarget, ServerRequest, CancellationToken, Task<ServerResponse>>? server = null)
    {
        var options = new SessionClientOptions
        {
            DataDirectory = dir ?? NewDir(),
            MinPollInterval = TimeSpan.FromMilliseconds(20),
            MaxPollInterval = TimeSpan.FromMilliseconds(100),
            RetryMinBackoff = TimeSpan.FromMilliseconds(20),
            RetryMaxBackoff = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        return SessionClient.Open(options, (_, _) => new FakeSwarmNetwork(Swarm, server));
    }

    /// <summary>Drains events until the predicate holds over everything seen, or fails after 30 s.</summary>
    protected static List<SessionEvent> DrainUntil(SessionClient client, Func<List<SessionEvent>, bool> done, List<SessionEvent>? into = null)
    {
        var seen = into ?? [];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!done(seen))
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out; saw {seen.Count} events: {string.Join(", ", seen.Select(e => e.Type + (e.ErrorCode.Length > 0 ? ":" + e.ErrorCode : "")))}");
            client.Wait(TimeSpan.FromMilliseconds(100));
            seen.AddRange(client.Poll(256));
        }
        return seen;
    }

    protected static string Text(SessionEvent e) => Encoding.UTF8.GetString(e.Text);
}
