using System.Globalization;
using System.Text.RegularExpressions;
using SessionInterop.Crypto;
using SessionInterop.Network.Client;

namespace SessionInterop.Client;

/// <summary>
/// A community room or a blinded-DM peer on a community server, as a conversation id string.
/// Room: the official apps' URL grammar <c>http(s)://host[:port]/ROOM?public_key=HEX64</c> (room
/// token [A-Za-z0-9_-]{1,64}); canonical form: lower-case scheme, host and key, port only when not
/// the scheme's default. Blinded DM: <c>http(s)://host[:port]/inbox/15…?public_key=HEX64</c>
/// (a room token cannot contain '/', so the two never collide).
/// </summary>
internal sealed partial record CommunityAddress(string Scheme, string Host, int Port, string Room, string PublicKeyHex, SessionId? Peer)
{
    /// <summary>Server base URL, e.g. http://127.0.0.1:8080 (no trailing slash).</summary>
    internal string BaseUrl => $"{Scheme}://{Host}{(IsDefaultPort ? "" : ":" + Port.ToString(CultureInfo.InvariantCulture))}";

    /// <summary>The server identity: base URL and key (the inbox cursor is per server).</summary>
    internal string ServerKey => $"{BaseUrl}?public_key={PublicKeyHex}";

    internal byte[] ServerPublicKey => Convert.FromHexString(PublicKeyHex);

    internal ServerTarget Target => new(Host, PublicKeyHex, Scheme, Port);

    internal bool IsDirect => Peer is not null;

    /// <summary>The canonical conversation id.</summary>
    public override string ToString() =>
        Peer is { } peer ? $"{BaseUrl}/inbox/{peer}?public_key={PublicKeyHex}" : $"{BaseUrl}/{Room}?public_key={PublicKeyHex}";

    /// <summary>The DM conversation with a blinded peer on this server.</summary>
    internal CommunityAddress WithPeer(SessionId peer) => this with { Room = "", Peer = peer };

    private bool IsDefaultPort => (Scheme == "http" && Port == 80) || (Scheme == "https" && Port == 443);

    internal static bool LooksLikeUrl(string text) =>
        text.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a room URL or a blinded-DM conversation id; throws invalid-argument otherwise.</summary>
    internal static CommunityAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out Uri? uri) || (uri.Scheme != "http" && uri.Scheme != "https")
            || string.IsNullOrEmpty(uri.Host) || !string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment))
            throw Bad("the community URL must be http(s)://host[:port]/room?public_key=…");
        Match key = PublicKeyQuery().Match(uri.Query);
        if (!key.Success) throw Bad("the community URL needs ?public_key= with 64 hex digits");
        string keyHex = key.Groups[1].Value.ToLowerInvariant();
        string[] segments = uri.AbsolutePath.Trim('/').Split('/');
        string host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{IdnHost(uri)}]" : IdnHost(uri).ToLowerInvariant();
        if (segments is [var room] && RoomToken().IsMatch(room))
            return new CommunityAddress(uri.Scheme, host, uri.Port, room, keyHex, null);
        if (segments is ["inbox", var peer] && Crypto.SessionId.TryParse(peer, out SessionId id) && id.Prefix == SessionIdPrefix.Blinded15)
            return new CommunityAddress(uri.Scheme, host, uri.Port, "", keyHex, id);
        throw Bad("the community URL's path must be one room token ([A-Za-z0-9_-], 1 to 64)");
    }

    // Uri accepts some international host names that it cannot convert to ASCII (IDNA) later.
    private static string IdnHost(Uri uri)
    {
        try { return uri.IdnHost; }
        catch (UriFormatException) { throw Bad("the community URL's host is not a valid domain name"); }
    }

    private static SessionException Bad(string detail) => Errors.InvalidArgument("community.bad_url", detail);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex RoomToken();

    [GeneratedRegex("^\\?public_key=([0-9a-fA-F]{64})$")]
    private static partial Regex PublicKeyQuery();
}
