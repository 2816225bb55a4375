namespace SessionInterop.Crypto;

/// <summary>
/// Session recovery phrases (§2): a 16-byte account seed ↔ 13 English words (12 + checksum).
/// A 32-byte seed maps to 25 words. Decoding ignores case and extra whitespace and, like the
/// official apps, identifies each word by its first three letters.
/// </summary>
internal static class RecoveryPhrase
{
    /// <summary>Encodes a 16-byte (13 words) or 32-byte (25 words) seed.</summary>
    public static string Encode(ReadOnlySpan<byte> seed)
    {
        if (seed.Length is not (16 or 32))
            throw Errors.InvalidArgument("mnemonic.bad_length", $"a seed has 16 or 32 bytes, got {seed.Length}");
        return string.Join(' ', Mnemonic.Encode(seed, withChecksum: true));
    }

    /// <summary>Decodes a 13-word (or 25-word) phrase to its 16-byte (or 32-byte) seed.</summary>
    public static byte[] Decode(string phrase)
    {
        string[] words = Mnemonic.Split(phrase);
        if (words.Length is not (13 or 25))
            throw Errors.InvalidArgument("mnemonic.bad_word_count", $"a recovery phrase has 13 words, got {words.Length}");
        return Mnemonic.Decode(words);
    }
}
