using NUnit.Framework;
using SessionInterop.Client;
using SessionInterop.Crypto.Onion;
using SessionInterop.Network.Client;

namespace SessionInterop.Tests.Fuzz;

/// <summary>
/// Inputs the fuzzers of `make fuzz` (tests/fuzz/) found crashing a parser, each reduced to the
/// part that mattered. The files themselves are also replayed from tests/fuzz/regressions/.
/// </summary>
public sealed class FuzzRegressionTests
{
    // storage-json: a batch result whose "code" is an object threw InvalidOperationException.
    [Test]
    public void Batch_reply_with_a_non_numeric_code_is_unusable_not_an_exception()
    {
        Assert.That(StorageResponseParser.ParseBatch("""{"results":[{"code":{"mess":[]}},{"code":421,"body":""}]}"""), Is.Null);
        Assert.That(StorageResponseParser.ParseBatch("""{"results":[{"code":"200"}]}"""), Is.Null);
    }

    // storage-json: "hf":[19E3] (a number that is not an Int32) threw FormatException.
    [Test]
    public void Store_reply_ignores_hard_fork_entries_that_are_not_int32()
    {
        StoreResult? r = StorageResponseParser.ParseStore("""{"hash":"abc","hf":[19E3,1.5,99999999999,19,3],"t":1}""");
        Assert.That(r, Is.Not.Null);
        Assert.That(r!.HardFork, Is.EqualTo(new[] { 19, 3 }));
    }

    // Found while fixing the two above: records that are not objects (retrieve, get_swarm, seed lists).
    [Test]
    public void Records_that_are_not_objects_are_skipped_or_make_the_reply_unusable()
    {
        Assert.That(StorageResponseParser.ParseRetrieve("""{"messages":[1,"x",null]}"""), Is.Null);
        Assert.That(StorageResponseParser.ParseSwarm("""{"snodes":[1,[],"x"],"swarm":"ff"}""")!.Nodes, Is.Empty);
        Assert.That(StorageResponseParser.ParseServiceNodeStates("""{"result":{"service_node_states":[1,[2],"x"]}}"""), Is.Null);
    }

    // onion-reply: invalid UTF-8 inside a JSON string passes JsonDocument.Parse and throws
    // InvalidOperationException only when read (snode "body", v4 header values and names).
    [TestCase(OnionCipher.AesGcm)]
    [TestCase(OnionCipher.XChaCha20)]
    public void Onion_replies_with_invalid_utf8_in_json_strings_are_unreadable_not_an_exception(OnionCipher cipher)
    {
        byte[] key = new byte[32];
        var request = new OnionRequest([], cipher, key, new ServiceNode("127.0.0.1", 443, new string('a', 64), new string('b', 64)));
        byte[] snode = [.. "{\"status\":200,\"body\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.That(OnionResponseReader.ReadSnodeReply(request, OnionLayerCipher.Encrypt(cipher, key, snode)), Is.Null);

        byte[] meta = [.. "{\"code\":200,\"headers\":{\"x\":\""u8, 0xFF, .. "\"}}"u8];
        byte[] v4 = [.. System.Text.Encoding.ASCII.GetBytes($"l{meta.Length}:"), .. meta, (byte)'e'];
        Assert.That(OnionResponseReader.ReadServerReply(request, OnionLayerCipher.Encrypt(cipher, key, v4)), Is.Null);
        byte[] badName = [.. "{\"code\":200,\"headers\":{\""u8, 0xFE, .. "\":\"x\"}}"u8];
        Assert.That(V4Codec.DecodeResponse([.. System.Text.Encoding.ASCII.GetBytes($"l{badName.Length}:"), .. badName, (byte)'e']), Is.Null);
    }

    // ids-urls: a host Uri accepts but cannot convert to IDNA threw UriFormatException from IdnHost.
    [Test]
    public void A_community_url_whose_host_is_not_a_valid_idn_name_is_a_bad_url()
    {
        string key = new('a', 64);
        // The fuzzer's host bytes, decoded as the target does: U+FFFD replacements around a Syriac letter.
        byte[] host = [0x6D, 0x70, 0x4D, 0xDC, 0xDC, 0xDD, 0xDC, 0xDC, 0xDC, 0xDC, 0x9C, 0xDC, 0xDC, 0xDC, 0xDC, 0xDC, 0xDC, 0xDC, 0xDC, 0xDC, 0xDC, 0xDC, 0xDC, 0x65];
        string url = "https://" + System.Text.Encoding.UTF8.GetString(host) + "/lobby?public_key=" + key;
        var e = Assert.Throws<SessionException>(() => CommunityAddress.Parse(url));
        Assert.That(e!.Code, Is.EqualTo("community.bad_url"));
    }
}
