using System.Collections.Concurrent;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using SessionInterop.Client;
using SessionInterop.Crypto;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using SessionInterop.State;

namespace SessionInterop.Tests.Client;

/// <summary>
/// Community servers are outside parties: a malformed reply may fail one poll or one send, but the
/// client's loops must go on. These reproduce exceptions the SOGS handling inside the client loops
/// let escape before the engine runner (found by the sogs-batch fuzz target, by review for issue 13
/// and by the soak).
/// </summary>
public sealed class HostileServerReplyTests
{
    private static readonly Identity s_server = Identity.FromSeed(Enumerable.Repeat((byte)7, 32).ToArray());
    private static readonly string s_serverKey = Convert.ToHexStringLower(s_server.X25519PublicKey);
    private static readonly string s_room = $"http://127.0.0.1:9/lobby?public_key={s_serverKey}";
    private readonly List<string> _dirs = [];
    private ErrorLog _errors = new();

    [SetUp]
    public void NewLog() => _errors = new ErrorLog();

    [TearDown]
    public void RemoveDirectories()
    {
        SqliteConnection.ClearAllPools();
        foreach (string d in _dirs) Directory.Delete(d, recursive: true);
        _dirs.Clear();
    }

    [Test]
    public void A_post_acknowledged_with_a_body_that_is_not_json_does_not_stop_the_outbox()
    {
        var network = new ScriptedServerNetwork { ScriptedEndpoint = "/room/lobby/message" };
        network.Replies.Enqueue(new ServerResponse(201, new Dictionary<string, string>(), "<html>oops</html>"u8.ToArray()));
        using SessionClient client = Open(network);
        client.JoinCommunity(s_room);
        client.Start();
        client.Send(s_room, "to the room");
        Thread.Sleep(500);
        ulong direct = client.Send(Identity.Generate().SessionId.ToString(), "1:1 after the bad reply");
        DrainUntil(client, seen => seen.Any(e => e.Type == EventType.RequestDone && e.RequestId == direct),
            "the 1:1 send after a non-JSON community reply never completed: the outbox loop ended (JsonException)");
    }

    [Test]
    public void A_batch_reply_with_too_few_parts_does_not_stop_community_polling()
    {
        var network = new ScriptedServerNetwork();
        network.Replies.Enqueue(Ok("[]"));
        network.Fallback = Ok(BatchWithPost("after the short reply"));
        using SessionClient client = Open(network);
        client.JoinCommunity(s_room);
        client.Start();
        DrainUntil(client, seen => seen.Any(e => e.Type == EventType.Message),
            "no room message after a short /batch reply: the community poll loop ended (IndexOutOfRangeException)");
    }

    [Test]
    public void An_inbox_item_whose_message_is_null_does_not_stop_community_polling()
    {
        var network = new ScriptedServerNetwork();
        Identity peer = Identity.Generate();
        string nullMessage = $$"""{"id":1,"posted_at":1700000000,"sender":"{{peer.Blinded15(s_server.X25519PublicKey).Id}}","recipient":"{{peer.Blinded15(s_server.X25519PublicKey).Id}}","message":null}""";
        network.Replies.Enqueue(Ok($$$"""[{"code":200,"body":{}},{"code":200,"body":{}},{"code":200,"body":[]},{"code":200,"body":[{{{nullMessage}}}]}]"""));
        network.Fallback = Ok(BatchWithPost("after the null inbox message"));
        using SessionClient client = Open(network);
        client.JoinCommunity(s_room);
        client.Start();
        DrainUntil(client, seen => seen.Any(e => e.Type == EventType.Message),
            "no room message after an inbox item with \"message\":null: the community poll loop ended (ArgumentNullException)");
    }

