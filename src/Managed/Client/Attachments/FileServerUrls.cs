using System.Text.RegularExpressions;
using SessionInterop.Crypto;
using SessionInterop.Network.Client;

namespace SessionInterop.Client.Attachments;

/// <summary>
/// Attachment URLs and the file server they name (protocol-network.md §8.1). Uploads are written
/// as the official apps write them (http://filev2.getsession.org/file/&lt;id&gt;), whatever file
/// server the client is configured with; a URL naming the official host is fetched from the
/// configured server by file id. So against LocalNet (configured with its FILE_SERVER_URL and key)
/// messages built by the official apps work unchanged, and ours look like theirs.
/// </summary>
internal static partial class FileServerUrls
{
    public const string OfficialHost = "filev2.getsession.org";
    public const string OfficialUrl = "http://" + OfficialHost;

    /// <summary>The official file server's X25519 key (current desktop and iOS; §8.1).</summary>
    public const string OfficialX25519 = "09324794aa9c11948189762d198c618148e9136ac9582068180661208927ef34";

    /// <summary>The URL a message carries for an uploaded file.</summary>
    public static string UrlFor(string fileId, bool deterministic = false) =>
        $"{OfficialUrl}/file/{fileId}{(deterministic ? "#d" : "")}";

    /// <summary>
    /// Where to fetch <paramref name="url"/>: the server, the endpoint (/file/&lt;id&gt;) and whether the
    /// fragment flags the deterministic encryption ("d").
    /// </summary>
    public static (ServerTarget Server, string Endpoint, bool Deterministic) Resolve(string url, ServerTarget configured)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
            throw Errors.InvalidArgument("attachment.bad_url", "an attachment URL must be absolute http(s)");
        string[] segments = uri.AbsolutePath.Trim('/').Split('/');
        if (segments is not [("file" or "files"), string id] || !FileIdPattern().IsMatch(id))
            throw Errors.InvalidArgument("attachment.bad_url", "an attachment URL ends in /file/<id>");

        bool deterministic = false;
        string? serverEd = null;
        foreach (string option in uri.Fragment.TrimStart('#').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (option == "d") deterministic = true;
            else if (option.StartsWith("p=", StringComparison.Ordinal)) serverEd = option[2..];
        }

        ServerTarget server;
        if (uri.Host == OfficialHost || (uri.Host == configured.Host && uri.Port == configured.Port))
            server = configured;
        else if (serverEd is { Length: 64 } && TryEdToX(serverEd, out string x))
            server = new ServerTarget(uri.Host, x, uri.Scheme, uri.Port);
        else
            throw Errors.Unsupported("attachment.unknown_server", "the attachment is on a file server whose key the URL does not give");
        return (server, "/file/" + id, deterministic);
    }

    private static bool TryEdToX(string edHex, out string xHex)
    {
        xHex = "";
        try
        {
            Span<byte> x = stackalloc byte[32];
            if (!Primitives.EdPkToX(Convert.FromHexString(edHex), x)) return false;
            xHex = Convert.ToHexStringLower(x);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    // Newer ids: 44 url-safe base64 chars; older: decimal integers.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex FileIdPattern();
}
