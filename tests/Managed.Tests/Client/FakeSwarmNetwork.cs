using System.Collections.Concurrent;
using SessionInterop.Client;
using SessionInterop.Crypto;
using SessionInterop.Network.Client;

namespace SessionInterop.Tests.Client;

/// <summary>
/// An in-memory swarm shared by several clients, with the storage server's behaviour that matters
/// to delivery (hash de-duplication, retrieve after last_hash) and switches to inject faults.
/// </summary>
internal sealed class FakeSwarm
{
    private readonly ConcurrentDictionary<string, List<RetrievedMessage>> _accounts = new();

    /// <summary>Stores fail with a transient network error while this is above zero (decremented per store).</summary>
    public int FailNextStores;

    /// <summary>Stores succeed on the swarm but the reply is lost (transient error) while above zero.</summary>
    public int LoseNextStoreReplies;

    /// <summary>Stores are rejected for good (HTTP 400-like) while set.</summary>
    public bool RejectStores;

    /// <summary>Retrieves fail with a transient error while above zero.</summary>
    public int FailNextRetrieves;

    public int StoreCalls;

    /// <summary>The TTL of the last store per account.</summary>
    public readonly ConcurrentDictionary<string, long> LastTtlMs = new();
    public int RetrieveCalls;

    /// <summary>Makes the next stores to this account throw what the factory returns (a hostile or broken peer), while above zero.</summary>
    public Func<Exception>? StoreFault;
    public string? StoreFaultAccount;

    /// <summary>Retrieves throw what this returns while RetrieveFaults is above zero (garbage replies, bugs).</summary>
    public Func<Exception>? RetrieveFault;
    public int RetrieveFaults;

    /// <summary>
    /// A hostile storage node: while this returns a body for the call number, that body is what the
    /// node answers, and it goes through the client's real reply parser.
    /// </summary>
    public Func<int, string?>? HostileRetrieveBody;

    /// <summary>A slow-drip node: calls for which this is true take this long, then time out.</summary>
    public Func<int, TimeSpan?>? SlowRetrieve;

    /// <summary>Retrieved pages hold at most this many messages.</summary>
    public int PageSize = 50;

    public StoreResult Store(string account, string data, long nowMs, long ttlMs = SessionClient.MessageTtlMs)
    {
        Interlocked.Increment(ref StoreCalls);
        if (StoreFault is { } fault && (StoreFaultAccount is null || StoreFaultAccount == account)) throw fault();
        if (RejectStores) throw Errors.InvalidArgument("network.rpc_rejected", "storage RPC rejected with status 400");
        if (Interlocked.Decrement(ref FailNextStores) >= 0) throw Errors.Network("network.no_path", "injected store failure");
        string hash = StorageMessageHash.Compute(StorageRpc.ParseAccountId(account), 0, Convert.FromBase64String(data));
        List<RetrievedMessage> box = _accounts.GetOrAdd(account, _ => []);
        lock (box)
        {
            if (!box.Any(m => m.Hash == hash)) box.Add(new RetrievedMessage(hash, data, nowMs, nowMs + ttlMs));
            LastTtlMs[account] = ttlMs;
        }
        if (Interlocked.Decrement(ref LoseNextStoreReplies) >= 0) throw Errors.Network("network.timeout", "injected lost reply");
        return new StoreResult(hash, nowMs, []);
    }

    /// <summary>The one member this fake swarm has.</summary>
    public const string Node = "f00d";

    public RetrieveResult Retrieve(string account, string? lastHash)
    {
        Interlocked.Increment(ref RetrieveCalls);
        if (Interlocked.Decrement(ref FailNextRetrieves) >= 0) throw Errors.Network("network.no_path", "injected retrieve failure");
        if (RetrieveFault is { } fault && Interlocked.Decrement(ref RetrieveFaults) >= 0) throw fault();
        List<RetrievedMessage> box = _accounts.GetOrAdd(account, _ => []);
        lock (box)
        {
            int start = lastHash is null ? 0 : box.FindIndex(m => m.Hash == lastHash) + 1;
            return new RetrieveResult(box.Skip(start).Take(PageSize).ToList(), box.Count - start > PageSize, null);
        }
    }

