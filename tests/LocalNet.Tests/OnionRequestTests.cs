using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using SessionInterop.Crypto;
using SessionInterop.LocalNet.Tests.Support;

namespace SessionInterop.LocalNet.Tests;

// Onion requests built from the spec alone (Support/SpecOnion) through three LocalNet hops,
// and the hop error catalogue of §5.8.
[TestFixture]
internal sealed class OnionRequestTests : LocalNetFixture
{
    private readonly TestAccount _alice = new();

    /// <summary>A 3-node path that avoids the destination: guard, middle, exit on three distinct /24s.</summary>
    private SpecOnion.Hop[] PathAvoiding(ServiceNodeInfo destination) =>
        Net.Nodes.Where(n => n.Index != destination.Index).Take(3).Select(Hop).ToArray();

    private async Task<JsonObject> SendAsync(ServiceNodeInfo destination, JsonObject rpc, bool xchacha, string control = """{"headers":""}""")
    {
        SpecOnion.Hop[] path = PathAvoiding(destination);
        SpecOnion.Built built = SpecOnion.ForSnode(path, Hop(destination), rpc.ToJsonString(), xchacha, control);
        ServiceNodeInfo guard = Net.Nodes.First(n => n.Ed25519 == path[0].Ed25519Hex);
        (int status, string body, string? contentType) = await OnionAsync(guard, built.Body);
        Assert.That(status, Is.EqualTo(200), body);
        Assert.That(contentType, Is.EqualTo("text/plain"));
        return SpecOnion.OpenSnodeReply(built, body);
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Store_and_retrieve_through_three_hops_decrypt_for_either_cipher(bool xchacha)
    {
        ServiceNodeInfo dest = SwarmNode(_alice.SessionId);
        string text = "hello through the onion " + xchacha;
        JsonObject stored = await SendAsync(dest, new JsonObject { ["method"] = "store", ["params"] = SignedStore(_alice, 2, text) }, xchacha);
        Assert.That(stored["status"]!.GetValue<int>(), Is.EqualTo(200), stored.ToJsonString());
        JsonObject storeBody = Json(stored["body"]!.GetValue<string>());
        string expectedHash = StorageMessageHash.Compute(Convert.FromHexString(_alice.SessionId), 2, Encoding.UTF8.GetBytes(text));
        Assert.That(storeBody["hash"]!.GetValue<string>(), Is.EqualTo(expectedHash));
        Assert.That(((JsonObject)storeBody["swarm"]!).Count, Is.GreaterThanOrEqualTo(3));

        JsonObject retrieved = await SendAsync(dest, new JsonObject { ["method"] = "retrieve", ["params"] = SignedRetrieve(_alice, 2) }, xchacha);
        JsonObject body = Json(retrieved["body"]!.GetValue<string>());
        var hashes = ((JsonArray)body["messages"]!).Select(m => m!["hash"]!.GetValue<string>()).ToList();
        Assert.That(hashes, Does.Contain(expectedHash));
    }

    [Test]
    public async Task Desktop_style_control_object_is_accepted()
    {
        JsonObject reply = await SendAsync(Node(5), new JsonObject { ["method"] = "info", ["params"] = new JsonObject() }, false,
            """{"body":null,"headers":{"Content-Type":"application/json"}}""");
        Assert.That(reply["status"]!.GetValue<int>(), Is.EqualTo(200));
        Assert.That(Json(reply["body"]!.GetValue<string>())["version"], Is.Not.Null);
    }

    [Test]
    public async Task Json_true_in_control_embeds_the_rpc_answer_as_an_object()
    {
        JsonObject reply = await SendAsync(Node(5), new JsonObject { ["method"] = "info", ["params"] = new JsonObject() }, false,
            """{"headers":"","json":true}""");
        Assert.That(reply["body"], Is.InstanceOf<JsonObject>());
    }

    [Test]
    public async Task Base64_false_in_control_returns_raw_ciphertext()
    {
        SpecOnion.Built built = SpecOnion.ForSnode(PathAvoiding(Node(5)), Hop(Node(5)), """{"method":"info","params":{}}""", false,
            """{"headers":"","base64":false}""");
        using var content = new ByteArrayContent(built.Body);
        using HttpResponseMessage response = await Http.PostAsync(new Uri(Node(1).BaseUrl, "/onion_req/v2"), content);
        byte[] raw = await response.Content.ReadAsByteArrayAsync();
        var envelope = Json(Encoding.UTF8.GetString(SpecOnion.Decrypt(false, built.DestinationKey, raw)));
        Assert.That(envelope["status"]!.GetValue<int>(), Is.EqualTo(200));
    }

    [Test]
    public async Task Rpc_errors_come_back_inside_the_encrypted_envelope_as_text()
    {
        JsonObject reply = await SendAsync(Node(5), new JsonObject { ["method"] = "nope", ["params"] = new JsonObject() }, true);
        Assert.That(reply["status"]!.GetValue<int>(), Is.EqualTo(400));
        Assert.That(reply["body"]!.GetValue<string>(), Is.EqualTo("no method nope"));
    }

    [Test]
    public async Task Unparsable_outer_frame_is_400_error_parsing_onion_request()
    {
        (int status, string body, _) = await OnionAsync(Node(1), [9, 0, 0, 0, 1]);
        Assert.That(status, Is.EqualTo(400));
        Assert.That(body, Does.StartWith("Error parsing onion request: "));
    }

    [Test]
    public async Task Outer_json_without_ephemeral_key_is_400_error_parsing_onion_request()
    {
        (int status, string body, _) = await OnionAsync(Node(1), SpecOnion.Frame([1, 2, 3], """{"enc_type":"aes-gcm"}"""u8.ToArray()));
        Assert.That(status, Is.EqualTo(400));
        Assert.That(body, Does.StartWith("Error parsing onion request: "));
    }

    [Test]
    public async Task A_middle_hop_that_cannot_decrypt_answers_400_invalid_ciphertext()
    {
        SpecOnion.Hop[] path = PathAvoiding(Node(5));
        path[1] = path[1] with { X25519 = SpecOnion.NewEphemeral().Pk }; // encrypted to the wrong key
        SpecOnion.Built built = SpecOnion.ForSnode(path, Hop(Node(5)), """{"method":"info","params":{}}""", false);
        (int status, string body, _) = await OnionAsync(Node(1), built.Body);
        Assert.That((status, body), Is.EqualTo((400, "Invalid ciphertext")));
    }

    [Test]
    public async Task Unknown_next_node_is_502_next_node_not_found()
    {
        string unknown = Convert.ToHexStringLower(SpecOnion.NewEphemeral().Pk);
        SpecOnion.Built built = SpecOnion.ForSnode(PathAvoiding(Node(5)), new SpecOnion.Hop(unknown, Convert.FromHexString(Node(5).X25519)),
            """{"method":"info","params":{}}""", false);
        (int status, string body, _) = await OnionAsync(Node(1), built.Body);
        Assert.That((status, body), Is.EqualTo((502, "Next node not found: " + unknown)));
    }

    [Test]
    public async Task Hop_counter_above_fifteen_is_400_max_path_length_exceeded()
    {
        SpecOnion.Built built = SpecOnion.ForSnode(PathAvoiding(Node(5)), Hop(Node(5)), """{"method":"info","params":{}}""", false);
        // Restart the guard's counter at 15 (the optional hop_no of §5.3 step 6): the middle gets 16.
        Assert.That(Network.Onion.OnionFrame.TryParse(built.Body, out ReadOnlyMemory<byte> blob, out ReadOnlyMemory<byte> json), Is.True);
        JsonObject outer = Json(Encoding.UTF8.GetString(json.Span));
        outer["hop_no"] = 15;
        (int status, string body, _) = await OnionAsync(Node(1), SpecOnion.Frame(blob.ToArray(), Encoding.UTF8.GetBytes(outer.ToJsonString())));
        Assert.That((status, body), Is.EqualTo((400, "onion request max path length exceeded")));

        outer["hop_no"] = 14; // middle 15, exit 16: rejected at the exit
        (status, body, _) = await OnionAsync(Node(1), SpecOnion.Frame(blob.ToArray(), Encoding.UTF8.GetBytes(outer.ToJsonString())));
        Assert.That((status, body), Is.EqualTo((400, "onion request max path length exceeded")));

        outer["hop_no"] = 12; // middle 13, exit 14, destination 15: allowed
        (status, body, _) = await OnionAsync(Node(1), SpecOnion.Frame(blob.ToArray(), Encoding.UTF8.GetBytes(outer.ToJsonString())));
        Assert.That(status, Is.EqualTo(200), body);
    }

    [Test]
    public async Task Control_that_is_not_json_gives_an_encrypted_invalid_json_envelope()
    {
        JsonObject reply = await SendAsync(Node(5), new JsonObject { ["method"] = "info", ["params"] = new JsonObject() }, false, "not json");
        Assert.That(reply.ToJsonString(), Is.EqualTo("""{"status":400,"body":"Invalid json"}"""));
    }

    [Test]
    public async Task A_destination_that_is_not_64_hex_gives_an_encrypted_invalid_json_envelope()
    {
        SpecOnion.Built built = SpecOnion.ForSnode(PathAvoiding(Node(5)), new SpecOnion.Hop("not-hex", Convert.FromHexString(Node(5).X25519)),
            """{"method":"info","params":{}}""", false);
        (int status, string body, _) = await OnionAsync(Node(1), built.Body);
        Assert.That(status, Is.EqualTo(200));
        Assert.That(SpecOnion.OpenSnodeReply(built, body, built.HopKeys[2]).ToJsonString(), Is.EqualTo("""{"status":400,"body":"Invalid json"}"""));
    }

    [Test]
    public async Task A_non_boolean_json_flag_in_control_gives_an_encrypted_invalid_json_envelope()
    {
        JsonObject reply = await SendAsync(Node(5), new JsonObject { ["method"] = "info", ["params"] = new JsonObject() }, false,
            """{"headers":"","json":"yes"}""");
        Assert.That(reply.ToJsonString(), Is.EqualTo("""{"status":400,"body":"Invalid json"}"""));
    }

    [TestCase("/loki/v3")]
    [TestCase("/not_loki/v3/lsrpc")]
    [TestCase("/loki/v3/lsrpc?foo=bar")]
    public async Task Exit_rejects_server_targets_outside_the_url_filter(string target)
    {
        SpecOnion.Hop[] path = Net.Nodes.Take(3).Select(Hop).ToArray();
        var route = new JsonObject { ["host"] = "127.0.0.1", ["target"] = target, ["method"] = "POST", ["protocol"] = "http", ["port"] = 9 };
        SpecOnion.Built built = SpecOnion.ForServer(path, SpecOnion.NewEphemeral().Pk, "l2:{}e"u8.ToArray(), route, false);
        (int status, string body, _) = await OnionAsync(Node(1), built.Body);
        Assert.That(status, Is.EqualTo(200));
        JsonObject envelope = SpecOnion.OpenSnodeReply(built, body, built.HopKeys[2]); // encrypted by the exit's layer key
        Assert.That(envelope.ToJsonString(), Is.EqualTo("""{"status":400,"body":"Invalid url"}"""));
    }

    [Test]
    public async Task Exit_posts_the_whole_decrypted_layer_to_a_loopback_server_and_relays_its_answer_verbatim()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var server = new HttpListener();
        server.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.Start();
        Task<byte[]> received = Task.Run(async () =>
        {
            HttpListenerContext ctx = await server.GetContextAsync();
            using var ms = new MemoryStream();
            await ctx.Request.InputStream.CopyToAsync(ms);
            ctx.Response.StatusCode = 201;
            byte[] answer = "raw server answer"u8.ToArray();
            await ctx.Response.OutputStream.WriteAsync(answer);
            ctx.Response.Close();
            return ms.ToArray();
        });

        SpecOnion.Hop[] path = Net.Nodes.Take(3).Select(Hop).ToArray();
        var route = new JsonObject { ["host"] = "127.0.0.1", ["target"] = "/oxen/v4/lsrpc", ["method"] = "POST", ["protocol"] = "http", ["port"] = port };
        byte[] payload = "l56:{\"method\":\"GET\",\"endpoint\":\"/capabilities\",\"headers\":{}}e"u8.ToArray();
        SpecOnion.Built built = SpecOnion.ForServer(path, SpecOnion.NewEphemeral().Pk, payload, route, false);
        (int status, string body, _) = await OnionAsync(Node(1), built.Body);

        Assert.That((status, body), Is.EqualTo((201, "raw server answer")));
        byte[] posted = await received;
        Assert.That(Network.Onion.OnionFrame.TryParse(posted, out ReadOnlyMemory<byte> blob, out ReadOnlyMemory<byte> json), Is.True);
        Assert.That(Json(Encoding.UTF8.GetString(json.Span))["host"]!.GetValue<string>(), Is.EqualTo("127.0.0.1"));
        Assert.That(SpecOnion.Decrypt(false, built.DestinationKey, blob.ToArray()), Is.EqualTo(payload));
    }
}
