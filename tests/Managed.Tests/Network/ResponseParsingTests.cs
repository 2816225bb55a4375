using System.Text;
using System.Text.Json;
using NUnit.Framework;
using SessionInterop.Network.Client;

namespace SessionInterop.Tests.Network;

// protocol-network.md §2.3, §3.2-§3.4, §4.4, §5.4, §5.8.
public sealed class ResponseParsingTests
{
    private const string Ed = "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c";
    private const string X = "1b1b58dd50ea14b60da17b790cd02754d970c9bab864ebb3c0f3016fe51d3f57";

    [Test]
    public void Retrieve_reply_reads_hash_data_timestamp_and_expiration()
    {
        const string body = """{"messages":[{"hash":"h1","timestamp":1700000000001,"expiration":1700000100000,"data":"AQID"}],"more":true,"t":1700000000500,"hf":[19,3]}""";
        RetrieveResult? r = StorageResponseParser.ParseRetrieve(body);
        Assert.That(r, Is.Not.Null);
        Assert.That(r!.Messages, Has.Count.EqualTo(1));
        Assert.That(r.Messages[0], Is.EqualTo(new RetrievedMessage("h1", "AQID", 1700000000001, 1700000100000)));
        Assert.That(r.More, Is.True);
        Assert.That(r.ServerTimeMs, Is.EqualTo(1700000000500));
    }

    [Test]
    public void Store_reply_reads_hash_time_and_per_node_results()
    {
        string body = $$$"""{"swarm":{"{{{Ed}}}":{"hash":"hh","signature":"c2ln","expiry":5,"t":1},"ab":{"failed":true,"timeout":true}},"hash":"hh","t":1700000000000,"hf":[19,3]}""";
        StoreResult? r = StorageResponseParser.ParseStore(body);
        Assert.That(r, Is.Not.Null);
        Assert.That(r!.Hash, Is.EqualTo("hh"));
        Assert.That(r.ServerTimeMs, Is.EqualTo(1700000000000));
        Assert.That(r.HardFork, Is.EqualTo(new[] { 19, 3 }));
        Assert.That(r.Nodes, Has.Count.EqualTo(2));
        Assert.That(r.Nodes[0], Is.EqualTo(new StoreNodeResult(Ed, "hh", "c2ln", 5, false, false)));
        Assert.That(r.Nodes[1].Failed, Is.True);
    }

    [Test]
    public void Delete_reply_reads_deleted_hashes_per_node()
    {
        DeleteResult? r = StorageResponseParser.ParseDelete("""{"swarm":{"a":{"deleted":["x","y"],"signature":"s"},"b":{"failed":true}},"t":1}""");
        Assert.That(r!.DeletedByNode["a"], Is.EqualTo(new[] { "x", "y" }));
        Assert.That(r.DeletedByNode["b"], Is.Null);
    }

    [Test]
    public void Misdirected_421_body_yields_the_new_swarm()
    {
        string body = $$"""{"snodes":[{"address":"x.snode","pubkey_legacy":"00","pubkey_x25519":"{{X}}","pubkey_ed25519":"{{Ed}}","port":"22021","port_https":22021,"port_omq":20201,"ip":"1.2.3.4"},{"ip":"0.0.0.0","port_https":1,"pubkey_ed25519":"{{Ed}}","pubkey_x25519":"{{X}}"}],"swarm":"1f","t":1700000000000,"hf":[19,3]}""";
        SwarmInfo? s = StorageResponseParser.ParseSwarm(body);
        Assert.That(s, Is.Not.Null);
        Assert.That(s!.SwarmId, Is.EqualTo(0x1fUL));
        Assert.That(s.Nodes, Has.Count.EqualTo(1), "0.0.0.0 entries are dropped");
        Assert.That(s.Nodes[0], Is.EqualTo(new ServiceNode("1.2.3.4", 22021, Ed, X)));
        Assert.That(s.Nodes[0].Port, Is.EqualTo(22021));
    }

    [Test]
    public void Seed_node_records_are_parsed_and_invalid_ones_dropped()
    {
        string body = $$$"""
            {"jsonrpc":"2.0","id":0,"result":{"service_node_states":[
              {"public_ip":"127.0.1.1","storage_port":22001,"pubkey_x25519":"{{{X}}}","pubkey_ed25519":"{{{Ed}}}","requested_unlock_height":0,"swarm_id":18446744073709551614},
              {"public_ip":"0.0.0.0","storage_port":1,"pubkey_x25519":"{{{X}}}","pubkey_ed25519":"{{{Ed}}}"},
              {"public_ip":"","storage_port":1,"pubkey_x25519":"{{{X}}}","pubkey_ed25519":"{{{Ed}}}"},
              {"public_ip":"127.0.2.1","storage_port":22002,"pubkey_ed25519":"zz"}],
             "height":1234,"status":"OK"}}
            """;
        IReadOnlyList<ServiceNode>? nodes = StorageResponseParser.ParseServiceNodeStates(body);
        Assert.That(nodes, Has.Count.EqualTo(1));
        Assert.That(nodes![0].Ip, Is.EqualTo("127.0.1.1"));
        Assert.That(nodes[0].SwarmId, Is.EqualTo(18446744073709551614UL));
        Assert.That(StorageResponseParser.ParseServiceNodeStates("""{"result":{"service_node_states":[]}}"""), Is.Null);
    }