    /// <summary>Puts raw data straight into an inbox, as a hostile peer could.</summary>
    public void Inject(string account, string data, long nowMs, long? expiresMs = null)
    {
        List<RetrievedMessage> box = _accounts.GetOrAdd(account, _ => []);
        lock (box) box.Add(new RetrievedMessage(Guid.NewGuid().ToString("N"), data, nowMs, expiresMs ?? nowMs + 60_000));
    }

    /// <summary>The storage server's delete: the account's messages with these hashes go.</summary>
    public void Delete(string account, IReadOnlyList<string> hashes)
    {
        List<RetrievedMessage> box = _accounts.GetOrAdd(account, _ => []);
        lock (box) box.RemoveAll(m => hashes.Contains(m.Hash));
        Interlocked.Increment(ref DeleteCalls);
    }

    /// <summary>The storage server's expire with "shorten": an expiry only ever moves earlier.</summary>
    public void Shorten(string account, IReadOnlyList<string> hashes, long expiryMs)
    {
        List<RetrievedMessage> box = _accounts.GetOrAdd(account, _ => []);
        lock (box)
            for (int i = 0; i < box.Count; i++)
                if (hashes.Contains(box[i].Hash) && expiryMs < box[i].ExpirationMs) box[i] = box[i] with { ExpirationMs = expiryMs };
        Interlocked.Increment(ref ExpireCalls);
    }

    public int DeleteCalls, ExpireCalls;

    /// <summary>The messages an account's swarm holds now (expired ones included until retrieved).</summary>
    public IReadOnlyList<RetrievedMessage> Messages(string account)
    {
        List<RetrievedMessage> box = _accounts.GetOrAdd(account, _ => []);
        lock (box) return box.ToList();
    }

    public int CountFor(string account) => _accounts.TryGetValue(account, out var box) ? box.Count : 0;
}

internal sealed class FakeSwarmNetwork(FakeSwarm swarm, Func<ServerTarget, ServerRequest, CancellationToken, Task<ServerResponse>>? server = null) : ISwarmNetwork
{
    public Task<ServerResponse> SendToServerAsync(ServerTarget target, ServerRequest request, CancellationToken cancellationToken) =>
        server is null ? throw Errors.Network("network.no_server_route", "no server in this test") : server(target, request, cancellationToken);

    public event Action<ConnectionState>? StateChanged;

    public long NowMs => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public Task<StoreResult> StoreAsync(string accountId05, int ns, string base64Data, long ttlMs, CancellationToken cancellationToken)
    {
        StateChanged?.Invoke(ConnectionState.Connected);
        return Task.FromResult(swarm.Store(accountId05, base64Data, NowMs, ttlMs));
    }

    private int _retrieves;

    public async Task<RetrieveResult> RetrieveAsync(ReadOnlyMemory<byte> ed25519SecretKey, string accountId05, int ns,
        Func<string, string?> lastHashAt, string? preferredNode, CancellationToken cancellationToken)
    {
        int call = Interlocked.Increment(ref _retrieves);
        if (swarm.SlowRetrieve?.Invoke(call) is { } drip)
        {
            await Task.Delay(drip, cancellationToken);
            throw Errors.Timeout("network.timeout", "the node dripped its reply too slowly");
        }
        if (swarm.HostileRetrieveBody?.Invoke(call) is { } body)
            return (StorageResponseParser.ParseRetrieve(body) ?? throw NetworkFailures.BadResponse("malformed retrieve reply")) with { NodeEd25519Hex = FakeSwarm.Node };
        return swarm.Retrieve(accountId05, lastHashAt(FakeSwarm.Node)) with { NodeEd25519Hex = FakeSwarm.Node };
    }

    public Task DeleteAsync(ReadOnlyMemory<byte> ed25519SecretKey, string accountId05, IReadOnlyList<string> hashes, CancellationToken cancellationToken)
    {
        swarm.Delete(accountId05, hashes);
        return Task.CompletedTask;
    }

    public Task ExpireAsync(ReadOnlyMemory<byte> ed25519SecretKey, string accountId05, IReadOnlyList<string> hashes, long expiryMs, CancellationToken cancellationToken)
    {
        swarm.Shorten(accountId05, hashes, expiryMs);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
