using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Nodes;
using SessionInterop.LocalNet.Topology;

namespace SessionInterop.LocalNet.Storage;

// ifelse (§4.4.13) and active_nodes_bin (§2.2, newer servers).
internal sealed partial class StorageRpc
{
    private Func<RpcResult> PrepareIfElse(RpcParams p)
    {
        if (p.Json["if"] is not JsonObject condition) throw new RpcParseException("Invalid ifelse request: no valid \"if\" field");
        bool holds = Holds(condition);
        Func<RpcResult>? then = Branch(p.Json["then"], "then");
        Func<RpcResult>? otherwise = Branch(p.Json["else"], "else");
        if (then is null && otherwise is null)
            throw new RpcParseException("Invalid ifelse request: at least one of \"then\"/\"else\" required");

        return () =>
        {
            var answer = new JsonObject
            {
                ["hf"] = new JsonArray(LocalNetState.Hardfork[0], LocalNetState.Hardfork[1]),
                ["v"] = new JsonArray(LocalNetState.Version[0], LocalNetState.Version[1], LocalNetState.Version[2]),
                ["height"] = state.Height,
                ["condition"] = holds,
            };
            if ((holds ? then : otherwise) is { } run)
            {
                RpcResult r = run();
                answer["result"] = new JsonObject { ["code"] = r.Status, ["body"] = r.BodyNode };
            }
            return RpcResult.Ok(answer);
        };
    }

    private Func<RpcResult>? Branch(JsonNode? node, string name)
    {
        if (node is null) return null;
        if (node is not JsonObject obj)
            throw new RpcParseException($"Invalid ifelse request: {name} must be an object");
        if (obj["method"] is not JsonValue m || m.GetValueKind() != JsonValueKind.String || obj["params"] is not JsonObject p)
            throw new RpcParseException($"Invalid ifelse request: {name} must have method/params keys");
        return Prepare(m.GetValue<string>(), new RpcParams(p), topLevel: true)
            ?? throw new RpcParseException($"Invalid ifelse request method \"{name}\"");
    }

    /// <summary>Every given condition must hold (hf/version compare lexicographically).</summary>
    private bool Holds(JsonObject condition)
    {
        bool result = true, any = false;
        foreach ((string key, JsonNode? value) in condition)
        {
            result &= key switch
            {
                "hf_at_least" => Compare(LocalNetState.Hardfork, Ints(value, key)) >= 0,
                "hf_before" => Compare(LocalNetState.Hardfork, Ints(value, key)) < 0,
                "v_at_least" => Compare(LocalNetState.Version, Ints(value, key)) >= 0,
                "v_before" => Compare(LocalNetState.Version, Ints(value, key)) < 0,
                "height_at_least" => state.Height >= Int(value, key),
                "height_before" => state.Height < Int(value, key),
                _ => true, // unknown keys are ignored
            };
            any |= key is "hf_at_least" or "hf_before" or "v_at_least" or "v_before" or "height_at_least" or "height_before";
        }
        if (!any) throw new RpcParseException("Invalid ifelse request: must specify at least one \"if\" condition");
        return result;
    }

    private static int[] Ints(JsonNode? node, string key) =>
        node is JsonArray a && a.All(x => x is JsonValue v && v.TryGetValue(out int _))
            ? a.Select(x => x!.GetValue<int>()).ToArray()
            : throw new RpcParseException($"Invalid value given for '{key}': expected integer array");

    private static long Int(JsonNode? node, string key) =>
        node is JsonValue v && v.TryGetValue(out long n) ? n : throw new RpcParseException($"Invalid value given for '{key}': expected integer");

    private static int Compare(int[] actual, int[] wanted)
    {
        for (int i = 0; i < wanted.Length; i++)
        {
            int a = i < actual.Length ? actual[i] : 0;
            if (a != wanted[i]) return a.CompareTo(wanted[i]);
        }
        return 0;
    }

    /// <summary>N × 51 bytes: ed25519 || swarm_id (u64 BE) || IPv4 || https port || omq port (u16 BE) || version (3 bytes); base64 text.</summary>
    private Func<RpcResult> PrepareActiveNodesBin() => () =>
    {
        LocalNode[] active = state.Nodes.Where(n => n.IsActive).ToArray();
        byte[] blob = new byte[active.Length * 51];
        for (int i = 0; i < active.Length; i++)
        {
            Span<byte> r = blob.AsSpan(i * 51, 51);
            LocalNode n = active[i];
            n.Ed25519Public.CopyTo(r);
            BinaryPrimitives.WriteUInt64BigEndian(r[32..], n.SwarmId);
            n.Address.GetAddressBytes().CopyTo(r[40..]);
            BinaryPrimitives.WriteUInt16BigEndian(r[44..], (ushort)n.Port);
            BinaryPrimitives.WriteUInt16BigEndian(r[46..], (ushort)n.Port);
            r[48] = (byte)LocalNetState.Version[0];
            r[49] = (byte)LocalNetState.Version[1];
            r[50] = (byte)LocalNetState.Version[2];
        }
        return new RpcResult(200, null, Convert.ToBase64String(blob));
    };
}
