using System.Text.Json;
using System.Text.Json.Nodes;
using SessionInterop.LocalNet.Topology;

namespace SessionInterop.LocalNet.Seed;

// The oxend GET_SERVICE_NODES result (§2.1, §10.1.4), shared by the seed and by
// oxend_request → get_service_nodes. "fields" selects keys, as a {"name":true} dict or a list;
// without "fields" every field is returned. Stopped nodes are not listed (they left the network).
internal static class ServiceNodeList
{
    private static readonly string[] s_allFields =
    [
        "public_ip", "storage_port", "storage_lmq_port", "pubkey_x25519", "pubkey_ed25519", "service_node_pubkey",
        "requested_unlock_height", "storage_server_version", "swarm_id", "swarm", "active", "funded",
        "last_uptime_proof", "height",
    ];

    internal static JsonObject Result(LocalNetState state, JsonObject? parameters)
    {
        HashSet<string> fields = SelectedFields(parameters?["fields"]);
        long now = state.Time.GetUtcNow().ToUnixTimeSeconds();
        IEnumerable<LocalNode> nodes = state.Nodes.Where(n => n.IsActive);
        if (parameters?["limit"] is JsonValue lv && lv.TryGetValue(out int limit) && limit > 0)
            nodes = nodes.OrderBy(_ => Random.Shared.Next()).Take(limit);

        var states = new JsonArray();
        foreach (LocalNode n in nodes)
        {
            var entry = new JsonObject();
            void Add(string name, JsonNode? value)
            {
                if (fields.Contains(name)) entry[name] = value;
            }
            Add("public_ip", n.Ip);
            Add("storage_port", n.Port);
            Add("storage_lmq_port", n.Port);
            Add("pubkey_x25519", n.X25519Hex);
            Add("pubkey_ed25519", n.Ed25519Hex);
            Add("service_node_pubkey", n.Ed25519Hex);
            Add("requested_unlock_height", 0);
            Add("storage_server_version", new JsonArray(LocalNetState.Version[0], LocalNetState.Version[1], LocalNetState.Version[2]));
            Add("swarm_id", n.SwarmId);
            Add("swarm", n.SwarmId.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
            Add("active", true);
            Add("funded", true);
            Add("last_uptime_proof", now);
            states.Add((JsonNode)entry);
        }

        var result = new JsonObject { ["service_node_states"] = states };
        if (fields.Contains("height")) result["height"] = state.Height;
        result["status"] = "OK";
        return result;
    }

    private static HashSet<string> SelectedFields(JsonNode? fields)
    {
        if (fields is JsonObject dict)
            return dict.Where(kv => kv.Value is JsonValue v && v.GetValueKind() == JsonValueKind.True).Select(kv => kv.Key).ToHashSet();
        if (fields is JsonArray list)
            return list.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).ToHashSet();
        return [.. s_allFields];
    }
}
