using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SessionInterop.Crypto;
using SessionInterop.LocalNet.Community;
using SessionInterop.LocalNet.Hosting;

namespace SessionInterop.LocalNet.Files;

/// <summary>
/// LocalNet's file server, behaving as session-file-server (protocol-network.md §8.2): its own
/// X25519 key (data dir/fileserver.key, kept across restarts), files in files.db, and two ways in on
/// its own 127.0.0.1 port: plain HTTP to the API paths and POST /oxen/v4/lsrpc (onion v4).
/// <list type="bullet">
/// <item>POST /file: raw body → 200 {"id","uploaded","expires"}; empty or over MaxFileSize → 413. Ids are
/// the newer servers' content hash (44 url-safe base64 chars of BLAKE2b-264, salt "SessionFileSvr\0\0"),
/// so the same bytes uploaded again refresh the expiry instead of storing a copy.</item>
/// <item>GET /file/{id} → the bytes; GET /file/{id}/info → {"size","uploaded","expires"};
/// POST /file/{id}/extend → {"expires","uploaded","size"}; unknown or expired ids → 404.</item>
/// <item>X-FS-TTL (seconds) on upload and extend, capped at the default lifetime (3 weeks).</item>
/// </list>
/// Errors are {"status_code": N} with HTTP status N, as the real server's error_resp.
/// </summary>
internal sealed class FileServer : IDisposable
{
    /// <summary>
    /// Largest upload. The sample config of session-file-server says 6,000,000; the deployed server
    /// takes the 10 MB attachments desktop sends (MAX_ATTACHMENT_FILESIZE_BYTES), whose largest
    /// blob is libsession's 10,223,616 bytes (legacy: 10,000,064), so that is the limit here.
    /// </summary>
    internal const int MaxFileSize = 10_223_616;

    /// <summary>FILE_EXPIRY of the real server: 3 weeks.</summary>
    internal static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(21);

    private readonly byte[] _secret = new byte[32];
    private readonly FileStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    internal FileServer(string dataDirectory, TimeProvider time, ILoggerFactory loggers)
    {
        _time = time;
        _log = loggers.CreateLogger("LocalNet.Files");
        PublicKey = ServerOnion.LoadOrCreateKey(Path.Combine(dataDirectory, "fileserver.key"), _secret);
        _store = new FileStore(Path.Combine(dataDirectory, "files.db"));
    }

    /// <summary>The server's X25519 public key (what clients encrypt onion requests to).</summary>
    internal byte[] PublicKey { get; }

    private double Now => _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>The id the server gives these bytes.</summary>
    internal static string FileId(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[33];
        Blake2bSalted(data, hash);
        return Convert.ToBase64String(hash).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Places bytes under a given id (the admin endpoint: replaying messages built elsewhere).</summary>
    internal void Place(string id, byte[] data) => _store.Put(id, data, Now, Now + DefaultLifetime.TotalSeconds, replace: true);

    /// <summary>Expires a file now (admin endpoint); false when there was none.</summary>
    internal bool Expire(string id) => _store.Expire(id);

    internal CommunityReply Handle(CommunityRequest request)
    {
        CommunityReply reply = (request.Method, request.Path.Trim('/').Split('/')) switch
        {
            ("POST", ["file"]) => Upload(request),
            ("GET", ["file", string id]) => Download(id),
            ("GET", ["file", string id, "info"]) => Info(id),
            ("POST", ["file", string id, "extend"]) => Extend(id, request),
            _ => Error(404),
        };
        LogMessages.FileRequest(_log, request.Method, reply.Status);
        return reply;
    }

    private CommunityReply Upload(CommunityRequest request)
    {
        if (request.Body.Length is 0 or > MaxFileSize) return Error(413);
        double now = Now;
        string id = FileId(request.Body);
        double expires = now + Ttl(request).TotalSeconds;
        _store.Put(id, request.Body, now, expires);
        return CommunityReply.Json(200, new JsonObject { ["id"] = id, ["uploaded"] = now, ["expires"] = expires });
    }

    private CommunityReply Download(string id) =>
        _store.Get(id, Now) is byte[] data ? new CommunityReply(200, "application/octet-stream", data) : Error(404);

    private CommunityReply Info(string id) =>
        _store.Info(id, Now) is { } row
            ? CommunityReply.Json(200, new JsonObject { ["size"] = row.Size, ["uploaded"] = row.Uploaded, ["expires"] = row.Expires })
            : Error(404);

    private CommunityReply Extend(string id, CommunityRequest request)
    {
        double now = Now;
        return _store.Extend(id, now, now + Ttl(request).TotalSeconds) is { } row
            ? CommunityReply.Json(200, new JsonObject { ["expires"] = row.Expires, ["uploaded"] = row.Uploaded, ["size"] = row.Size })
            : Error(404);
    }

    /// <summary>X-FS-TTL in seconds when given and sensible, capped at the default lifetime.</summary>
    private static TimeSpan Ttl(CommunityRequest request) =>
        double.TryParse(request.Header("X-FS-TTL"), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds > 0
            ? TimeSpan.FromSeconds(Math.Min(seconds, DefaultLifetime.TotalSeconds))
            : DefaultLifetime;

    private static CommunityReply Error(int status) =>
        new(status, "application/json", Encoding.UTF8.GetBytes($"{{\"status_code\": {status}}}"));

    internal CommunityReply Onion(byte[] frame) => ServerOnion.Handle(frame, _secret, PublicKey, Handle);

    internal async Task HandleAsync(HttpContext context)
    {
        byte[] body;
        try
        {
            body = await Http.ReadBodyAsync(context);
        }
        catch (BadHttpRequestException)
        {
            CommunityReply tooLarge = Error(413);
            await Http.WriteAsync(context, tooLarge.Status, tooLarge.ContentType, tooLarge.Body);
            return;
        }
        string path = context.Request.Path.Value ?? "/";
        CommunityReply reply;
        if (HttpMethods.IsPost(context.Request.Method) && path is "/oxen/v4/lsrpc" or "/loki/v4/lsrpc")
            reply = Onion(body);
        else
        {
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            string query = context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : "";
            reply = Handle(new CommunityRequest(context.Request.Method.ToUpperInvariant(), path, query, headers, body));
        }
        await Http.WriteAsync(context, reply.Status, reply.ContentType, reply.Body);
    }

    private static unsafe void Blake2bSalted(ReadOnlySpan<byte> data, Span<byte> output)
    {
        // BLAKE2b with salt "SessionFileSvr\0\0" (the real server's generate_file_id).
        ReadOnlySpan<byte> salt = "SessionFileSvr\0\0"u8;
        byte* raw = stackalloc byte[384 + 64];
        byte* st = (byte*)(((nuint)raw + 63) & ~(nuint)63);
        fixed (byte* s = salt, d = data, o = output)
        {
            Interop.LibSodium.crypto_generichash_blake2b_init_salt_personal(st, null, 0, (nuint)output.Length, s, null);
            Interop.LibSodium.crypto_generichash_blake2b_update(st, d, (ulong)data.Length);
            Interop.LibSodium.crypto_generichash_blake2b_final(st, o, (nuint)output.Length);
        }
    }

    public void Dispose()
    {
        _store.Dispose();
        Interop.LibSodium.Zero(_secret);
    }
}
