using System.Text;
using System.Text.Json.Nodes;

namespace SessionInterop.LocalNet.Community;

/// <summary>One request as the community API sees it, whether it came over plain HTTP, onion v4 or a batch.</summary>
/// <param name="Method">GET, POST, PUT or DELETE.</param>
/// <param name="Path">The percent-decoded path.</param>
/// <param name="Query">The raw query string without '?', or "".</param>
/// <param name="Headers">Request headers (case-insensitive names).</param>
/// <param name="Body">Raw body bytes (empty for GET/DELETE).</param>
internal sealed record CommunityRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>What the client signed: path, plus "?query" only when the query is not empty.</summary>
    internal string SignedPath => Query.Length == 0 ? Path : Path + "?" + Query;

    internal string? Header(string name) => Headers.TryGetValue(name, out string? v) ? v : null;

    internal int? QueryInt(string name)
    {
        foreach (string part in Query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = part.IndexOf('=');
            if (eq > 0 && part[..eq] == name && int.TryParse(part[(eq + 1)..], out int value)) return value;
        }
        return null;
    }

    /// <summary>Splits "endpoint" (path[?query]) the way SOGS does: the path is percent-decoded, the query kept raw.</summary>
    internal static CommunityRequest FromEndpoint(string method, string endpoint, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        int q = endpoint.IndexOf('?');
        string path = q < 0 ? endpoint : endpoint[..q];
        string query = q < 0 ? "" : endpoint[(q + 1)..];
        return new CommunityRequest(method.ToUpperInvariant(), Uri.UnescapeDataString(path), query, headers, body);
    }
}

/// <summary>A reply: status, content type and body bytes.</summary>
internal sealed record CommunityReply(int Status, string ContentType, byte[] Body)
{
    /// <summary>Headers beyond the content type (a served file's Content-Disposition, Date, Expires).</summary>
    internal IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    internal static CommunityReply Json(int status, JsonNode? node) =>
        new(status, "application/json", Encoding.UTF8.GetBytes(node?.ToJsonString() ?? "null"));

    internal static CommunityReply Text(int status, string text) => new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text));

    internal static CommunityReply Empty(int status) => new(status, "text/plain; charset=utf-8", []);

    internal static CommunityReply NotFound() => Text(404, "Not Found");

    internal static CommunityReply Forbidden() => Text(403, "Forbidden");

    internal static CommunityReply BadRequest(string why = "Bad Request") => Text(400, why);

    /// <summary>SOGS's onion endpoints on an undecryptable request: abort(400), i.e. Werkzeug's stock 400 page.</summary>
    internal static CommunityReply UndecryptableOnion() => new(400, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(
        "<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n"
        + "<p>The browser (or proxy) sent a request that this server could not understand.</p>\n"));

    internal bool IsSuccess => Status is >= 200 and < 300;
}
