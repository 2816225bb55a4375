using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SessionInterop.LocalNet.Topology;

namespace SessionInterop.LocalNet.Storage;

// The storage-server client RPC of §4 as run by one node: envelope checks, method dispatch and
// batch/sequence. Each method is split in two phases: Prepare parses the params (throwing
// RpcParseException → 400) and returns the execution, so a batch can reject every unparsable
// sub-request before running any. Methods live in the partial files StorageRpc.*.cs.
internal sealed partial class StorageRpc(LocalNetState state, LocalNode node)
{
    internal const int BatchMax = 20;
    private static readonly HashSet<string> s_metaMethods = ["batch", "sequence", "ifelse"];

    private readonly ILogger _log = state.LoggerFactory.CreateLogger("LocalNet.StorageRpc");

    private long Now => node.NowMs(state.Time);

    /// <summary>Runs one request body (the JSON of §4.1).</summary>
    internal RpcResult Handle(ReadOnlyMemory<byte> body)
    {
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(body.Span);
        }
        catch (JsonException)
        {
            return RpcResult.Error(400, "invalid json");
        }

        // Valid JSON that is not an object has no "method" either.
        if (parsed is not JsonObject request || request["method"] is not JsonValue m || m.GetValueKind() != JsonValueKind.String)
            return RpcResult.Error(400, "invalid json: no `method` field");
        if (request["params"] is not JsonObject p)
            return RpcResult.Error(400, "invalid json: no `params` field");

        string method = m.GetValue<string>();
        try
        {
            var parameters = new RpcParams(p);
            Func<RpcResult>? run = Prepare(method, parameters, topLevel: true);
            if (run is null) return RpcResult.Error(400, $"no method {method}");
            state.Requests.Add(method, parameters, topLevel: true);
            RpcResult result = run();
            LogMessages.RpcHandled(_log, node.Index, method, result.Status);
            return result;
        }
        catch (RpcParseException e)
        {
            return RpcResult.Error(400, "invalid request: " + e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogMessages.RpcFailed(_log, e, node.Index, method);
            return RpcResult.Error(500, "request failed");
        }
    }

    /// <summary>Parses a method's params; null when the method does not exist.</summary>
    private Func<RpcResult>? Prepare(string method, RpcParams p, bool topLevel) => method switch
    {
        "info" => PrepareInfo(),
        "get_swarm" or "get_snodes_for_pubkey" => PrepareGetSwarm(p),
        "store" => PrepareStore(p),
        "retrieve" => PrepareRetrieve(p),
        "delete" => PrepareDelete(p),
        "delete_all" => PrepareDeleteAll(p),
        "delete_before" => PrepareDeleteBefore(p),
        "expire" => PrepareExpire(p),
        "expire_all" => PrepareExpireAll(p),
        "get_expiries" => PrepareGetExpiries(p),
        "oxend_request" => PrepareOxendRequest(p),
        "revoke_subaccount" => PrepareRevoke(p, revoke: true),
        "unrevoke_subaccount" => PrepareRevoke(p, revoke: false),
        "revoked_subaccounts" => PrepareRevokedList(p),
        "active_nodes_bin" => PrepareActiveNodesBin(),
        "ifelse" when topLevel => PrepareIfElse(p),
        "batch" when topLevel => PrepareBatch(p, sequence: false),
        "sequence" when topLevel => PrepareBatch(p, sequence: true),
        _ => null,
    };

    private Func<RpcResult> PrepareBatch(RpcParams p, bool sequence)
    {
        if (p.Json["requests"] is not JsonArray requests || requests.Count == 0)
            throw new RpcParseException("Invalid batch request: no valid \"requests\" field");
        if (requests.Count > BatchMax)
            throw new RpcParseException("Invalid batch request: subrequest limit exceeded");

        var runs = new List<Func<RpcResult>>();
        var accepted = new List<(string Name, RpcParams Params)>();
        foreach (JsonNode? sub in requests)
        {
            if (sub is not JsonObject subObj)
                throw new RpcParseException("Invalid batch request: requests must be objects");
            if (subObj["method"] is not JsonValue sm || sm.GetValueKind() != JsonValueKind.String || subObj["params"] is not JsonObject sp)
                throw new RpcParseException("Invalid batch request: subrequests must have method/params keys");
            string name = sm.GetValue<string>();
            if (s_metaMethods.Contains(name))
            {
                Prepare(name, new RpcParams(sp), topLevel: true); // its own parse errors come first
                throw new RpcParseException("Invalid batch subrequest: subrequests may not contain meta-requests");
            }
            var subParams = new RpcParams(sp);
            runs.Add(Prepare(name, subParams, topLevel: false)
                ?? throw new RpcParseException($"Invalid batch subrequest: invalid method \"{name}\""));
            accepted.Add((name, subParams));
        }
        // Counted once the whole batch parsed (GET /requests counts well-formed requests only).
        foreach ((string name, RpcParams subParams) in accepted) state.Requests.Add(name, subParams, topLevel: false);

        return () =>
        {
            var results = new JsonArray();
            foreach (Func<RpcResult> run in runs)
            {
                RpcResult r = run();
                results.Add((JsonNode)new JsonObject { ["code"] = r.Status, ["body"] = r.BodyNode });
                if (sequence && !r.IsSuccess) break;
            }
            return RpcResult.Ok(new JsonObject { ["results"] = results });
        };
    }

    /// <summary>421 with the account's real swarm when this node is not in it (§3.4); null when it is.</summary>
    private RpcResult? Misdirected(string accountHex, byte[] account, out ulong swarmId)
    {
        swarmId = state.Swarms.SwarmOf(accountHex, account);
        if (swarmId == node.SwarmId) return null;
        return new RpcResult(421, SwarmJson.Build(state, swarmId, Now), null);
    }

    private JsonObject Decorate(JsonObject json) => SwarmJson.Decorate(json, Now);

    /// <summary>Runs a per-member computation for every member of this node's swarm (the "swarm" object of recursive answers).</summary>
    private JsonObject ForEachMember(Func<LocalNode, JsonObject> perNode)
    {
        var swarm = new JsonObject();
        foreach (LocalNode member in state.Swarms.Members(node.SwarmId))
            swarm[member.Ed25519Hex] = member.IsActive && !member.Faults.Crashed ? perNode(member) : new JsonObject { ["failed"] = true, ["timeout"] = true };
        return swarm;
    }

    /// <summary>This node's own store (every node keeps its own database).</summary>
    private MessageStore Local => state.StoreOf(node);

    /// <summary>
    /// A delete, expire or revocation reaches every member at once, as the storage server sends these
    /// recursively to its swarm (a member that is down would get it from the server's retry queue
    /// when back; LocalNet applies it at once). The answer reports this node's own result.
    /// </summary>
    private void OnOtherMembers(Action<MessageStore> change)
    {
        foreach (LocalNode member in state.Swarms.Members(node.SwarmId))
            if (member != node)
                change(state.StoreOf(member));
    }

    private static long Abs(long v) => v < 0 ? -v : v;
}
