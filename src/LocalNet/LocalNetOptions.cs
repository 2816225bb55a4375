using Microsoft.Extensions.Logging;

namespace SessionInterop.LocalNet;

/// <summary>How to start a <see cref="LocalNetwork"/>. Defaults match the CLI defaults.</summary>
public sealed class LocalNetOptions
{
    /// <summary>Number of service nodes; node n listens on 127.0.n.1 (1 ≤ n ≤ 254).</summary>
    public int Nodes { get; set; } = 12;

    /// <summary>Minimum swarm size; nodes are split into Nodes / SwarmSize swarms.</summary>
    public int SwarmSize { get; set; } = 3;

    /// <summary>Folder for node keys and the per-swarm SQLite stores; null = a fresh temporary folder (deleted on dispose).</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Seed JSON-RPC port on 127.0.0.1 (plain HTTP); 0 = any free port.</summary>
    public int SeedPort { get; set; }

    /// <summary>Admin (fault switch) port on 127.0.0.1 (plain HTTP); 0 = any free port.</summary>
    public int AdminPort { get; set; }

    /// <summary>HTTPS port of every node (each on its own IP); 0 = a free port per node.</summary>
    public int NodePort { get; set; }

    /// <summary>How long a relaying node waits for the next hop before answering 504 (real nodes: 30 s).</summary>
    public TimeSpan RelayTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Base delay before a store made at one swarm member reaches each other member.</summary>
    public TimeSpan ReplicationDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Extra random delay (uniform 0..jitter) per copy, so concurrent stores land in different orders at different members.</summary>
    public TimeSpan ReplicationJitter { get; set; } = TimeSpan.FromMilliseconds(80);

    /// <summary>How long an exit node waits for a server before answering 504 (real nodes: 25 s).</summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>Explicit Ed25519 seeds (32 bytes) for the first nodes, e.g. to match test vectors.</summary>
    public IReadOnlyList<byte[]>? NodeSeeds { get; set; }

    /// <summary>Clock of the whole network (per-node skews are added on top).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Rooms of the community server; "lobby" by default.</summary>
    public IList<string> CommunityRooms { get; set; } = ["lobby"];

    /// <summary>Plain-HTTP port of the community server on 127.0.0.1; 0 = any free port.</summary>
    public int CommunityPort { get; set; }

    /// <summary>Port of the file server on 127.0.0.1; 0 picks a free one.</summary>
    public int FileServerPort { get; set; }

    /// <summary>Whether the community server requires blinded (15) ids and advertises "blind" (as all public servers do).</summary>
    public bool CommunityRequireBlind { get; set; } = true;

    /// <summary>Where logs go; null = no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
