using System.Text;
using System.Text.Json.Nodes;
using SessionInterop.Crypto.Onion;
using SessionInterop.LocalNet.Tests.Support;
using SessionInterop.Network.Onion;

namespace SessionInterop.LocalNet.Tests;

// The node side of the onion vectors, run on the shared layer cipher and frame code
// (src/Managed/Crypto/Onion, src/Managed/Network/Onion) that LocalNet and the client use.
[TestFixture]
internal sealed class OnionCipherVectorTests
{
    // §6.1, libsession-util tests/test_onionreq.cpp "Onion request encryption".
    private static readonly byte[] s_a = Convert.FromHexString("bbdfc83022d0aff084a6f0c529a93d1c4d728bf7e41199afed0e01ae70d20540");
    private static readonly byte[] s_b = Convert.FromHexString("caea52c5b0c316d85ffb53ea536826618b13dee40685f166f632653114526a78");
    private static readonly byte[] s_bSecret = Convert.FromHexString("8fcd8ad3a15c76f76f1c56dff0c529999f8c59b4acda79e05666e54d5727dca1");
    private const string GcmHello = "1eb6ae1cd72f60999486365749bd5dc15cc0b6a2a44d7d063daa5e93722f0c025fd00306403b61";
    private const string XChaChaHello = "9e1a3abe60eff3ea5c23556cc7e225b6f94355315f7281f66ecf4dbb06e7899a52b863e03cde3b287d1638d765db75de02b032";

    [TestCase(OnionCipher.AesGcm, GcmHello)]
    [TestCase(OnionCipher.XChaCha20, XChaChaHello)]
    public void Server_decrypts_the_libsession_hello_world_vector(OnionCipher type, string hex)
    {
        byte[] key = OnionLayerCipher.DeriveKey(type, s_bSecret, s_a, s_a, s_b);
        Assert.That(OnionLayerCipher.TryDecrypt(type, key, Convert.FromHexString(hex), out byte[] plaintext), Is.True);
        Assert.That(Encoding.UTF8.GetString(plaintext), Is.EqualTo("Hello world"));
    }

    [TestCase(OnionCipher.AesGcm, GcmHello, 12, 0x59)]
    [TestCase(OnionCipher.AesGcm, GcmHello, -1, 0x69)]
    [TestCase(OnionCipher.XChaCha20, XChaChaHello, -1, 0x33)]
    [TestCase(OnionCipher.XChaCha20, XChaChaHello, 12, 0xcf)]
    public void Tampered_libsession_vectors_fail_to_decrypt(OnionCipher type, string hex, int index, int value)
    {
        byte[] data = Convert.FromHexString(hex);
        data[index < 0 ? data.Length - 1 : index] = (byte)value;
        byte[] key = OnionLayerCipher.DeriveKey(type, s_bSecret, s_a, s_a, s_b);
        Assert.That(OnionLayerCipher.TryDecrypt(type, key, data, out _), Is.False);
    }

    // §6.1 "Onion request parser": the full framed request as a node receives it.
    [TestCase("aes-gcm", "270000009525d587d188c92a966eef0e7162bef99a6171a124575b998072a8ee7eb265e0b6f0930ed965047b22656e635f74797065223a20226165732d67636d222c2022657068656d6572616c5f6b6579223a202238313637653937363732303035633636396134383835386336393839356633393563613233353231396163336637613432313030323262316639313065363532227d")]
    [TestCase("xchacha20", "33000000e440bc244ddcafd947b86fc5a964aa58de54a6d75cc0f0f3840db14b6c1176a8e2e0a04d5fbdf98f23adee1edc8362ab99b10b7b22656e635f74797065223a2022786368616368613230222c2022657068656d6572616c5f6b6579223a202238313637653937363732303035633636396134383835386336393839356633393563613233353231396163336637613432313030323262316639313065363532227d")]
    public void Node_parses_and_decrypts_the_libsession_parser_vector(string encType, string hex)
    {
        byte[] b = Convert.FromHexString("8388de69bc0d4b6196133233ad9a46ba0473474bc67718aad96a3a33c257f726");
        byte[] bSecret = Convert.FromHexString("2f4d1c0d28e137777ec0a316e9f4f763e3e66662a6c51994c6315c9ef34b6deb");
        Assert.That(OnionFrame.TryParse(Convert.FromHexString(hex), out ReadOnlyMemory<byte> blob, out ReadOnlyMemory<byte> json), Is.True);
        var meta = (JsonObject)JsonNode.Parse(json.Span)!;
        Assert.That(OnionCiphers.TryParse(meta["enc_type"]!.GetValue<string>(), out OnionCipher type), Is.True);
        Assert.That(type.ToWireName(), Is.EqualTo(encType));
        byte[] eph = Convert.FromHexString(meta["ephemeral_key"]!.GetValue<string>());

        byte[] key = OnionLayerCipher.DeriveKey(type, bSecret, eph, eph, b);
        Assert.That(OnionLayerCipher.TryDecrypt(type, key, blob.Span, out byte[] plaintext), Is.True);
        Assert.That(Encoding.UTF8.GetString(plaintext), Is.EqualTo("Hello world"));

        // The reply "Goodbye world" has the documented length and the client (a, A) opens it.
        byte[] reply = OnionLayerCipher.Encrypt(type, key, "Goodbye world"u8);
        Assert.That(reply, Has.Length.EqualTo(type == OnionCipher.AesGcm ? 41 : 53));
        byte[] aSecret = Convert.FromHexString("d2ee09e1a557a077d385fcb69a11ffb6909ecdcc8348def3e0e4172c8a1431c1");
        byte[] clientKey = OnionLayerCipher.DeriveKey(type, aSecret, b, eph, b);
        Assert.That(OnionLayerCipher.TryDecrypt(type, clientKey, reply, out byte[] opened), Is.True);
        Assert.That(Encoding.UTF8.GetString(opened), Is.EqualTo("Goodbye world"));
    }

