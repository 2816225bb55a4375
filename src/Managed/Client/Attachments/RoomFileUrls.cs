using System.Text.RegularExpressions;

namespace SessionInterop.Client.Attachments;

/// <summary>
/// URLs of files uploaded to a community room, as desktop writes them after
/// <c>POST /room/&lt;token&gt;/file</c>: <c>{server}/room/{token}/file/{id}</c> (pysogs also serves
/// <c>/file/{id}/{filename}</c>). The server's key is not in the URL: a download needs the room joined.
/// </summary>
internal static partial class RoomFileUrls
{
    public static string UrlFor(CommunityAddress room, long fileId) => $"{room.BaseUrl}/room/{room.Room}/file/{fileId}";

    /// <summary>The server's base URL (as CommunityAddress.BaseUrl writes it), room token and file id of a room file URL.</summary>
    public static bool TryParse(string url, out (string BaseUrl, string Room, long FileId) parts)
    {
        parts = default;
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https")) return false;
        Match m = RoomFilePath().Match(uri.AbsolutePath);
        if (!m.Success || !long.TryParse(m.Groups[2].Value, out long id) || id <= 0) return false;
        string port = uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        parts = ($"{uri.Scheme}://{uri.Host.ToLowerInvariant()}{port}", m.Groups[1].Value, id);
        return true;
    }

    [GeneratedRegex("^/room/([A-Za-z0-9_-]{1,64})/file/([0-9]{1,18})(/[^/]*)?$")]
    private static partial Regex RoomFilePath();
}
