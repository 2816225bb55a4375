using Microsoft.Extensions.Logging;
using SessionInterop.Network.Client;

namespace SessionInterop.Client;

/// <summary>The client's network: every store and retrieve through 3-hop onion paths (SnodeNetwork).</summary>
internal sealed partial class OnionSwarmNetwork : ISwarmNetwork
{
    private readonly SnodeNetwork _network;

    private OnionSwarmNetwork(SnodeNetwork network)
    {
        _network = network;
        _network.ConnectionStateChanged += state => StateChanged?.Invoke(state);
    }

    internal static ISwarmNetwork Create(SessionClientOptions options, ILogger logger)
    {
        var settings = new SnodeNetworkOptions
        {
            SeedUrls = options.SeedUrls,
            AcceptSelfSignedSeedCertificates = options.AcceptSelfSignedCertificates,
        };
        if (options.RequestTimeout is TimeSpan timeout)
            settings = settings with { RequestTimeout = timeout };
        return new OnionSwarmNetwork(new SnodeNetwork(settings, logger));
    }

    public event Action<ConnectionState>? StateChanged;

    /// <summary>The onion network underneath (tests inspect its paths).</summary>
    internal SnodeNetwork Inner => _network;

    public long NowMs => _network.NetworkTimeMs;

    public Task<StoreResult> StoreAsync(string accountId05, int ns, string base64Data, long ttlMs, CancellationToken cancellationToken) =>
        _network.StoreAsync(accountId05, ns, base64Data, ttlMs, cancellationToken);

    public Task<RetrieveResult> RetrieveAsync(ReadOnlyMemory<byte> ed25519SecretKey, string accountId05, int ns,
        Func<string, string?> lastHashAt, string? preferredNode, CancellationToken cancellationToken) =>
        _network.RetrieveAsync(ed25519SecretKey, accountId05, ns, lastHashAt, preferredNode, cancellationToken);

    public Task DeleteAsync(ReadOnlyMemory<byte> ed25519SecretKey, string accountId05, IReadOnlyList<string> hashes, CancellationToken cancellationToken) =>
        _network.DeleteAsync(ed25519SecretKey, accountId05, hashes, cancellationToken);

    public Task ExpireAsync(ReadOnlyMemory<byte> ed25519SecretKey, string accountId05, IReadOnlyList<string> hashes, long expiryMs, CancellationToken cancellationToken) =>
        _network.ExpireAsync(ed25519SecretKey, accountId05, hashes, expiryMs, "shorten", cancellationToken);

    public Task<ServerResponse> SendToServerAsync(ServerTarget server, ServerRequest request, CancellationToken cancellationToken) =>
        _network.SendToServerAsync(server, request, cancellationToken);

    public ValueTask DisposeAsync() => _network.DisposeAsync();
}
