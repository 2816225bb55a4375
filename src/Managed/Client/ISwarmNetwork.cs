using SessionInterop.Network.Client;

namespace SessionInterop.Client;

/// <summary>
/// What the client needs from the network: store into and retrieve from swarms through onion
/// paths, with network-corrected time. The product uses the onion-routed implementation
/// (<see cref="OnionSwarmNetwork"/>); tests may substitute a fault-injecting one.
/// </summary>
internal interface ISwarmNetwork : IAsyncDisposable
{
    /// <summary>Raised from a library thread when the connection state changes.</summary>
    event Action<ConnectionState>? StateChanged;

    /// <summary>Current Unix time in ms, corrected by the network clock offset.</summary>
    long NowMs { get; }

    /// <summary>Stores base64 data in an account's swarm (namespace 0 needs no signature).</summary>
    Task<StoreResult> StoreAsync(string accountId05, int ns, string base64Data, long ttlMs, CancellationToken cancellationToken);

    /// <summary>
    /// Retrieves messages from one swarm member after that member's own last hash (lastHashAt, by the
    /// member's Ed25519 hex), signed with the account's Ed25519 key; preferredNode is asked first
    /// (a paged retrieve continues where it started). The result names the member that answered.
    /// </summary>
    Task<RetrieveResult> RetrieveAsync(ReadOnlyMemory<byte> ed25519SecretKey, string accountId05, int ns,
        Func<string, string?> lastHashAt, string? preferredNode, CancellationToken cancellationToken);

    /// <summary>Deletes messages by hash from the account's own swarm (signed by the account).</summary>
    Task DeleteAsync(ReadOnlyMemory<byte> ed25519SecretKey, string accountId05, IReadOnlyList<string> hashes, CancellationToken cancellationToken) =>
        throw Errors.Network("network.no_delete", "this network cannot delete messages");

    /// <summary>Shortens the expiry of messages in the account's own swarm to expiryMs (signed; never lengthens).</summary>
    Task ExpireAsync(ReadOnlyMemory<byte> ed25519SecretKey, string accountId05, IReadOnlyList<string> hashes, long expiryMs, CancellationToken cancellationToken) =>
        throw Errors.Network("network.no_expire", "this network cannot change expiries");

    /// <summary>Sends a v4 request to a server (community) through an onion path; the decoded reply, whatever its code.</summary>
    Task<ServerResponse> SendToServerAsync(ServerTarget server, ServerRequest request, CancellationToken cancellationToken) =>
        throw Errors.Network("network.no_server_route", "this network cannot reach servers");
}
