using System.Text.Json.Nodes;
using SessionInterop.LocalNet.Tests.Support;

namespace SessionInterop.LocalNet.Tests;

// The §6.3 vectors end to end: LocalNet runs the vector's four nodes (Ed25519 seed = 32 bytes of
// value i), the guard receives the vector's outer body unchanged, every hop peels its layer, the
// destination answers "info", and the client opens the reply with the vector's ephemeral key.
[TestFixture]
internal sealed class OnionVectorNodeTests : LocalNetFixture
{
    protected override LocalNetOptions Options() => new()
    {
        Nodes = 4,
        SwarmSize = 4,
        NodeSeeds = Enumerable.Range(1, 4).Select(i => Enumerable.Repeat((byte)i, 32).ToArray()).ToList(),
    };

    [Test]
    public void LocalNet_nodes_have_the_vector_identities()
    {
        JsonObject nodes = (JsonObject)Vectors.Onion["nodes"]!;
        string[] names = ["guard(1)", "middle(2)", "exit(3)", "destination(4)"];
        for (int i = 0; i < 4; i++)
        {
            Assert.That(Node(i + 1).Ed25519, Is.EqualTo(Vectors.Str(nodes[names[i]]!["ed25519"])));
            Assert.That(Node(i + 1).X25519, Is.EqualTo(Vectors.Str(nodes[names[i]]!["x25519"])));
        }
    }

    [TestCase("v1_snode_dest_aesgcm", false)]
    [TestCase("v2_snode_dest_xchacha20", true)]
    public async Task Vector_request_travels_three_hops_and_the_client_decrypts_the_info_answer(string name, bool xchacha)
    {
        JsonObject v = Vectors.Case(name);
        (int status, string body, string? contentType) = await OnionAsync(Node(1), Vectors.Hex(v["outer_http_body_to_guard"]));
        Assert.That(status, Is.EqualTo(200), body);
        Assert.That(contentType, Is.EqualTo("text/plain"));

        JsonObject dest = (JsonObject)((JsonArray)v["layers"]!)[0]!;
        byte[] destPk = Vectors.Hex(dest["recipient_x25519"]);
        byte[] key = SpecOnion.LayerKey(xchacha, Vectors.Hex(dest["eph_sk"]), destPk, Vectors.Hex(dest["eph_pk"]), destPk);
        Assert.That(key, Is.EqualTo(Vectors.Hex(dest["sym_key"])));
        var envelope = (JsonObject)JsonNode.Parse(SpecOnion.Decrypt(xchacha, key, Convert.FromBase64String(body)))!;

        Assert.That(envelope["status"]!.GetValue<int>(), Is.EqualTo(200));
        var info = (JsonObject)JsonNode.Parse(envelope["body"]!.GetValue<string>())!; // double-encoded
        Assert.That(info["version"]!.ToJsonString(), Is.EqualTo("[2,8,0]"));
        Assert.That(info["hf"]!.ToJsonString(), Is.EqualTo("[19,3]"));
        Assert.That(info["t"]!.GetValue<long>(), Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).Within(10_000));
    }

    [Test]
    public async Task Server_vector_is_peeled_to_the_exit_which_refuses_a_non_loopback_host()
    {
        JsonObject v = Vectors.Case("v3_server_dest_v4_aesgcm");
        (int status, string body, _) = await OnionAsync(Node(1), Vectors.Hex(v["outer_http_body_to_guard"]));
        // The exit found {"host":"sogs.example",...}: LocalNet never leaves loopback, so it answers
        // as an exit that cannot reach the server (502 with an error text, §5.8).
        Assert.That(status, Is.EqualTo(502));
        Assert.That(body, Does.Contain("sogs.example"));
    }

    [Test]
    public async Task Tampered_vector_body_is_rejected_by_the_guard_as_invalid_ciphertext()
    {
        byte[] outer = Vectors.Hex(Vectors.Case("v1_snode_dest_aesgcm")["outer_http_body_to_guard"]);
        outer[4 + 20] ^= 0x01;
        (int status, string body, _) = await OnionAsync(Node(1), outer);
        Assert.That((status, body), Is.EqualTo((400, "Invalid ciphertext")));
    }
}
