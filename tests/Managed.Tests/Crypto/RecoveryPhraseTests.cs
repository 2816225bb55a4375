using NUnit.Framework;
using SessionInterop.Crypto;

namespace SessionInterop.Tests.Crypto;

public sealed class RecoveryPhraseTests
{
    private const string File = "lsu-mnemonics.json";

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { File, "encode" })]
    public void Bytes_encode_to_the_official_phrase(Case c)
    {
        string[] words = Mnemonic.Encode(c.Bytes("bytes"), c.Bool("checksum"));
        Assert.That(string.Join(' ', words), Is.EqualTo(c.Str("phrase")));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { File, "encode" })]
    public void The_official_phrase_decodes_to_its_bytes(Case c)
    {
        byte[] bytes = Mnemonic.Decode(Mnemonic.Split(c.Str("phrase")));
        Assert.That(bytes, Is.EqualTo(c.Bytes("bytes")));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { File, "accepted_variants" })]
    public void Only_the_first_three_letters_of_each_word_matter(Case c) =>
        Assert.That(RecoveryPhrase.Decode(c.Str("phrase")), Is.EqualTo(c.Bytes("bytes")));

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { File, "rejected" })]
    public void Official_negative_phrases_are_rejected_with_their_code(Case c)
    {
        var ex = Assert.Throws<SessionException>(() => Mnemonic.Decode(Mnemonic.Split(c.Str("phrase"))));
        Assert.That(ex!.Code, Is.EqualTo(c.Str("code")), c.Str("what"));
        Assert.That(ex.Message, Does.Not.Contain("zzzzz"));
    }

    [TestCaseSource(typeof(Vectors), nameof(Vectors.Cases), new object[] { "independent.json", "phrases" })]
    public void Seed_and_phrase_map_to_each_other_and_to_the_account(Case c)
    {
        byte[] seed = c.Bytes("seed16");
        Assert.That(RecoveryPhrase.Encode(seed), Is.EqualTo(c.Str("phrase")));
        Assert.That(RecoveryPhrase.Decode(c.Str("phrase")), Is.EqualTo(seed));
        if (!c.Has("session_id")) return;
        using Identity id = Identity.FromRecoveryPhrase(c.Str("phrase"));
        Assert.That(id.SessionId.ToString(), Is.EqualTo(c.Str("session_id")));
        Assert.That(id.ToRecoveryPhrase(), Is.EqualTo(c.Str("phrase")));
    }

    [Test]
    public void Case_and_extra_whitespace_are_ignored()
    {
        const string phrase = "vexed enjoy pigment films adept voted vexed enjoy pigment films adept voted adept";
        string messy = "  VEXED  Enjoy\tpigment films\n adept voted vexed enjoy pigment FILMS adept voted   adept ";
        Assert.That(RecoveryPhrase.Decode(messy), Is.EqualTo(RecoveryPhrase.Decode(phrase)));
    }

    [TestCase(12)]
    [TestCase(14)]
    [TestCase(1)]
    [TestCase(0)]
    public void Wrong_word_counts_are_rejected(int count)
    {
        string phrase = string.Join(' ', Enumerable.Repeat("abbey", count));
        var ex = Assert.Throws<SessionException>(() => RecoveryPhrase.Decode(phrase));
        Assert.That(ex!.Code, Is.EqualTo("mnemonic.bad_word_count"));
    }

    [Test]
    public void Word_list_has_1626_words_with_unique_three_letter_prefixes()
    {
        Assert.That(WordList.Count, Is.EqualTo(1626));
        Assert.That(WordList.Words[0], Is.EqualTo("abbey"));
        Assert.That(WordList.Words[1625], Is.EqualTo("zoom"));
        Assert.That(WordList.Words.Select(w => w[..3]).Distinct().Count(), Is.EqualTo(1626));
    }

    [Test]
    public void Crc32_matches_the_standard_check_value() =>
        Assert.That(Crc32.Compute("123456789"u8), Is.EqualTo(0xCBF43926u));

    [Test, Repeat(200)]
    public void Random_seeds_round_trip_through_13_words()
    {
        byte[] seed = new byte[16];
        TestRandom.Rng.NextBytes(seed);
        string phrase = RecoveryPhrase.Encode(seed);
        Assert.That(phrase.Split(' '), Has.Length.EqualTo(13));
        Assert.That(RecoveryPhrase.Decode(phrase), Is.EqualTo(seed), phrase);
    }

    [Test, Repeat(50)]
    public void Random_32_byte_seeds_round_trip_through_25_words()
    {
        byte[] seed = new byte[32];
        TestRandom.Rng.NextBytes(seed);
        string phrase = RecoveryPhrase.Encode(seed);
        Assert.That(phrase.Split(' '), Has.Length.EqualTo(25));
        Assert.That(RecoveryPhrase.Decode(phrase), Is.EqualTo(seed));
    }

    [Test, Repeat(50)]
    public void Changing_one_data_word_is_caught_by_the_checksum_or_the_encoding()
    {
        byte[] seed = new byte[16];
        TestRandom.Rng.NextBytes(seed);
        string[] words = RecoveryPhrase.Encode(seed).Split(' ');
        int position = TestRandom.Rng.Next(12);
        string replacement;
        do replacement = WordList.Words[TestRandom.Rng.Next(WordList.Count)];
        while (replacement[..3] == words[position][..3]);
        words[position] = replacement;
        // A changed word either breaks the checksum or the group encoding; rarely the checksum
        // collides (1 in 12), in which case the decoded seed must differ.
        try
        {
            byte[] decoded = RecoveryPhrase.Decode(string.Join(' ', words));
            Assert.That(decoded, Is.Not.EqualTo(seed));
        }
        catch (SessionException ex)
        {
            Assert.That(ex.Code, Is.AnyOf("mnemonic.bad_checksum", "mnemonic.bad_encoding"));
        }
    }
}
