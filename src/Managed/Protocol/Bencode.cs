using System.Globalization;
using System.Text;

namespace SessionInterop.Protocol;

/// <summary>
/// The small bencode subset groups v2 messages use (§9.2): one flat dictionary whose values are
/// byte strings or integers, keys strictly ascending. Strict on input: no leading zeros, no
/// duplicate or unsorted keys, nothing after the final 'e'.
/// </summary>
internal static class Bencode
{
    public sealed class DictWriter
    {
        private readonly MemoryStream _out = new();

        public DictWriter() => _out.WriteByte((byte)'d');

        public DictWriter Bytes(string key, ReadOnlySpan<byte> value)
        {
            WriteString(Encoding.ASCII.GetBytes(key));
            WriteString(value);
            return this;
        }

        public DictWriter Int(string key, long value)
        {
            WriteString(Encoding.ASCII.GetBytes(key));
            _out.Write(Encoding.ASCII.GetBytes("i" + value.ToString(CultureInfo.InvariantCulture) + "e"));
            return this;
        }

        public byte[] Finish()
        {
            _out.WriteByte((byte)'e');
            return _out.ToArray();
        }

        private void WriteString(ReadOnlySpan<byte> s)
        {
            _out.Write(Encoding.ASCII.GetBytes(s.Length.ToString(CultureInfo.InvariantCulture) + ":"));
            _out.Write(s);
        }
    }

    /// <summary>A parsed value: either bytes or an integer.</summary>
    public readonly record struct Value(ReadOnlyMemory<byte>? Bytes, long? Int);

    public static Dictionary<string, Value> ParseDict(ReadOnlyMemory<byte> input)
    {
        ReadOnlySpan<byte> s = input.Span;
        int pos = 0;
        if (s.Length < 2 || s[pos++] != 'd') throw Bad();
        var result = new Dictionary<string, Value>(StringComparer.Ordinal);
        string? previous = null;
        while (pos < s.Length && s[pos] != 'e')
        {
            string key = Encoding.ASCII.GetString(ReadString(input, ref pos).Span);
            if (previous is not null && string.CompareOrdinal(previous, key) >= 0) throw Bad();
            previous = key;
            if (pos >= s.Length) throw Bad();
            result[key] = s[pos] == 'i' ? new Value(null, ReadInt(s, ref pos)) : new Value(ReadString(input, ref pos), null);
        }
        if (pos != s.Length - 1) throw Bad();   // must end exactly at the closing 'e'
        return result;
    }

    private static ReadOnlyMemory<byte> ReadString(ReadOnlyMemory<byte> input, ref int pos)
    {
        ReadOnlySpan<byte> s = input.Span;
        int colon = s[pos..].IndexOf((byte)':');
        if (colon <= 0) throw Bad();
        long length = ParseDigits(s.Slice(pos, colon));
        pos += colon + 1;
        if (length > s.Length - pos) throw Bad();
        ReadOnlyMemory<byte> value = input.Slice(pos, (int)length);
        pos += (int)length;
        return value;
    }

    private static long ReadInt(ReadOnlySpan<byte> s, ref int pos)
    {
        pos++;   // 'i'
        int end = s[pos..].IndexOf((byte)'e');
        if (end <= 0) throw Bad();
        ReadOnlySpan<byte> digits = s.Slice(pos, end);
        bool negative = digits[0] == '-';
        long value = ParseDigits(negative ? digits[1..] : digits);
        if (negative && value == 0) throw Bad();   // "-0" is not canonical
        pos += end + 1;
        return negative ? -value : value;
    }

    private static long ParseDigits(ReadOnlySpan<byte> digits)
    {
        if (digits.IsEmpty || digits.Length > 15 || (digits[0] == '0' && digits.Length > 1)) throw Bad();
        long value = 0;
        foreach (byte b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9') throw Bad();
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static SessionException Bad() => Errors.InvalidArgument("message.malformed", "malformed bencoded group message");
}
