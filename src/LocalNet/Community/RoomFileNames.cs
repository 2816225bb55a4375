using System.Text;

namespace SessionInterop.LocalNet.Community;

/// <summary>
/// A room file's suggested name, as pysogs takes it from the upload's Content-Disposition header
/// (RFC 5987 <c>filename*=UTF-8''…</c>, or a plain <c>filename=</c>) and gives it back when the file is served.
/// </summary>
internal static class RoomFileNames
{
    /// <summary>The file name in an upload's Content-Disposition, or null when there is none.</summary>
    internal static string? FromContentDisposition(string? header)
    {
        if (header is null) return null;
        string? plain = null;
        foreach (string part in header.Split(';').Skip(1))
        {
            int eq = part.IndexOf('=');
            if (eq <= 0) continue;
            string name = part[..eq].Trim().ToLowerInvariant(), value = part[(eq + 1)..].Trim();
            if (name == "filename*")
            {
                int quote = value.IndexOf("''", StringComparison.Ordinal);
                if (quote < 0) continue;
                if (!value[..quote].Equals("utf-8", StringComparison.OrdinalIgnoreCase)) continue; // SOGS documents UTF-8 only
                return Uri.UnescapeDataString(value[(quote + 2)..]);
            }
            if (name == "filename") plain = value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
        }
        return plain;
    }

    /// <summary>The header a served file carries: <c>attachment</c>, with the name percent-encoded as UTF-8 when there is one.</summary>
    internal static string ContentDisposition(string? fileName) =>
        string.IsNullOrEmpty(fileName) ? "attachment" : "attachment; filename*=UTF-8''" + Quote(fileName);

    // Python's urllib.parse.quote (what pysogs uses): letters, digits, "_.-~" and "/" stay, every other UTF-8 byte is %XX.
    private static string Quote(string text)
    {
        var result = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '~' or '/') result.Append(c);
            else result.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return result.ToString();
    }
}
