using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Sodium;

namespace SessionInterop.Network.Client;

// Node records in their two spellings (protocol-network.md §2.3): seed/oxend lists use
// public_ip + storage_port, get_swarm and 421 bodies use ip + port_https (or the legacy string "port").
internal static class NodeRecordParser
{
    /// <summary>Parses one record; null when it is unusable (no IPv4, 0.0.0.0, bad key, no port).</summary>
    public static ServiceNode? TryParse(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            return null;
        string? ip = StorageResponseParser.GetString(e, "public_ip") ?? StorageResponseParser.GetString(e, "ip");
        if (string.IsNullOrEmpty(ip) || ip == "0.0.0.0"
            || !IPAddress.TryParse(ip, out IPAddress? address) || address.AddressFamily != AddressFamily.InterNetwork)
            return null;

        int? port = GetPort(e, "storage_port") ?? GetPort(e, "port_https") ?? GetPort(e, "port");
        if (port is not int p || p is <= 0 or > 65535)
            return null;

        string? ed = StorageResponseParser.GetString(e, "pubkey_ed25519");
        if (!IsKeyHex(ed))
            return null;
        string? x = StorageResponseParser.GetString(e, "pubkey_x25519");
        if (!IsKeyHex(x))
            x = ConvertEdToX(ed!); // libsession computes it itself; do the same when absent
        if (x is null)
            return null;

        ulong? swarmId = e.TryGetProperty("swarm_id", out JsonElement s) && s.ValueKind == JsonValueKind.Number && s.TryGetUInt64(out ulong id) ? id : null;
        return new ServiceNode(ip, p, ed!.ToLowerInvariant(), x.ToLowerInvariant()) { SwarmId = swarmId };
    }

    /// <summary>The node list of a get_n_service_nodes / oxend_request reply; null when the shape is wrong or empty.</summary>
    public static IReadOnlyList<ServiceNode>? ParseServiceNodeStates(JsonElement root)
    {
        JsonElement result = root.TryGetProperty("result", out JsonElement r) && r.ValueKind == JsonValueKind.Object ? r : root;
        if (!result.TryGetProperty("service_node_states", out JsonElement list) || list.ValueKind != JsonValueKind.Array)
            return null;
        var nodes = new List<ServiceNode>();
        var seen = new HashSet<ServiceNode>();
        foreach (JsonElement e in list.EnumerateArray())
        {
            if (TryParse(e) is ServiceNode node && seen.Add(node))
                nodes.Add(node);
        }
        return nodes.Count == 0 ? null : nodes;
    }

    private static int? GetPort(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out JsonElement v))
            return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n))
            return n;
        if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out int s))
            return s;
        return null;
    }

    private static bool IsKeyHex(string? s) => s is { Length: 64 } && s.All(Uri.IsHexDigit);

    private static string? ConvertEdToX(string edHex)
    {
        try
        {
            return Convert.ToHexStringLower(PublicKeyAuth.ConvertEd25519PublicKeyToCurve25519PublicKey(Convert.FromHexString(edHex)));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
        {
            return null; // not a valid Ed25519 point
        }
    }
}
