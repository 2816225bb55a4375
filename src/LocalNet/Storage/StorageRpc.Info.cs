using System.Text.Json.Nodes;
using SessionInterop.LocalNet.Seed;

namespace SessionInterop.LocalNet.Storage;

// info, get_swarm and oxend_request (§3.2, §4.4.10, §4.4.11).
internal sealed partial class StorageRpc
{
    private Func<RpcResult> PrepareInfo() => () =>
    {
        long now = Now;
        var version = new JsonArray(LocalNetState.Version[0], LocalNetState.Version[1], LocalNetState.Version[2]);
        return RpcResult.Ok(Decorate(new JsonObject { ["version"] = version, ["timestamp"] = now }));
    };

    private Func<RpcResult> PrepareGetSwarm(RpcParams p)
    {
        (string hex, byte[] account) = p.Account(allowAlias: true, getSwarmWording: true);
        return () => RpcResult.Ok(SwarmJson.Build(state, state.Swarms.SwarmOf(hex, account), Now));
    }

    private Func<RpcResult> PrepareOxendRequest(RpcParams p)
    {
        string? endpoint = p.String("endpoint") ?? throw new RpcParseException("Required field 'endpoint' missing");
        JsonObject? oxendParams = p.Json["params"] as JsonObject;
        return endpoint switch
        {
            "get_service_nodes" => () => RpcResult.Ok(Decorate(new JsonObject { ["result"] = ServiceNodeList.Result(state, oxendParams) })),
            // ONS is not emulated; §10.2 allows a plain 400 here (oxend errors are 400 with its text).
            "ons_resolve" => () => RpcResult.Error(400, "ONS name not found"),
            _ => throw new RpcParseException($"Invalid oxend endpoint '{endpoint}'"),
        };
    }
}
