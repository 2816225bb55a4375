using System.Reflection;

namespace SessionInterop.Crypto;

/// <summary>
/// The 1626-word English list (§2.1), embedded from mnemonic-english.txt — a copy of
/// shared/data/mnemonic-english.txt, itself the official list (session-desktop
/// mnemonic_languages/english.json, libsession src/mnemonics/languages/english.txt). Order is normative.
/// </summary>
internal static class WordList
{
    public const int PrefixLength = 3;
    private const string ResourceName = "SessionInterop.Crypto.mnemonic-english.txt";

    private static readonly Lazy<(string[] Words, Dictionary<string, int> ByPrefix)> s_list = new(Load);

    public static IReadOnlyList<string> Words => s_list.Value.Words;
    public static int Count => s_list.Value.Words.Length;

    /// <summary>Index of the word whose first three letters match; -1 if none.</summary>
    public static int IndexOfPrefix(ReadOnlySpan<char> word)
    {
        if (word.Length < PrefixLength) return -1;
        var lookup = s_list.Value.ByPrefix.GetAlternateLookup<ReadOnlySpan<char>>();
        return lookup.TryGetValue(word[..PrefixLength], out int index) ? index : -1;
    }

    private static (string[], Dictionary<string, int>) Load()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw Errors.Crypto("mnemonic.no_word_list", "the embedded word list is missing");
        using var reader = new StreamReader(stream);
        string[] words = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length != 1626)
            throw Errors.Crypto("mnemonic.no_word_list", $"the embedded word list has {words.Length} words, expected 1626");
        var byPrefix = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++) byPrefix.Add(words[i][..PrefixLength], i);
        return (words, byPrefix);
    }
}
