using System.Text.Json.Nodes;
using SessionInterop.LocalNet.Topology;

namespace SessionInterop.LocalNet.Storage;

// The swarm description of get_swarm and of 421 answers (§3.2, SS swarm_to_json).
internal static class SwarmJson
{
    internal static JsonObject Build(LocalNetState state, ulong swarmId, long now)
    {
        var snodes = new JsonArray();
        foreach (LocalNode n in state.Swarms.Members(swarmId).Where(n => n.IsActive))
        {
            snodes.Add((JsonNode)new JsonObject
            {
                ["address"] = ZBase32.Encode(n.Ed25519Public) + ".snode",
                ["pubkey_legacy"] = n.Ed25519Hex,
                ["pubkey_x25519"] = n.X25519Hex,
                ["pubkey_ed25519"] = n.Ed25519Hex,
                ["port"] = n.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["port_https"] = n.Port,
                ["port_omq"] = n.Port,
                ["port_quic"] = n.Port,
                ["ip"] = n.Ip,
            });
        }
        var json = new JsonObject { ["snodes"] = snodes, ["swarm"] = swarmId.ToString("x", System.Globalization.CultureInfo.InvariantCulture) };
        Decorate(json, now);
        return json;
    }

    /// <summary>Adds the "t" (server ms) and "hf" fields of §4.1.</summary>
    internal static JsonObject Decorate(JsonObject json, long now)
    {
        json["t"] = now;
        json["hf"] = new JsonArray(LocalNetState.Hardfork[0], LocalNetState.Hardfork[1]);
        return json;
    }
}

// z-base-32 (the alphabet of ".snode" addresses).
internal static class ZBase32
{
    private const string Alphabet = "ybndrfg8ejkmcpqxot1uwisza345h769";

    internal static string Encode(ReadOnlySpan<byte> data)
    {
        var sb = new System.Text.StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (byte b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        return sb.ToString();
    }
}
