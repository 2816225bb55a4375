using System.Text;
using SessionInterop.Config;

namespace SessionInterop.Tests.Config;

/// <summary>Helpers to write config vectors the way libsession's tests spell them.</summary>
internal static class ConfigTestData
{
    /// <summary>Concatenates ASCII strings and raw byte arrays.</summary>
    public static byte[] B(params object[] parts)
    {
        var ms = new MemoryStream();
        foreach (object p in parts)
        {
            byte[] bytes = p switch { string s => Encoding.Latin1.GetBytes(s), byte[] b => b, _ => throw new ArgumentException() };
            ms.Write(bytes);
        }
        return ms.ToArray();
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);
    public static string ToHex(byte[] b) => Convert.ToHexStringLower(b);
    public static byte[] K(string s) => Bt.K(s);

    /// <summary>A config dict from (key, value) pairs; strings become byte strings, ints longs.</summary>
    public static BtDict D(params (string Key, object Value)[] entries)
    {
        var d = new BtDict();
        foreach (var (k, v) in entries) d[K(k)] = V(v);
        return d;
    }

    /// <summary>A config set of ints and strings.</summary>
    public static ConfigSet S(params object[] items) => new(items.Select(V));

    private static object V(object v) => v switch
    {
        int i => (long)i,
        string s => Encoding.UTF8.GetBytes(s),
        _ => v,
    };

    public static BtDict Sub(BtDict d, string key) => (BtDict)d[K(key)];
    public static ConfigSet Set(BtDict d, string key) => (ConfigSet)d[K(key)];

    /// <summary>Readable form of bytes for assertion messages.</summary>
    public static string Printable(byte[] b) =>
        string.Concat(b.Select(c => c is >= 0x20 and < 0x7f ? ((char)c).ToString() : $"\\x{c:x2}"));
}
