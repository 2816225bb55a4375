using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SessionInterop.Crypto;
using SessionInterop.Crypto.Onion;
using SessionInterop.LocalNet.Hosting;
using SessionInterop.Network.Onion;

namespace SessionInterop.LocalNet.Community;

/// <summary>
/// LocalNet's community server: one X25519 key (data dir/community.key, kept across restarts), the
/// SQLite state (community.db), and two ways in on its own 127.0.0.1 port: plain HTTP requests to
/// the API paths, and POST /oxen/v4/lsrpc with the exit node's forwarded onion plaintext
/// (protocol-network.md §5.4, §5.6 server side). Auth is checked once on the outer request.
/// </summary>
internal sealed partial class CommunityServer : IDisposable
{
    private readonly byte[] _secret = new byte[32];
    private readonly CommunityStore _store;
    private readonly CommunityAuthCheck _auth;
    private readonly CommunityApi _api;
    private readonly ILogger _log;

    internal CommunityServer(string dataDirectory, IEnumerable<string> rooms, bool requireBlind, TimeProvider time, ILoggerFactory loggers)
    {
        _log = loggers.CreateLogger("LocalNet.Community");
        PublicKey = ServerOnion.LoadOrCreateKey(Path.Combine(dataDirectory, "community.key"), _secret);
        _store = new CommunityStore(Path.Combine(dataDirectory, "community.db"));
        double now = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        foreach (string room in rooms)
        {
            if (!RoomToken().IsMatch(room)) throw new ArgumentException($"invalid room token '{room}' (A-Z, a-z, 0-9, _ and -, 1 to 64)");
            _store.EnsureRoom(room, now);
        }
        _auth = new CommunityAuthCheck(_store, PublicKey, requireBlind, time);
        _api = new CommunityApi(_store, requireBlind, time);
    }

    /// <summary>The server's X25519 public key (the community URL's public_key).</summary>
    internal byte[] PublicKey { get; }

    internal CommunityStore Store => _store;

    /// <summary>Runs one outer request: auth, then the API.</summary>
    internal CommunityReply Handle(CommunityRequest request)
    {
        var (user, error) = _auth.Check(request);
        if (error is not null)
        {
            LogMessages.CommunityAuthRejected(_log, error.Status, request.Method, request.Path);
            return error;
        }
        return _api.Handle(request, user);
    }

    internal async Task HandleAsync(HttpContext context)
    {
        byte[] body;
        try
        {
            body = await Http.ReadBodyAsync(context);
        }
        catch (BadHttpRequestException)
        {
            await Http.WriteTextAsync(context, 413, "Request body too large");
            return;
        }
        string path = context.Request.Path.Value ?? "/";
        if (HttpMethods.IsPost(context.Request.Method) && path is "/oxen/v4/lsrpc" or "/loki/v4/lsrpc")
        {
            CommunityReply onion = Onion(body);
            await Http.WriteAsync(context, onion.Status, onion.ContentType, onion.Body);
            return;
        }
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        string query = context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : "";
        var request = new CommunityRequest(context.Request.Method.ToUpperInvariant(), path, query, headers, body);
        CommunityReply reply = Handle(request);
        foreach (var (name, value) in reply.Headers) context.Response.Headers[name] = value;
        await Http.WriteAsync(context, reply.Status, reply.ContentType, reply.Body);
    }

    /// <summary>The server side of an onion v4 request (Hosting/ServerOnion.cs) answered by this community.</summary>
    internal CommunityReply Onion(byte[] frame) => ServerOnion.Handle(frame, _secret, PublicKey, Handle);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    internal static partial Regex RoomToken();

    public void Dispose()
    {
        _store.Dispose();
        Interop.LibSodium.Zero(_secret);
    }
}
