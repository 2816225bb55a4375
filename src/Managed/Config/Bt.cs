using System.Buffers;
using System.Globalization;
using System.Text;

namespace SessionInterop.Config;

/// <summary>
/// bt-encoding (bencode) as libsession and oxenc use it (protocol-config.md §2): integers
/// (int64), byte strings, lists and dictionaries whose byte-string keys are sorted by unsigned
/// byte order. Values are <see cref="long"/>, <see cref="byte"/>[], <see cref="BtList"/>,
/// <see cref="BtDict"/> or (config data only) <see cref="ConfigSet"/>, which encodes as a list.
/// The decoder sees bytes from the network (other devices, or anyone who can store into a swarm
/// they can read), so it is strict and bounded: canonical integers only, strictly increasing
/// dictionary keys, lengths checked against the input, nesting limited to <see cref="MaxDepth"/>.
/// </summary>
internal static class Bt
{
    /// <summary>Deepest nesting accepted (config data uses 5 levels; the margin is generous).</summary>
    public const int MaxDepth = 32;

    /// <summary>ASCII key or string.</summary>
    public static byte[] K(string ascii) => Encoding.ASCII.GetBytes(ascii);

    // ------------------------------------------------------------------ encoding

    public static byte[] Encode(object value)
    {
        var w = new ArrayBufferWriter<byte>(256);
        Write(w, value);
        return w.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> w, object value)
    {
        switch (value)
        {
            case long n: WriteInt(w, n); break;
            case byte[] s: WriteString(w, s); break;
            case BtDict d:
                WriteByte(w, (byte)'d');
                foreach (var (k, v) in d) { WriteString(w, k); Write(w, v); }
                WriteByte(w, (byte)'e');
                break;
            case ConfigSet set:
                WriteByte(w, (byte)'l');
                foreach (object v in set) Write(w, v);
                WriteByte(w, (byte)'e');
                break;
            case BtList l:
                WriteByte(w, (byte)'l');
                foreach (object v in l) Write(w, v);
                WriteByte(w, (byte)'e');
                break;
            default:
                throw new ArgumentException($"not a bt value: {value?.GetType().Name ?? "null"}", nameof(value));
        }
    }

    public static void WriteInt(IBufferWriter<byte> w, long n)
    {
        WriteByte(w, (byte)'i');
        WriteAscii(w, n.ToString(CultureInfo.InvariantCulture));
        WriteByte(w, (byte)'e');
    }

    public static void WriteString(IBufferWriter<byte> w, ReadOnlySpan<byte> s)
    {
        WriteAscii(w, s.Length.ToString(CultureInfo.InvariantCulture));
        WriteByte(w, (byte)':');
        w.Write(s);
    }

    public static void WriteByte(IBufferWriter<byte> w, byte b)
    {
        w.GetSpan(1)[0] = b;
        w.Advance(1);
    }

    private static void WriteAscii(IBufferWriter<byte> w, string s)
    {
        Span<byte> span = w.GetSpan(s.Length);
        for (int i = 0; i < s.Length; i++) span[i] = (byte)s[i];
        w.Advance(s.Length);
    }

    // ------------------------------------------------------------------ decoding

    /// <summary>Decodes exactly one value filling all of <paramref name="input"/>.</summary>
    public static object Decode(ReadOnlySpan<byte> input)
    {
        int pos = 0;
        object v = ReadValue(input, ref pos, 0);
        if (pos != input.Length) throw Bad("trailing bytes after the value");
        return v;
    }

    /// <summary>Decodes one value at the start of <paramref name="input"/>; <paramref name="consumed"/> is its length.</summary>
    public static object DecodePrefix(ReadOnlySpan<byte> input, out int consumed)
    {
        int pos = 0;
        object v = ReadValue(input, ref pos, 0);
        consumed = pos;
        return v;
    }

    /// <summary>Decodes exactly one dictionary.</summary>
    public static BtDict DecodeDict(ReadOnlySpan<byte> input) =>
        Decode(input) as BtDict ?? throw Bad("expected a dictionary");

    private static object ReadValue(ReadOnlySpan<byte> s, ref int pos, int depth)
    {
        if (pos >= s.Length) throw Bad("unexpected end of data");
        if (depth > MaxDepth) throw Bad("nesting too deep");
        byte c = s[pos];
        switch (c)
        {
            case (byte)'i':
                return ReadInt(s, ref pos);
            case (byte)'l':
            {
                pos++;
                var list = new BtList();
                while (true)
                {
                    if (pos >= s.Length) throw Bad("unterminated list");
                    if (s[pos] == 'e') { pos++; return list; }
                    list.Add(ReadValue(s, ref pos, depth + 1));
                }
            }
            case (byte)'d':
            {
                pos++;
                var dict = new BtDict();
                byte[]? previous = null;
                while (true)
                {
                    if (pos >= s.Length) throw Bad("unterminated dictionary");
                    if (s[pos] == 'e') { pos++; return dict; }
                    byte[] key = ReadString(s, ref pos);
                    if (previous is not null && ByteOrder.Instance.Compare(previous, key) >= 0)
                        throw Bad("dictionary keys are not strictly increasing");
                    previous = key;
                    dict.Add(key, ReadValue(s, ref pos, depth + 1));
                }
            }
            case >= (byte)'0' and <= (byte)'9':
                return ReadString(s, ref pos);
            default:
                throw Bad("unexpected byte");
        }
    }

