using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SessionInterop.Crypto.Onion;
using SessionInterop.Network.Client;
using SessionInterop.Network.Onion;
using Sodium;

namespace SessionInterop.Tests.Network;

/// <summary>
/// An in-memory stand-in for the snodes behind <see cref="INodeTransport"/>: it peels onion layers
/// with each node's real X25519 key (the server half of §5.1/§5.6) and hands the final RPC to a
/// handler, so the facade's logic runs unchanged without sockets. Nodes sit on 127.0.n.1.
/// </summary>
internal sealed class FakeSnodeNetwork : INodeTransport, ISeedNodeSource
{
    private readonly Dictionary<string, (ServiceNode Node, byte[] XSecret)> _nodes = new(StringComparer.OrdinalIgnoreCase);

    public FakeSnodeNetwork(int count)
    {
        for (int i = 1; i <= count; i++)
        {
            byte[] seed = Enumerable.Repeat((byte)i, 32).ToArray();
            var keys = PublicKeyAuth.GenerateKeyPair(seed);
            byte[] x = PublicKeyAuth.ConvertEd25519PublicKeyToCurve25519PublicKey(keys.PublicKey);
            byte[] xs = PublicKeyAuth.ConvertEd25519SecretKeyToCurve25519SecretKey(keys.PrivateKey);
            var node = new ServiceNode($"127.0.{i}.1", 22000 + i, Convert.ToHexStringLower(keys.PublicKey), Convert.ToHexStringLower(x));
            _nodes[node.Ed25519Hex] = (node, xs);
        }
    }

    public IReadOnlyList<ServiceNode> Nodes => _nodes.Values.Select(v => v.Node).ToArray();

    /// <summary>Answers the final RPC: (node, method, params) → (status, body text).</summary>
    public Func<ServiceNode, string, JsonElement, (int Status, string Body)> Rpc { get; set; } = (_, _, _) => (200, """{"t":1700000000000}""");

    /// <summary>Optional override of the guard's HTTP answer (to inject hop errors).</summary>
    public Func<ServiceNode, NodeHttpResponse?>? GuardOverride { get; set; }

    /// <summary>Answers server destinations: v4 request bytes → v4 response bytes.</summary>
    public Func<byte[], byte[]>? Server { get; set; }
    public byte[]? ServerSecret { get; set; }

    public List<string> Log { get; } = [];

    public int SeedFetches { get; private set; }

    /// <summary>How many of the nodes the seed lists (the rest exist but are unknown to the seed); null = all.</summary>
    public int? SeedListed { get; set; }

    public Task<IReadOnlyList<ServiceNode>> FetchAsync(CancellationToken cancellationToken)
    {
        SeedFetches++;
        return Task.FromResult<IReadOnlyList<ServiceNode>>(Nodes.Take(SeedListed ?? int.MaxValue).ToArray());
    }

    public Task<NodeHttpResponse> PostAsync(ServiceNode node, string endpoint, byte[] body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Log.Add($"{endpoint} {node.Ip}");
        if (endpoint == NodeEndpoints.StorageRpc)
            return Task.FromResult(new NodeHttpResponse(200, """{"t":1700000000000}"""u8.ToArray()));
        if (GuardOverride?.Invoke(node) is { } forced)
            return Task.FromResult(forced);
        return Task.FromResult(Process(node, body));
    }

