using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SessionInterop.LocalNet.Admin;
using SessionInterop.LocalNet.Community;
using SessionInterop.LocalNet.Files;
using SessionInterop.LocalNet.Hosting;
using SessionInterop.LocalNet.Seed;
using SessionInterop.LocalNet.Topology;

namespace SessionInterop.LocalNet;

/// <summary>
/// A running LocalNet: a seed JSON-RPC endpoint, an admin endpoint and N service nodes, all in one
/// Kestrel server inside this process. Start with <see cref="StartAsync"/>, stop with DisposeAsync.
/// More endpoints (community server, file server) can be added as further listeners of the same host.
/// </summary>
public sealed class LocalNetwork : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LocalNetState _state;
    private readonly HttpClient _http;
    private readonly bool _ownsDataDirectory;
    private readonly ILogger _log;
    private readonly CommunityServer _community;
    private readonly FileServer _files;

    private LocalNetwork(WebApplication app, LocalNetState state, HttpClient http, bool ownsDataDirectory, int seedPort, int adminPort,
        CommunityServer community, int communityPort, FileServer files, int filesPort)
    {
        _community = community;
        _files = files;
        FileServerUrl = new Uri($"http://127.0.0.1:{filesPort}/");
        CommunityBaseUrl = new Uri($"http://127.0.0.1:{communityPort}/");
        _app = app;
        _state = state;
        _http = http;
        _ownsDataDirectory = ownsDataDirectory;
        _log = state.LoggerFactory.CreateLogger("LocalNet");
        SeedUrl = new Uri($"http://127.0.0.1:{seedPort}/");
        AdminUrl = new Uri($"http://127.0.0.1:{adminPort}/");
        Faults = new LocalNetFaults(state);
    }

    /// <summary>The seed URL to configure a client with (POST {SeedUrl}json_rpc).</summary>
    public Uri SeedUrl { get; }

    /// <summary>Base URL of the admin (fault switch) endpoint.</summary>
    public Uri AdminUrl { get; }

    /// <summary>Base URL of the community server (plain HTTP; onion v4 at /oxen/v4/lsrpc).</summary>
    public Uri CommunityBaseUrl { get; }

    /// <summary>The community server's X25519 public key, 64 hex.</summary>
    public string CommunityPublicKeyHex => Convert.ToHexStringLower(_community.PublicKey);

    /// <summary>The shareable URL of a room: http://127.0.0.1:PORT/ROOM?public_key=HEX.</summary>
    public string CommunityUrl(string room = "lobby") => $"{CommunityBaseUrl}{room}?public_key={CommunityPublicKeyHex}";

    internal CommunityServer Community => _community;

    /// <summary>Base URL of the file server (plain HTTP GET /file/{id}; onion v4 at /oxen/v4/lsrpc).</summary>
    public Uri FileServerUrl { get; }

    /// <summary>The file server's X25519 public key, 64 hex (what clients encrypt onion requests to).</summary>
    public string FileServerPublicKeyHex => Convert.ToHexStringLower(_files.PublicKey);

    internal FileServer Files => _files;

    /// <summary>The fault switches (§10.4).</summary>
    public LocalNetFaults Faults { get; }

    /// <summary>Folder holding node keys and the per-swarm SQLite stores.</summary>
    public string DataDirectory => _state.DataDirectory;

    /// <summary>All nodes, active or stopped, in index order.</summary>
    public IReadOnlyList<ServiceNodeInfo> Nodes => _state.Nodes.Select(n => n.ToInfo()).ToList();

    /// <summary>Swarm ids, ascending.</summary>
    public IReadOnlyList<ulong> SwarmIds => _state.Swarms.SwarmIds;

    /// <summary>The swarm an account (66 hex) currently maps to, including moves made by the fault switch.</summary>
    public ulong SwarmOf(string accountHex) => _state.Swarms.SwarmOf(accountHex.ToLowerInvariant(), Convert.FromHexString(accountHex));

    /// <summary>An HttpClient that trusts exactly this LocalNet's node certificates and only connects to loopback.</summary>
    public HttpClient CreateHttpClient() => LoopbackHttpClient.Create(_state.Nodes.Select(n => n.Certificate));

    /// <summary>Starts a LocalNet; returns once every listener is bound.</summary>
    public static async Task<LocalNetwork> StartAsync(LocalNetOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalNetOptions();
        if (options.Nodes is < 1 or > 254) throw new ArgumentOutOfRangeException(nameof(options), "Nodes must be 1..254 (one 127.0.n.1 each).");
        if (options.SwarmSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "SwarmSize must be at least 1.");

        bool ownsData = options.DataDirectory is null;
        string data = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "session-localnet-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(data);

        // Nodes are dealt round-robin into ⌊N/S⌋ swarms, so every swarm has at least S members.
        List<byte[]> seeds = NodeKeys.LoadOrCreate(data, options.Nodes, options.NodeSeeds);
        int swarmCount = Math.Max(1, options.Nodes / options.SwarmSize);
        var nodes = new List<LocalNode>();
        for (int i = 1; i <= options.Nodes; i++)
        {
            var address = IPAddress.Parse($"127.0.{i}.1");
            ulong swarmId = SwarmDirectory.SwarmIdFor((i - 1) % swarmCount, swarmCount);
            nodes.Add(new LocalNode(i, seeds[i - 1], swarmId, SelfSignedCertificates.Create(address)));
        }

        var state = new LocalNetState(options, nodes, data, options.LoggerFactory ?? NullLoggerFactory.Instance);
        var community = new CommunityServer(data, options.CommunityRooms, options.CommunityRequireBlind, options.TimeProvider, state.LoggerFactory);
        var files = new FileServer(data, options.TimeProvider, state.LoggerFactory);
        HttpClient http = LoopbackHttpClient.Create(nodes.Select(n => n.Certificate));
        // Seed and admin share 127.0.0.1, so free ports are picked up front; another process may
        // grab one in between, hence a few attempts when the ports were not given explicitly.
        WebApplication? app = null;
        int seedPort = 0, adminPort = 0, communityPort = 0, filesPort = 0;
        for (int attempt = 1; app is null; attempt++)
        {
            seedPort = options.SeedPort != 0 ? options.SeedPort : FreePort();
            adminPort = options.AdminPort != 0 ? options.AdminPort : FreePort();
            communityPort = options.CommunityPort != 0 ? options.CommunityPort : FreePort();
            filesPort = options.FileServerPort != 0 ? options.FileServerPort : FreePort();
            WebApplication candidate = BuildHost(state, http, seedPort, adminPort, community, communityPort, files, filesPort);
            try
            {
                await candidate.StartAsync(cancellationToken);
                app = candidate;
            }
            catch (Exception e) when (e is IOException && attempt < 3 && (options.SeedPort == 0 || options.AdminPort == 0 || options.CommunityPort == 0 || options.FileServerPort == 0))
            {
                await candidate.DisposeAsync();
            }
            catch
            {
                await candidate.DisposeAsync();
                community.Dispose();
                files.Dispose();
                state.Dispose();
                http.Dispose();
                throw;
            }
        }

        // Node ports are chosen by the OS when NodePort is 0; read them back per IP.
        foreach (string address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses)
        {
            var uri = new Uri(address);
            LocalNode? node = nodes.FirstOrDefault(n => n.Ip == uri.Host);
            if (node is not null) node.Port = uri.Port;
        }

        var network = new LocalNetwork(app, state, http, ownsData, seedPort, adminPort, community, communityPort, files, filesPort);
        LogMessages.Started(network._log, nodes.Count, swarmCount, network.SeedUrl.ToString(), network.AdminUrl.ToString(), data);
        return network;
    }

    private static WebApplication BuildHost(LocalNetState state, HttpClient http, int seedPort, int adminPort,
        CommunityServer community, int communityPort, FileServer files, int filesPort)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = Http.MaxRequestBody;
            kestrel.Listen(IPAddress.Loopback, seedPort);
            kestrel.Listen(IPAddress.Loopback, adminPort);
            kestrel.Listen(IPAddress.Loopback, communityPort);
            kestrel.Listen(IPAddress.Loopback, filesPort);
            foreach (LocalNode node in state.Nodes)
            {
                kestrel.Listen(node.Address, state.Options.NodePort, listen =>
                {
                    // A stopped or crashed node refuses service before the TLS handshake, like a dead host.
                    listen.Use(next => connection =>
                    {
                        if (!node.Faults.Stopped && !node.Faults.Crashed) return next(connection);
                        connection.Abort();
                        return Task.CompletedTask;
                    });
                    listen.Protocols = HttpProtocols.Http1; // real storage servers speak HTTP/1.1
                    listen.UseHttps(node.Certificate);
                });
            }
        });

        WebApplication app = builder.Build();
        var seed = new SeedEndpoint(state);
        var admin = new AdminEndpoint(state, new LocalNetFaults(state), files);
        var rateLimit = new TokenBucket(state.Time);
        var endpoints = state.Nodes.ToDictionary(n => n.Index, n => new NodeEndpoint(state, n, http, rateLimit));
        CancellationToken stopping = app.Lifetime.ApplicationStopping;

        // One terminal handler: the local address/port of the connection says which service it is for.
        app.Run(context =>
        {
            IPAddress? local = context.Connection.LocalIpAddress;
            if (local is null) return Http.WriteTextAsync(context, 400, "Bad Request");
            if (local.IsIPv4MappedToIPv6) local = local.MapToIPv4();
            if (local.Equals(IPAddress.Loopback))
            {
                if (context.Connection.LocalPort == seedPort) return seed.HandleAsync(context);
                if (context.Connection.LocalPort == adminPort) return admin.HandleAsync(context);
                if (context.Connection.LocalPort == communityPort) return community.HandleAsync(context);
                if (context.Connection.LocalPort == filesPort) return files.HandleAsync(context);
            }
            byte[] b = local.GetAddressBytes();
            if (b.Length == 4 && b[0] == 127 && b[3] == 1 && endpoints.TryGetValue(b[2], out NodeEndpoint? endpoint))
                return endpoint.HandleAsync(context, stopping);
            return Http.WriteTextAsync(context, 404, "Not Found");
        });
        return app;
    }

    /// <summary>Asks the OS for a free TCP port on 127.0.0.1.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops every listener, closes the stores, and deletes the data folder if it was temporary.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _http.Dispose();
        _community.Dispose();
        _files.Dispose();
        _state.Dispose();
        foreach (LocalNode n in _state.Nodes) n.Certificate.Dispose();
        LogMessages.Stopped(_log);
        if (_ownsDataDirectory)
        {
            try
            {
                Directory.Delete(_state.DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // best effort: a temp folder left behind is harmless
            }
        }
    }
}