    // §6.3: every layer of every vector, peeled as the receiving node does with its own secret key.
    [TestCase("v1_snode_dest_aesgcm")]
    [TestCase("v2_snode_dest_xchacha20")]
    [TestCase("v3_server_dest_v4_aesgcm")]
    public void Every_layer_of_the_onion_vector_peels_to_the_documented_plaintext(string name)
    {
        JsonObject v = Vectors.Case(name);
        OnionCipher type = Vectors.Str(v["enc_type"]) == "xchacha20" ? OnionCipher.XChaCha20 : OnionCipher.AesGcm;
        var secrets = new Dictionary<string, byte[]>();
        foreach ((string _, JsonNode? node) in (JsonObject)Vectors.Onion["nodes"]!)
            secrets[Vectors.Str(node!["x25519"])] = Vectors.Hex(node["x25519_sk"]);
        if (v["server"] is JsonObject server)
            secrets[Vectors.Str(server["x25519"])] = Vectors.Hex(server["x25519_sk"]);

        // The guard receives the outer body: its frame carries layer hop0's ciphertext.
        Assert.That(OnionFrame.TryParse(Vectors.Hex(v["outer_http_body_to_guard"]), out ReadOnlyMemory<byte> blob, out _), Is.True);
        JsonArray layers = (JsonArray)v["layers"]!;
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            JsonObject layer = (JsonObject)layers[i]!;
            Assert.That(blob.ToArray(), Is.EqualTo(Vectors.Hex(layer["ciphertext"])), $"ciphertext of {layer["layer"]}");
            byte[] recipient = Vectors.Hex(layer["recipient_x25519"]);
            byte[] eph = Vectors.Hex(layer["eph_pk"]);
            byte[] key = OnionLayerCipher.DeriveKey(type, secrets[Vectors.Str(layer["recipient_x25519"])], eph, eph, recipient);
            Assert.That(OnionLayerCipher.TryDecrypt(type, key, blob.Span, out byte[] plaintext), Is.True, $"decrypt {layer["layer"]}");
            Assert.That(plaintext, Is.EqualTo(Vectors.Hex(layer["plaintext"])));
            if (i > 0)
            {
                // A path hop finds the next blob and its own routing JSON in the plaintext.
                Assert.That(OnionFrame.TryParse(plaintext, out blob, out ReadOnlyMemory<byte> json), Is.True);
                Assert.That(Encoding.UTF8.GetString(json.Span), Is.EqualTo(Vectors.Str(layer["routing_json"])));
            }
        }
    }

    [TestCase("v1_snode_dest_aesgcm")]
    [TestCase("v2_snode_dest_xchacha20")]
    public void Node_reply_encrypted_with_the_vector_nonce_matches_and_the_client_opens_it(string name)
    {
        JsonObject v = Vectors.Case(name);
        OnionCipher type = Vectors.Str(v["enc_type"]) == "xchacha20" ? OnionCipher.XChaCha20 : OnionCipher.AesGcm;
        JsonObject dest = (JsonObject)((JsonArray)v["layers"]!)[0]!;
        byte[] destSecret = Vectors.Hex(Vectors.Onion["nodes"]!["destination(4)"]!["x25519_sk"]);
        byte[] eph = Vectors.Hex(dest["eph_pk"]);
        byte[] destPk = Vectors.Hex(dest["recipient_x25519"]);

        byte[] nodeKey = OnionLayerCipher.DeriveKey(type, destSecret, eph, eph, destPk);
        Assert.That(nodeKey, Is.EqualTo(Vectors.Hex(dest["sym_key"])));
        byte[] reply = OnionLayerCipher.Encrypt(type, nodeKey, Encoding.UTF8.GetBytes(Vectors.Str(v["response_plaintext"])), Vectors.Hex(v["response_nonce"]));
        Assert.That(Convert.ToBase64String(reply), Is.EqualTo(Vectors.Str(v["response_http_body_base64"])));

        byte[] clientKey = OnionLayerCipher.DeriveKey(type, Vectors.Hex(dest["eph_sk"]), destPk, eph, destPk);
        Assert.That(OnionLayerCipher.TryDecrypt(type, clientKey, reply, out byte[] opened), Is.True);
        Assert.That(Encoding.UTF8.GetString(opened), Is.EqualTo(Vectors.Str(v["response_plaintext"])));
    }

    [Test]
    public void Frames_shorter_than_their_length_prefix_are_rejected()
    {
        Assert.That(OnionFrame.TryParse(new byte[] { 1, 0, 0 }, out _, out _), Is.False);
        Assert.That(OnionFrame.TryParse(new byte[] { 5, 0, 0, 0, 1, 2 }, out _, out _), Is.False);
        Assert.That(OnionFrame.TryParse(OnionFrame.Build([1, 2], "{}"u8), out ReadOnlyMemory<byte> blob, out ReadOnlyMemory<byte> json), Is.True);
        Assert.That(blob.ToArray(), Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(Encoding.UTF8.GetString(json.Span), Is.EqualTo("{}"));
    }
}