    private NodeHttpResponse Process(ServiceNode node, byte[] frame)
    {
        if (!_nodes.TryGetValue(node.Ed25519Hex, out var me))
            return Text(502, "Next node not found: " + node.Ed25519Hex);
        OnionFrame.TryParse(frame, out ReadOnlyMemory<byte> blob, out ReadOnlyMemory<byte> json);
        using JsonDocument routing = JsonDocument.Parse(json);
        byte[] eph = Convert.FromHexString(routing.RootElement.GetProperty("ephemeral_key").GetString()!);
        OnionCiphers.TryParse(routing.RootElement.TryGetProperty("enc_type", out var et) ? et.GetString() : null, out OnionCipher cipher);
        byte[] key = ServerKey(cipher, me.XSecret, eph, Convert.FromHexString(node.X25519Hex));
        if (!OnionLayerCipher.TryDecrypt(cipher, key, blob.Span, out byte[] plain))
            return Text(400, "Invalid ciphertext");
        OnionFrame.TryParse(plain, out ReadOnlyMemory<byte> inner, out ReadOnlyMemory<byte> innerJson);
        using JsonDocument control = JsonDocument.Parse(innerJson);
        JsonElement c = control.RootElement;
        if (c.TryGetProperty("headers", out _))
        {
            using JsonDocument rpc = JsonDocument.Parse(inner);
            string method = rpc.RootElement.GetProperty("method").GetString()!;
            var (status, body) = method is "batch" or "sequence"
                ? Batch(node, rpc.RootElement.GetProperty("params").GetProperty("requests"))
                : Rpc(node, method, rpc.RootElement.GetProperty("params"));
            byte[] envelope = JsonSerializerless(status, body);
            byte[] sealedReply = OnionLayerCipher.Encrypt(cipher, key, envelope, RandomNumberGenerator.GetBytes(OnionLayerCipher.NonceSize(cipher)));
            return new NodeHttpResponse(200, Encoding.ASCII.GetBytes(Convert.ToBase64String(sealedReply)));
        }
        if (c.TryGetProperty("host", out _))
        {
            // The exit posts the whole decrypted plaintext to the server; play the server here.
            OnionFrame.TryParse(plain, out ReadOnlyMemory<byte> serverBlob, out ReadOnlyMemory<byte> serverJson);
            using JsonDocument sj = JsonDocument.Parse(serverJson);
            byte[] sEph = Convert.FromHexString(sj.RootElement.GetProperty("ephemeral_key").GetString()!);
            byte[] sKey = ServerKey(cipher, ServerSecret!, sEph, ScalarMult.Base(ServerSecret!));
            OnionLayerCipher.TryDecrypt(cipher, sKey, serverBlob.Span, out byte[] v4);
            byte[] reply = Server!(v4);
            return new NodeHttpResponse(200, OnionLayerCipher.Encrypt(cipher, sKey, reply, RandomNumberGenerator.GetBytes(OnionLayerCipher.NonceSize(cipher))));
        }
        string next = c.GetProperty("destination").GetString()!;
        if (!_nodes.TryGetValue(next, out var nextNode))
            return Text(502, "Next node not found: " + next);
        // Re-frame the inner blob with the routing the next hop needs, as a relay would.
        byte[] forwarded = OnionFrame.Build(inner.Span, innerJson.Span);
        return Process(nextNode.Node, forwarded);
    }

    // batch: run each sub-request through Rpc; results carry the body as a string (as real nodes do for text).
    private (int, string) Batch(ServiceNode node, JsonElement requests)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("results");
            foreach (JsonElement sub in requests.EnumerateArray())
            {
                var (code, body) = Rpc(node, sub.GetProperty("method").GetString()!, sub.GetProperty("params"));
                w.WriteStartObject();
                w.WriteNumber("code", code);
                if (body.StartsWith('{'))
                {
                    w.WritePropertyName("body");
                    w.WriteRawValue(body);
                }
                else
                    w.WriteString("body", body);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return (200, Encoding.UTF8.GetString(buffer.ToArray()));
    }

    // Server side of §5.1: S = X25519(node_sk, e_pk); the client's key goes first in the BLAKE2b input.
    private static byte[] ServerKey(OnionCipher cipher, byte[] secret, byte[] ephemeralPublic, byte[] ownPublic)
    {
        byte[] shared = ScalarMult.Mult(secret, ephemeralPublic);
        return cipher == OnionCipher.AesGcm
            ? HMACSHA256.HashData("LOKI"u8, shared)
            : GenericHash.Hash([.. shared, .. ephemeralPublic, .. ownPublic], (byte[]?)null, 32);
    }

    private static byte[] JsonSerializerless(int status, string body)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("status", status);
            w.WriteString("body", body);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static NodeHttpResponse Text(int status, string body) => new(status, Encoding.UTF8.GetBytes(body));

    /// <summary>A get_swarm / 421 body listing <paramref name="members"/>.</summary>
    public static string SwarmJson(IEnumerable<ServiceNode> members, ulong swarmId)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("snodes");
            foreach (ServiceNode n in members)
            {
                w.WriteStartObject();
                w.WriteString("ip", n.Ip);
                w.WriteString("port", n.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteNumber("port_https", n.Port);
                w.WriteString("pubkey_ed25519", n.Ed25519Hex);
                w.WriteString("pubkey_x25519", n.X25519Hex);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("swarm", swarmId.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteNumber("t", 1700000000000);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>A fixed clock for deterministic timestamps.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
