using System.Buffers.Binary;
using System.Text;

namespace SessionInterop.Crypto;

/// <summary>
/// The Electrum-style word codec of §2: every 4 bytes (little-endian uint32) become 3 word indices,
/// optionally followed by one checksum word. Words are matched by their first 3 letters only.
/// Error messages name word positions, never words (the phrase is a secret).
/// </summary>
internal static class Mnemonic
{
    public static string[] Encode(ReadOnlySpan<byte> data, bool withChecksum)
    {
        if (data.Length == 0 || data.Length % 4 != 0)
            throw Errors.InvalidArgument("mnemonic.bad_length", $"phrase data must be a non-empty multiple of 4 bytes, got {data.Length}");
        IReadOnlyList<string> list = WordList.Words;
        uint n = (uint)list.Count;
        var words = new List<string>(data.Length / 4 * 3 + 1);
        for (int i = 0; i < data.Length; i += 4)
        {
            uint x = BinaryPrimitives.ReadUInt32LittleEndian(data[i..]);
            uint w1 = x % n;
            uint w2 = (x / n + w1) % n;
            uint w3 = (x / n / n + w2) % n;
            words.Add(list[(int)w1]); words.Add(list[(int)w2]); words.Add(list[(int)w3]);
        }
        if (withChecksum) words.Add(words[ChecksumIndex(words)]);
        return [.. words];
    }

    /// <summary>
    /// Decodes a word sequence. A count that is a multiple of 3 has no checksum word; a multiple of
    /// 3 plus 1 has one, which must match (libsession's rule). Other counts are rejected.
    /// </summary>
    public static byte[] Decode(IReadOnlyList<string> words)
    {
        int count = words.Count;
        if (count == 0 || count % 3 == 2)
            throw Errors.InvalidArgument("mnemonic.bad_word_count", $"a phrase cannot have {count} words");
        int dataWords = count - count % 3;
        int n = WordList.Count;
        var indices = new int[dataWords];
        for (int i = 0; i < dataWords; i++) indices[i] = IndexOf(words[i], i);

        if (count % 3 == 1)
        {
            int expected = ChecksumIndex(words.Take(dataWords).ToList());
            int supplied = IndexOf(words[count - 1], count - 1);
            if (indices[expected] != supplied)
                throw Errors.InvalidArgument("mnemonic.bad_checksum", "the recovery phrase checksum word does not match");
        }

        var bytes = new byte[dataWords / 3 * 4];
        for (int i = 0; i < dataWords; i += 3)
        {
            long a = indices[i], b = indices[i + 1], c = indices[i + 2];
            long x = a + n * ((n - a + b) % n) + (long)n * n * ((n - b + c) % n);
            if (x % n != a || x > uint.MaxValue)
                throw Errors.InvalidArgument("mnemonic.bad_encoding", $"words {i + 1}-{i + 3} do not form a valid group");
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i / 3 * 4), (uint)x);
        }
        return bytes;
    }

    /// <summary>Splits on any whitespace and lowercases (ASCII), tolerating extra spaces.</summary>
    public static string[] Split(string phrase)
    {
        ArgumentNullException.ThrowIfNull(phrase);
        return phrase.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    private static int IndexOf(string word, int position)
    {
        int index = WordList.IndexOfPrefix(word.AsSpan());
        if (index < 0)
            throw Errors.InvalidArgument("mnemonic.unknown_word", $"word {position + 1} of the phrase is not in the word list");
        return index;
    }

    /// <summary>CRC-32 of the concatenated 3-letter prefixes, modulo the number of words.</summary>
    private static int ChecksumIndex(IReadOnlyList<string> words)
    {
        var prefixes = new StringBuilder(words.Count * WordList.PrefixLength);
        foreach (string w in words) prefixes.Append(w.AsSpan(0, Math.Min(WordList.PrefixLength, w.Length)));
        byte[] utf8 = Encoding.UTF8.GetBytes(prefixes.ToString());
        return (int)(Crc32.Compute(utf8) % (uint)words.Count);
    }
}