    // The soak (tests/soak) found this: a sender killed after the server stored its post, but before
    // the outbox row completed, posts the same signed bytes again on restart (a lost reply does the
    // same); SOGS gives the copy a new id, and every member sees the message twice.
    [Test]
    public void The_same_signed_post_stored_twice_by_a_retrying_sender_is_delivered_once()
    {
        var network = new ScriptedServerNetwork();
        using Identity author = Identity.Generate();
        CommunityPost post = CommunityMessages.EncodePost(author, s_server.X25519PublicKey, Messages.Text("once"), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        string Item(int id) => $$"""{"id":{{id}},"seqno":{{id}},"session_id":"{{author.Blinded15(s_server.X25519PublicKey).Id}}","posted":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},"data":"{{post.Data}}","signature":"{{post.Signature}}"}""";
        network.Replies.Enqueue(Ok($$$"""[{"code":200,"body":{}},{"code":200,"body":{}},{"code":200,"body":[{{{Item(1)}}},{{{Item(2)}}}]},{"code":200,"body":[]}]"""));
        using SessionClient client = Open(network);
        client.JoinCommunity(s_room);
        client.Start();
        var seen = new List<SessionEvent>();
        DrainUntil(client, s => { seen = s; return s.Any(e => e.Type == EventType.Message); }, "the post never arrived");
        Thread.Sleep(1000);
        seen.AddRange(client.Poll(64));
        Assert.That(seen.Count(e => e.Type == EventType.Message), Is.EqualTo(1), "one signed post, one MESSAGE");
    }

    // ------------------------------------------------------------------ helpers

    private static ServerResponse Ok(string json) => new(200, new Dictionary<string, string>(), Encoding.UTF8.GetBytes(json));

    private static string BatchWithPost(string text)
    {
        using Identity author = Identity.Generate();
        CommunityPost post = CommunityMessages.EncodePost(author, s_server.X25519PublicKey, Messages.Text(text), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        string item = $$"""{"id":1,"seqno":1,"session_id":"{{author.Blinded15(s_server.X25519PublicKey).Id}}","posted":{{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}},"data":"{{post.Data}}","signature":"{{post.Signature}}"}""";
        return $$$"""[{"code":200,"body":{}},{"code":200,"body":{}},{"code":200,"body":[{{{item}}}]},{"code":200,"body":[]}]""";
    }

    private SessionClient Open(ISwarmNetwork network)
    {
        string dir = Directory.CreateTempSubdirectory("session-hostile-server-").FullName;
        _dirs.Add(dir);
        return SessionClient.Open(new SessionClientOptions
        {
            DataDirectory = dir,
            MinPollInterval = TimeSpan.FromMilliseconds(20),
            MaxPollInterval = TimeSpan.FromMilliseconds(100),
            LoggerFactory = _errors,
        }, (_, _) => network);
    }

    private void DrainUntil(SessionClient client, Func<List<SessionEvent>, bool> done, string failure)
    {
        var seen = new List<SessionEvent>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!done(seen))
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"{failure}; errors logged: {string.Join(" | ", _errors.Lines)}");
            client.Wait(TimeSpan.FromMilliseconds(100));
            seen.AddRange(client.Poll(64));
        }
    }

    /// <summary>Keeps the client's Error-level log lines (a crashed loop logs one), to show why a test failed.</summary>
    private sealed class ErrorLog : ILoggerFactory, ILogger
    {
        public readonly ConcurrentQueue<string> Lines = new();
        public ILogger CreateLogger(string categoryName) => this;
        public void AddProvider(ILoggerProvider provider) { }
        public void Dispose() { }
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error) Lines.Enqueue(formatter(state, exception));
        }
    }

    /// <summary>A swarm (FakeSwarm) plus a community server: requests to ScriptedEndpoint get the scripted replies first, everything else Fallback.</summary>
    private sealed class ScriptedServerNetwork : ISwarmNetwork
    {
        private readonly FakeSwarmNetwork _swarm = new(new FakeSwarm());
        public readonly ConcurrentQueue<ServerResponse> Replies = new();
        public string ScriptedEndpoint = "/batch";
        public ServerResponse Fallback = Ok("""[{"code":200,"body":{}},{"code":200,"body":{}},{"code":200,"body":[]},{"code":200,"body":[]}]""");

        public event Action<ConnectionState>? StateChanged { add => _swarm.StateChanged += value; remove => _swarm.StateChanged -= value; }
        public long NowMs => _swarm.NowMs;

        public Task<StoreResult> StoreAsync(string accountId05, int ns, string base64Data, long ttlMs, CancellationToken cancellationToken) =>
            _swarm.StoreAsync(accountId05, ns, base64Data, ttlMs, cancellationToken);

        public Task<RetrieveResult> RetrieveAsync(ReadOnlyMemory<byte> ed25519SecretKey, string accountId05, int ns,
            Func<string, string?> lastHashAt, string? preferredNode, CancellationToken cancellationToken) =>
            _swarm.RetrieveAsync(ed25519SecretKey, accountId05, ns, lastHashAt, preferredNode, cancellationToken);

        public Task<ServerResponse> SendToServerAsync(ServerTarget server, ServerRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(request.Endpoint == ScriptedEndpoint && Replies.TryDequeue(out ServerResponse? next) ? next : Fallback);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
