using System.Text;
using System.Text.Json;
using NUnit.Framework;
using SessionInterop.Crypto.Onion;
using SessionInterop.Network.Client;
using SessionInterop.Network.Onion;

namespace SessionInterop.Tests.Network;

// protocol-network.md §6.3 / Vectors/onion_vectors.json: every layer, byte for byte.
public sealed class OnionVectorTests
{
    private static readonly string[] s_layerNames = ["destination", "hop2", "hop1", "hop0"];

    [TestCase("v1_snode_dest_aesgcm", OnionCipher.AesGcm)]
    [TestCase("v2_snode_dest_xchacha20", OnionCipher.XChaCha20)]
    public void Snode_destination_onion_matches_every_layer_of_the_vector(string name, OnionCipher cipher)
    {
        JsonElement v = VectorFile.Case(name);
        var traces = new List<OnionLayerTrace>();
        OnionRequest request = OnionRequestBuilder.ForSnode(VectorFile.Path, VectorFile.Destination,
            Encoding.UTF8.GetBytes(v.Str("rpc_body")), cipher, new VectorEntropy(), traces.Add);

        AssertLayers(v, traces);
        Assert.That(traces[0].Plaintext, Is.EqualTo(v.Hex("destination_plaintext")));
        Assert.That(request.Body, Is.EqualTo(v.Hex("outer_http_body_to_guard")));
        Assert.That(request.ResponseKey, Is.EqualTo(v.GetProperty("layers")[0].Hex("sym_key")));
    }

    [Test]
    public void Server_destination_v4_onion_matches_every_layer_of_the_vector()
    {
        JsonElement v = VectorFile.Case("v3_server_dest_v4_aesgcm");
        JsonElement s = v.GetProperty("server");
        var server = new ServerTarget(s.Str("host"), s.Str("x25519"), s.Str("protocol"), s.GetProperty("port").GetInt32());
        var traces = new List<OnionLayerTrace>();
        OnionRequest request = OnionRequestBuilder.ForServer(VectorFile.Path, server,
            new ServerRequest("GET", "/capabilities", new Dictionary<string, string>()), OnionCipher.AesGcm, new VectorEntropy(), traces.Add);

        AssertLayers(v, traces);
        Assert.That(Encoding.UTF8.GetString(traces[0].Plaintext), Is.EqualTo(v.Str("v4_request_plaintext")));
        Assert.That(request.Body, Is.EqualTo(v.Hex("outer_http_body_to_guard")));
    }

    [TestCase("v1_snode_dest_aesgcm", OnionCipher.AesGcm)]
    [TestCase("v2_snode_dest_xchacha20", OnionCipher.XChaCha20)]
    public void Snode_reply_of_the_vector_decrypts_to_the_status_envelope(string name, OnionCipher cipher)
    {
        JsonElement v = VectorFile.Case(name);
        OnionRequest request = OnionRequestBuilder.ForSnode(VectorFile.Path, VectorFile.Destination,
            Encoding.UTF8.GetBytes(v.Str("rpc_body")), cipher, new VectorEntropy());

        SnodeReply? reply = OnionResponseReader.ReadSnodeReply(request, Encoding.ASCII.GetBytes(v.Str("response_http_body_base64")));

        Assert.That(reply, Is.Not.Null);
        Assert.That(reply!.Status, Is.EqualTo(200));
        Assert.That(reply.Body, Is.EqualTo("""{"version":[2,8,0],"timestamp":1700000000000,"t":1700000000000,"hf":[19,3]}"""));
        Assert.That(StorageResponseParser.ParseServerTime(reply.Body), Is.EqualTo(1700000000000L));
    }

    [Test]
    public void Server_reply_of_the_vector_decrypts_to_the_v4_response()
    {
        JsonElement v = VectorFile.Case("v3_server_dest_v4_aesgcm");
        JsonElement s = v.GetProperty("server");
        var server = new ServerTarget(s.Str("host"), s.Str("x25519"), s.Str("protocol"), s.GetProperty("port").GetInt32());
        OnionRequest request = OnionRequestBuilder.ForServer(VectorFile.Path, server,
            new ServerRequest("GET", "/capabilities"), OnionCipher.AesGcm, new VectorEntropy());

        ServerResponse? response = OnionResponseReader.ReadServerReply(request, v.Hex("response_http_body_raw_hex"));

        Assert.That(response, Is.Not.Null);
        Assert.That(response!.Code, Is.EqualTo(200));
        Assert.That(response.ContentType, Is.EqualTo("application/json"));
        Assert.That(Encoding.UTF8.GetString(response.Body), Is.EqualTo("""{"capabilities":["blind","reactions","sogs"]}"""));
    }

    [Test]
    public void Tampered_reply_is_rejected()
    {
        JsonElement v = VectorFile.Case("v1_snode_dest_aesgcm");
        OnionRequest request = OnionRequestBuilder.ForSnode(VectorFile.Path, VectorFile.Destination,
            Encoding.UTF8.GetBytes(v.Str("rpc_body")), OnionCipher.AesGcm, new VectorEntropy());
        byte[] sealedBytes = Convert.FromBase64String(v.Str("response_http_body_base64"));
        sealedBytes[^1] ^= 1;

        Assert.That(OnionResponseReader.ReadSnodeReply(request, Encoding.ASCII.GetBytes(Convert.ToBase64String(sealedBytes))), Is.Null);
    }

    private static void AssertLayers(JsonElement v, List<OnionLayerTrace> traces)
    {
        JsonElement layers = v.GetProperty("layers");
        Assert.That(traces, Has.Count.EqualTo(4));
        for (int k = 0; k < 4; k++)
        {
            JsonElement layer = layers[k];
            Assert.That(layer.Str("layer"), Is.EqualTo(s_layerNames[k]));
            OnionLayerTrace t = traces[k];
            Assert.Multiple(() =>
            {
                Assert.That(t.Layer, Is.EqualTo(k));
                Assert.That(t.EphemeralPublic, Is.EqualTo(layer.Hex("eph_pk")), $"eph_pk layer {k}");
                if (layer.TryGetProperty("sym_key", out _))
                    Assert.That(t.Key, Is.EqualTo(layer.Hex("sym_key")), $"key layer {k}");
                Assert.That(t.Plaintext, Is.EqualTo(layer.Hex("plaintext")), $"plaintext layer {k}");
                Assert.That(t.Ciphertext, Is.EqualTo(layer.Hex("ciphertext")), $"ciphertext layer {k}");
                Assert.That(t.Ciphertext.AsSpan(0, layer.Hex("nonce").Length).ToArray(), Is.EqualTo(layer.Hex("nonce")));
            });
            if (layer.TryGetProperty("routing_json", out JsonElement routing))
            {
                // The routing JSON sits after the inner blob in this layer's plaintext.
                Assert.That(OnionFrame.TryParse(t.Plaintext, out _, out ReadOnlyMemory<byte> json), Is.True);
                Assert.That(Encoding.UTF8.GetString(json.Span), Is.EqualTo(routing.GetString()));
            }
        }
    }
}