    [Test]
    public void Missing_x25519_key_is_derived_from_the_ed25519_key()
    {
        using JsonDocument doc = JsonDocument.Parse($$"""{"ip":"127.0.1.1","port_https":1,"pubkey_ed25519":"{{Ed}}"}""");
        Assert.That(NodeRecordParser.TryParse(doc.RootElement)!.X25519Hex, Is.EqualTo(X));
    }

    [Test]
    public void Malformed_bodies_give_null_not_exceptions()
    {
        Assert.That(StorageResponseParser.ParseRetrieve("not json"), Is.Null);
        Assert.That(StorageResponseParser.ParseRetrieve("[]"), Is.Null);
        Assert.That(StorageResponseParser.ParseSwarm("{}"), Is.Null);
        Assert.That(StorageResponseParser.ParseServerTime("Timestamp error: check your clock"), Is.Null);
        Assert.That(V4Codec.DecodeResponse("l5:abcde"u8), Is.Null);
        Assert.That(V4Codec.DecodeResponse("l99:{}e"u8), Is.Null);
    }

    [Test]
    public void V4_request_with_body_has_two_strings_and_a_default_content_type()
    {
        byte[] encoded = V4Codec.EncodeRequest(new ServerRequest("POST", "/some/thing", new Dictionary<string, string> { ["Some-Header"] = "a" }, "post body here"u8.ToArray()));
        Assert.That(Encoding.UTF8.GetString(encoded),
            Is.EqualTo("""l106:{"method":"POST","endpoint":"/some/thing","headers":{"Some-Header":"a","Content-Type":"application/json"}}14:post body heree"""));
        // protocol-network.md §5.4 example: an explicit content type suppresses the default.
        byte[] get = V4Codec.EncodeRequest(new ServerRequest("GET", "/room/some-room", new Dictionary<string, string> { ["Some-Header"] = "12345" }));
        Assert.That(Encoding.UTF8.GetString(get), Is.EqualTo("""l79:{"method":"GET","endpoint":"/room/some-room","headers":{"Some-Header":"12345"}}e"""));
    }

    [TestCase(400, "Invalid ciphertext", "InvalidCiphertext", null)]
    [TestCase(400, "Error parsing onion request: bad json", "BadRequest", null)]
    [TestCase(400, "onion request max path length exceeded", "PathTooLong", null)]
    [TestCase(500, "Invalid response from snode", "InvalidHopResponse", null)]
    [TestCase(502, "Next node not found: " + Ed, "NodeNotFound", Ed)]
    [TestCase(502, "Next node is currently unreachable: " + Ed, "NodeNotFound", Ed)]
    [TestCase(502, "Connection refused", "ServerUnreachable", null)]
    [TestCase(503, "Service node is not ready: syncing\n", "GuardNotReady", null)]
    [TestCase(503, "Server busy, try again later", "GuardNotReady", null)]
    [TestCase(503, "Snode not ready: " + Ed, "SnodeNotReady", Ed)]
    [TestCase(504, "Request time out", "PathTimeout", null)]
    [TestCase(504, "Operation timed out after 25000 ms", "ServerTimeout", null)]
    [TestCase(406, "Timestamp error: check your clock", "ClockOutOfSync", null)]
    [TestCase(418, "teapot", "Other", null)]
    public void Hop_errors_are_classified_per_the_catalogue(int status, string body, string kind, string? node)
    {
        HopError e = HopErrorClassifier.Classify(status, body);
        Assert.That(e.Kind.ToString(), Is.EqualTo(kind));
        Assert.That(e.NodeEd25519Hex, Is.EqualTo(node));
    }

    [Test]
    public void Batch_results_keep_codes_and_bodies_in_order()
    {
        IReadOnlyList<SnodeReply>? r = StorageResponseParser.ParseBatch("""{"results":[{"code":200,"body":{"messages":[],"t":1}},{"code":401,"body":"retrieve signature verification failed"}]}""");
        Assert.That(r, Has.Count.EqualTo(2));
        Assert.That(r![0], Is.EqualTo(new SnodeReply(200, """{"messages":[],"t":1}""")));
        Assert.That(r[1], Is.EqualTo(new SnodeReply(401, "retrieve signature verification failed")));
    }

    [Test]
    public void Store_reply_node_signatures_are_verified_against_the_node_key()
    {
        var keys = Sodium.PublicKeyAuth.GenerateKeyPair(new byte[32]);
        string node = Convert.ToHexStringLower(keys.PublicKey);
        string hash = new('Q', 43);
        string good = Convert.ToBase64String(Sodium.PublicKeyAuth.SignDetached(Encoding.ASCII.GetBytes(hash), keys.PrivateKey));
        string body = $$$"""{"swarm":{"{{{node}}}":{"hash":"{{{hash}}}","signature":"{{{good}}}"},"{{{Ed}}}":{"hash":"{{{hash}}}","signature":"{{{good}}}"}},"t":1}""";
        StoreResult r = StorageResponseParser.ParseStore(body)!;
        Assert.That(r.Nodes.Single(n => n.NodeEd25519Hex == node).SignatureValid, Is.True);
        Assert.That(r.Nodes.Single(n => n.NodeEd25519Hex == Ed).SignatureValid, Is.False);
    }
}
