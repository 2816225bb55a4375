using System.Globalization;
using System.Text.RegularExpressions;

namespace SessionInterop.Config;

/// <summary>
/// A community room as the configs name it (§6.5): canonical base URL (lower-case scheme and host,
/// port only when not the scheme's default), the room token as given (lower-cased when used as a
/// key), and the server's 32-byte X25519 key. Parses the URL forms the apps accept:
/// <c>base/room?public_key=KEY</c> and <c>base/r/room?public_key=KEY</c>, the key in hex, base64
/// or base32z.
/// </summary>
internal sealed partial record CommunityUrl(string BaseUrl, string Room, byte[] PublicKey)
{
    public const int MaxBaseUrlBytes = 267;
    public const int MaxRoomBytes = 64;

    /// <summary>The room token as used for keys and comparisons.</summary>
    public string RoomKey => Room.ToLowerInvariant();

    public string PublicKeyHex => Convert.ToHexStringLower(PublicKey);

    /// <summary>The full URL (and our conversation id for the room).</summary>
    public string FullUrl => $"{BaseUrl}/{Room}?public_key={PublicKeyHex}";

    public static CommunityUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        Match m = UrlPattern().Match(url.Trim());
        if (!m.Success) throw Bad("expected http(s)://host[:port]/room?public_key=KEY");
        string baseUrl = CanonicalBase(m.Groups["scheme"].Value, m.Groups["host"].Value, m.Groups["port"].Value);
        byte[] key = DecodeKey(m.Groups["key"].Value) ?? throw Bad("the public key must be 64 hex, 43/44 base64 or 52 base32z characters");
        return new CommunityUrl(baseUrl, m.Groups["room"].Value, key);
    }

    /// <summary>The canonical form of a base URL (scheme://host[:port], optional trailing slash).</summary>
    public static string CanonicalBase(string baseUrl)
    {
        Match m = BasePattern().Match(baseUrl.Trim());
        if (!m.Success) throw Bad("expected http(s)://host[:port]");
        return CanonicalBase(m.Groups["scheme"].Value, m.Groups["host"].Value, m.Groups["port"].Value);
    }

    public static bool ValidRoom(string room) => RoomPattern().IsMatch(room);

    /// <summary>The config key of a server: its canonical base URL in UTF-8.</summary>
    internal static byte[] BaseKey(string baseUrl) => System.Text.Encoding.UTF8.GetBytes(CanonicalBase(baseUrl));

    /// <summary>The config key of a room: the lower-cased token.</summary>
    internal static byte[] RoomKeyOf(string room)
    {
        if (!ValidRoom(room)) throw Bad("a room token is 1 to 64 of [A-Za-z0-9_-]");
        return System.Text.Encoding.UTF8.GetBytes(room.ToLowerInvariant());
    }

    private static string CanonicalBase(string scheme, string host, string port)
    {
        scheme = scheme.ToLowerInvariant();
        host = host.ToLowerInvariant();
        if (host.Length < 4 || !host.Contains('.') || host.EndsWith('.')) throw Bad("the host must be a domain or IPv4 address");
        string result = scheme + "://" + host;
        if (port.Length > 0)
        {
            if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p is < 1 or > 65535) throw Bad("bad port");
            if (!((scheme == "http" && p == 80) || (scheme == "https" && p == 443))) result += ":" + p.ToString(CultureInfo.InvariantCulture);
        }
        if (result.Length > MaxBaseUrlBytes) throw Bad("the base URL is too long");
        return result;
    }

    private static byte[]? DecodeKey(string text)
    {
        switch (text.Length)
        {
            case 64:
                try { return Convert.FromHexString(text); } catch (FormatException) { return null; }
            case 43 or 44:
                string padded = text.Length == 43 ? text + "=" : text;
                try
                {
                    byte[] b = Convert.FromBase64String(padded.Replace('-', '+').Replace('_', '/'));
                    return b.Length == 32 ? b : null;
                }
                catch (FormatException) { return null; }
            case 52:
                return Base32z(text);
            default:
                return null;
        }
    }

    private const string Base32zAlphabet = "ybndrfg8ejkmcpqxot1uwisza345h769";

    private static byte[]? Base32z(string text)
    {
        var output = new byte[32];
        int bits = 0, value = 0, o = 0;
        foreach (char ch in text.ToLowerInvariant())
        {
            int v = Base32zAlphabet.IndexOf(ch);
            if (v < 0) return null;
            value = (value << 5) | v;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                if (o < 32) output[o++] = (byte)(value >> bits);
                value &= (1 << bits) - 1;
            }
        }
        return o == 32 ? output : null;
    }

    private static SessionException Bad(string detail) => Errors.InvalidArgument("community.bad_url", detail);

    [GeneratedRegex("^(?<scheme>[hH][tT][tT][pP][sS]?)://(?<host>[A-Za-z0-9.-]+)(?::(?<port>[0-9]{1,5}))?/(?:[rR]/)?(?<room>[A-Za-z0-9_-]{1,64})/?\\?public_key=(?<key>[A-Za-z0-9+/=_-]{43,64})$")]
    private static partial Regex UrlPattern();

    [GeneratedRegex("^(?<scheme>[hH][tT][tT][pP][sS]?)://(?<host>[A-Za-z0-9.-]+)(?::(?<port>[0-9]{1,5}))?/?$")]
    private static partial Regex BasePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex RoomPattern();
}
