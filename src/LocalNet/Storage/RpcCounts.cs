using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SessionInterop.LocalNet.Storage;

// How many well-formed storage-RPC requests (a known method, params that parse) the nodes of this
// LocalNet received since it started, by method and by method + account prefix: "retrieve",
// "retrieve 03", "batch", "batch 03" (a batch by its first sub-request's account), and sub-requests as
// "in batch: retrieve 03". Benchmarks read it (GET /requests on the admin endpoint) to count what a
// client costs the network. Direct and onion requests count alike: both end in StorageRpc.Handle.
internal sealed class RpcCounts
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>Counts one request: under its method, and under method + account prefix when it names an account.</summary>
    internal void Add(string method, RpcParams p, bool topLevel)
    {
        string key = topLevel ? method : "in batch: " + method;
        Increment(key);
        if (Prefix(p.Json) is { } prefix) Increment(key + " " + prefix);
    }

    /// <summary>The account's prefix ("05", "03"…): its pubkey, or for a batch that of its first sub-request.</summary>
    private static string? Prefix(JsonObject json)
    {
        if (json["requests"] is JsonArray { Count: > 0 } requests && requests[0]?["params"] is JsonObject first) json = first;
        return json["pubkey"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: >= 2 } account
            ? account[..2].ToLowerInvariant()
            : null;
    }

    private void Increment(string key) => _counts.AddOrUpdate(key, 1, (_, n) => n + 1);

    internal JsonObject Snapshot()
    {
        var json = new JsonObject();
        foreach (KeyValuePair<string, long> kv in _counts.OrderBy(kv => kv.Key, StringComparer.Ordinal)) json[kv.Key] = kv.Value;
        return json;
    }
}
