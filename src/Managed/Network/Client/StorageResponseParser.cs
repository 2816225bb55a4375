using System.Globalization;
using System.Text.Json;

namespace SessionInterop.Network.Client;

// Parsers for storage RPC response bodies (protocol-network.md §3.2, §4.4). Every parser returns
// null on a malformed body instead of throwing: a bad node should cost a strike, not a crash.
internal static class StorageResponseParser
{
    public static RetrieveResult? ParseRetrieve(string body) => Parse(body, root =>
    {
        if (!root.TryGetProperty("messages", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            return null;
        var messages = new List<RetrievedMessage>(list.GetArrayLength());
        foreach (JsonElement m in list.EnumerateArray())
        {
            string? hash = GetString(m, "hash");
            string? data = GetString(m, "data");
            if (hash is null || data is null)
                return null;
            long expiry = GetLong(m, "expiration") ?? GetLong(m, "expiry") ?? 0;
            messages.Add(new RetrievedMessage(hash, data, GetLong(m, "timestamp") ?? 0, expiry));
        }
        bool more = root.TryGetProperty("more", out JsonElement mo) && mo.ValueKind == JsonValueKind.True;
        return new RetrieveResult(messages, more, GetLong(root, "t"));
    });

    public static StoreResult? ParseStore(string body) => Parse(body, root =>
    {
        var nodes = new List<StoreNodeResult>();
        if (root.TryGetProperty("swarm", out JsonElement swarm) && swarm.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty p in swarm.EnumerateObject())
            {
                JsonElement r = p.Value;
                if (r.ValueKind != JsonValueKind.Object)
                    continue;
                bool failed = r.TryGetProperty("failed", out JsonElement f) && f.ValueKind == JsonValueKind.True;
                bool already = r.TryGetProperty("already", out JsonElement a) && a.ValueKind == JsonValueKind.True;
                nodes.Add(new StoreNodeResult(p.Name, GetString(r, "hash"), GetString(r, "signature"), GetLong(r, "expiry"), already, failed)
                {
                    SignatureValid = NodeSignatureValid(p.Name, GetString(r, "hash"), GetString(r, "signature")),
                });
            }
        }
        string? hash = GetString(root, "hash") ?? nodes.FirstOrDefault(n => n.Hash is not null)?.Hash;
        int[]? hf = root.TryGetProperty("hf", out JsonElement h) && h.ValueKind == JsonValueKind.Array
            ? h.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out _)).Select(e => e.GetInt32()).ToArray()
            : null;
        return new StoreResult(hash, GetLong(root, "t"), nodes) { HardFork = hf };
    });

    public static DeleteResult? ParseDelete(string body) => Parse(body, root =>
    {
        var byNode = new Dictionary<string, IReadOnlyList<string>?>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("swarm", out JsonElement swarm) && swarm.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty p in swarm.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("deleted", out JsonElement d) && d.ValueKind == JsonValueKind.Array)
                    byNode[p.Name] = d.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray();
                else
                    byNode[p.Name] = null;
            }
        }
        return new DeleteResult(byNode, GetLong(root, "t"));
    });

    /// <summary>get_swarm reply or a 421 body: <c>{"snodes":[…],"swarm":"hex","t":…}</c>.</summary>
    public static SwarmInfo? ParseSwarm(string body) => Parse(body, root =>
    {
        if (!root.TryGetProperty("snodes", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            return null;
        ulong? swarmId = null;
        if (GetString(root, "swarm") is string hex && ulong.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong id))
            swarmId = id;
        var nodes = new List<ServiceNode>();
        foreach (JsonElement e in list.EnumerateArray())
        {
            if (NodeRecordParser.TryParse(e) is ServiceNode node)
                nodes.Add(node with { SwarmId = swarmId });
        }
        return new SwarmInfo(nodes, swarmId, GetLong(root, "t"));
    });

    /// <summary>batch/sequence reply: <c>{"results":[{"code":N,"body":…}, …]}</c>; bodies as text (JSON bodies re-serialised).</summary>
    public static IReadOnlyList<SnodeReply>? ParseBatch(string body) => Parse<IReadOnlyList<SnodeReply>>(body, root =>
    {
        if (!root.TryGetProperty("results", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            return null;
        var results = new List<SnodeReply>();
        foreach (JsonElement r in list.EnumerateArray())
        {
            if (r.ValueKind != JsonValueKind.Object || !r.TryGetProperty("code", out JsonElement c)
                || c.ValueKind != JsonValueKind.Number || !c.TryGetInt32(out int code))
                return null;
            string text = !r.TryGetProperty("body", out JsonElement b) ? ""
                : b.ValueKind == JsonValueKind.String ? b.GetString()!
                : b.GetRawText();
            results.Add(new SnodeReply(code, text));
        }
        return results;
    });

    /// <summary>Server time from any RPC body: <c>t</c>, else info's <c>timestamp</c>.</summary>
    public static long? ParseServerTime(string body) => Parse(body, root => GetLong(root, "t") ?? GetLong(root, "timestamp"));

    /// <summary><c>{"result":{"service_node_states":[…]}}</c> from an oxend_request or a seed.</summary>
    public static IReadOnlyList<ServiceNode>? ParseServiceNodeStates(string body) => Parse<IReadOnlyList<ServiceNode>>(body, NodeRecordParser.ParseServiceNodeStates);

    private static T? Parse<T>(string body, Func<JsonElement, T?> read) where T : class
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? read(doc.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? Parse(string body, Func<JsonElement, long?> read)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? read(doc.RootElement) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // A swarm member signs the hash text it stored with its own Ed25519 key (§4.4.1).
    private static bool NodeSignatureValid(string nodeEd25519Hex, string? hash, string? signature)
    {
        if (hash is null || signature is null || nodeEd25519Hex.Length != 64 || !nodeEd25519Hex.All(Uri.IsHexDigit))
            return false;
        try
        {
            byte[] sig = Convert.FromBase64String(signature);
            return sig.Length == 64 && Sodium.PublicKeyAuth.VerifyDetached(sig, System.Text.Encoding.ASCII.GetBytes(hash), Convert.FromHexString(nodeEd25519Hex));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    // Both read only objects: a reply may put any JSON value where a record is expected.
    internal static string? GetString(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static long? GetLong(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out long n) ? n : null;
}
