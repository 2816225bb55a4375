using System.Text;

namespace SessionInterop.Config;

/// <summary>Text rules shared by the config types (§6.0): byte limits and UTF-8-safe truncation.</summary>
internal static class UserText
{
    /// <summary>Longest name, nickname or group name, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 100;

    /// <summary>Cuts at <paramref name="maxBytes"/> without splitting a UTF-8 sequence (libsession's utf8_truncate).</summary>
    public static byte[] Truncate(byte[] utf8, int maxBytes)
    {
        if (utf8.Length <= maxBytes) return utf8;
        int n = maxBytes;
        while (n > 0 && (utf8[n] & 0xC0) == 0x80) n--;
        return utf8[..n];
    }

    public static byte[] TruncateName(string text) => Truncate(Encoding.UTF8.GetBytes(text), MaxNameBytes);

    /// <summary>The name as given, or config.name_too_long when over the limit.</summary>
    public static byte[] CheckedName(string text, string what)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length > MaxNameBytes)
            throw Errors.TooLarge("config.name_too_long", $"{what} is {bytes.Length} bytes; the limit is {MaxNameBytes}");
        return bytes;
    }
}
