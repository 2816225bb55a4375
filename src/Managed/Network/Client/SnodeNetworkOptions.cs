using SessionInterop.Crypto.Onion;

namespace SessionInterop.Network.Client;

/// <summary>Settings of <see cref="SnodeNetwork"/>. Defaults target Session mainnet as desktop does.</summary>
internal sealed record SnodeNetworkOptions
{
    /// <summary>Mainnet seed URLs (protocol-network.md §2.1); their certificates are pinned.</summary>
    public static readonly IReadOnlyList<string> MainnetSeeds =
    [
        "https://seed1.getsession.org:4443/",
        "https://seed2.getsession.org:4443/",
        "https://seed3.getsession.org:4443/",
    ];

    /// <summary>Seed JSON-RPC base URLs; <c>json_rpc</c> is appended. Set to LocalNet's URL for a local network.</summary>
    public IReadOnlyList<string> SeedUrls { get; init; } = MainnetSeeds;

    /// <summary>Accept any certificate from seeds that are not pinned (LocalNet's self-signed one). Never for mainnet.</summary>
    public bool AcceptSelfSignedSeedCertificates { get; init; }

    /// <summary>Onion layer cipher: AES-GCM (desktop, default) or XChaCha20 (libsession).</summary>
    public OnionCipher Cipher { get; init; } = OnionCipher.AesGcm;

    /// <summary>Timeout of one seed request (desktop: 5 s).</summary>
    public TimeSpan SeedTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Timeout of one onion request to a snode: longer than the relay timeout of real nodes (30 s),
    /// so a relay's own 504 "Request time out" (a dead next node) arrives and is blamed on that node
    /// rather than our giving up first and blaming the whole path (desktop's 10 s does the latter).
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(35);

    /// <summary>Timeout of one onion request to a server (desktop: 10 s JSON, 30 s files).</summary>
    public TimeSpan ServerRequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per call before giving up (each on a new node or path).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Onion paths kept ready (desktop: 2).</summary>
    public int PathCount { get; init; } = 2;

    /// <summary>Re-seed when the pool has fewer nodes (Android/libsession: 12).</summary>
    public int MinPoolSize { get; init; } = 12;

    /// <summary>Refresh the pool from 3 snodes when older than this (Android/libsession: 2 h).</summary>
    public TimeSpan PoolRefreshInterval { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Test a guard with a direct <c>/storage_rpc/v1</c> <c>info</c> call before using it (desktop tests guards).</summary>
    public bool TestGuards { get; init; } = true;
}