    private static byte[] ReadString(ReadOnlySpan<byte> s, ref int pos)
    {
        if (pos >= s.Length || s[pos] is < (byte)'0' or > (byte)'9') throw Bad("expected a string");
        int colon = s[pos..].IndexOf((byte)':');
        if (colon <= 0 || colon > 10) throw Bad("bad string length");
        ReadOnlySpan<byte> digits = s.Slice(pos, colon);
        if (digits.Length > 1 && digits[0] == '0') throw Bad("string length has a leading zero");
        long length = 0;
        foreach (byte b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9') throw Bad("bad string length");
            length = length * 10 + (b - '0');
        }
        pos += colon + 1;
        if (length > s.Length - pos) throw Bad("string runs past the end of the data");
        byte[] value = s.Slice(pos, (int)length).ToArray();
        pos += (int)length;
        return value;
    }

    private static long ReadInt(ReadOnlySpan<byte> s, ref int pos)
    {
        int start = pos + 1;
        int end = s[start..].IndexOf((byte)'e');
        if (end <= 0 || end > 20) throw Bad("bad integer");
        ReadOnlySpan<byte> digits = s.Slice(start, end);
        bool negative = digits[0] == '-';
        ReadOnlySpan<byte> magnitude = negative ? digits[1..] : digits;
        if (magnitude.IsEmpty || (magnitude[0] == '0' && (magnitude.Length > 1 || negative)))
            throw Bad("integer is not canonical");
        ulong value = 0;
        foreach (byte b in magnitude)
        {
            if (b is < (byte)'0' or > (byte)'9') throw Bad("bad integer");
            ulong next = value * 10 + (ulong)(b - '0');
            if (next / 10 != value) throw Bad("integer out of range");
            value = next;
        }
        long result;
        if (negative)
        {
            if (value > 1UL << 63) throw Bad("integer out of range");
            result = value == 1UL << 63 ? long.MinValue : -(long)value;
        }
        else
        {
            if (value > long.MaxValue) throw Bad("integer out of range");
            result = (long)value;
        }
        pos = start + end + 1;
        return result;
    }

    internal static SessionException Bad(string detail) => Errors.InvalidArgument("config.malformed", "malformed config data: " + detail);

    // ------------------------------------------------------------------ values

    /// <summary>Deep copy (byte strings are treated as immutable and shared).</summary>
    public static object Copy(object value) => value switch
    {
        BtDict d => d.Copy(),
        ConfigSet s => new ConfigSet(s),
        BtList l => new BtList(l.Select(Copy)),
        _ => value,
    };

    /// <summary>Deep equality of two values.</summary>
    public static bool Same(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (long x, long y) => x == y,
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (ConfigSet x, ConfigSet y) => x.SetEquals(y),
        (BtDict x, BtDict y) => x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out object? v) && Same(kv.Value, v)),
        (BtList x, BtList y) => x.Count == y.Count && x.Zip(y).All(p => Same(p.First, p.Second)),
        _ => false,
    };
}

/// <summary>Unsigned byte-wise order, as std::string keys compare in libsession.</summary>
internal sealed class ByteOrder : IComparer<byte[]>, IEqualityComparer<byte[]>
{
    public static readonly ByteOrder Instance = new();
    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
    public int GetHashCode(byte[] obj)
    {
        var h = new HashCode();
        h.AddBytes(obj);
        return h.ToHashCode();
    }
}

/// <summary>A bt dictionary: byte-string keys in unsigned byte order.</summary>
internal sealed class BtDict : SortedDictionary<byte[], object>
{
    public BtDict() : base(ByteOrder.Instance) { }

    public BtDict Copy()
    {
        var copy = new BtDict();
        foreach (var (k, v) in this) copy.Add(k, Bt.Copy(v));
        return copy;
    }

    public object? Get(string key) => TryGetValue(Bt.K(key), out object? v) ? v : null;
    public object? Get(byte[] key) => TryGetValue(key, out object? v) ? v : null;
}

/// <summary>A bt list.</summary>
internal sealed class BtList : List<object>
{
    public BtList() { }
    public BtList(IEnumerable<object> items) : base(items) { }
}

/// <summary>
/// A config "set": unique scalars, integers first in numeric order, then byte strings in byte
/// order (std::variant&lt;int64, string&gt; ordering, §2.2). Encoded as a bt list.
/// </summary>
internal sealed class ConfigSet : SortedSet<object>
{
    public ConfigSet() : base(ScalarOrder.Instance) { }
    public ConfigSet(IEnumerable<object> items) : base(items, ScalarOrder.Instance) { }
}

/// <summary>Order of config scalars: every integer before every string.</summary>
internal sealed class ScalarOrder : IComparer<object>
{
    public static readonly ScalarOrder Instance = new();
    public int Compare(object? x, object? y) => (x, y) switch
    {
        (long a, long b) => a.CompareTo(b),
        (long, byte[]) => -1,
        (byte[], long) => 1,
        (byte[] a, byte[] b) => a.AsSpan().SequenceCompareTo(b),
        _ => throw new ArgumentException("config sets hold only integers and strings"),
    };
}
