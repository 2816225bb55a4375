using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SessionInterop.LocalNet.Hosting;

namespace SessionInterop.LocalNet.Seed;

// The seed node: POST /json_rpc with get_n_service_nodes (aliases get_service_nodes,
// get_all_service_nodes), answered in a JSON-RPC envelope with Content-Type exactly
// "application/json" (desktop rejects anything else) (§2.1, §10.1.4).
internal sealed class SeedEndpoint(LocalNetState state)
{
    private static readonly HashSet<string> s_methods = ["get_n_service_nodes", "get_service_nodes", "get_all_service_nodes"];

    internal async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path != "/json_rpc" || !HttpMethods.IsPost(context.Request.Method))
        {
            await Http.WriteTextAsync(context, 404, $"{context.Request.Method} {context.Request.Path} Not Found");
            return;
        }

        byte[] body = await Http.ReadBodyAsync(context);
        JsonObject? request = null;
        try
        {
            request = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
        }

        JsonNode? id = request?["id"]?.DeepClone();
        var response = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id };
        if (request is null)
            response["error"] = new JsonObject { ["code"] = -32700, ["message"] = "Parse error" };
        else if (request["method"] is not JsonValue m || m.GetValueKind() != JsonValueKind.String || !s_methods.Contains(m.GetValue<string>()))
            response["error"] = new JsonObject { ["code"] = -32601, ["message"] = "Method not found" };
        else
            response["result"] = ServiceNodeList.Result(state, request["params"] as JsonObject);

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializerUtf8(response), context.RequestAborted);
    }

    private static byte[] JsonSerializerUtf8(JsonNode node) => System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());
}
