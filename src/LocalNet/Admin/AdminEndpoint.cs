using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using SessionInterop.LocalNet.Hosting;
using SessionInterop.LocalNet.Topology;

namespace SessionInterop.LocalNet.Admin;

// The admin HTTP endpoint (127.0.0.1 only) over LocalNetFaults; routes are documented in
// docs/localnet.md. Nodes are addressed by index or by Ed25519 hex.
internal sealed class AdminEndpoint(LocalNetState state, LocalNetFaults faults, Files.FileServer files)
{
    internal async Task HandleAsync(HttpContext context)
    {
        string[] parts = (context.Request.Path.Value ?? "").Trim('/').Split('/');
        IQueryCollection q = context.Request.Query;
        try
        {
            switch (context.Request.Method, parts)
            {
                case ("GET", ["nodes"]):
                    await Http.WriteAsync(context, 200, "application/json", System.Text.Encoding.UTF8.GetBytes(Describe().ToJsonString()));
                    return;
                case ("GET", ["requests"]):
                    await Http.WriteAsync(context, 200, "application/json", System.Text.Encoding.UTF8.GetBytes(state.Requests.Snapshot().ToJsonString()));
                    return;
                case ("POST", ["reset"]):
                    faults.Reset();
                    break;
                case ("POST", ["nodes", string id, string action]):
                    int index = ResolveNode(id);
                    switch (action)
                    {
                        case "stop": faults.StopNode(index); break;
                        case "start": faults.StartNode(index); break;
                        case "crash": faults.CrashNode(index); break;
                        case "recover": faults.RecoverNode(index); break;
                        case "delay": faults.DelayRequests(index, TimeSpan.FromMilliseconds(Number(q, "ms")), Number(q, "fraction", 1)); break;
                        case "drop": faults.DropRequests(index, Number(q, "fraction", 1)); break;
                        case "skew": faults.SkewClock(index, TimeSpan.FromMilliseconds(Number(q, "ms"))); break;
                        case "unavailable": faults.SetUnavailable(index, On(q)); break;
                        case "busy": faults.SetBusy(index, On(q)); break;
                        case "corrupt": faults.CorruptRelays(index, On(q)); break;
                        default: throw new KeyNotFoundException($"unknown action {action}");
                    }
                    break;
                case ("POST", ["files", string fileId]):
                    // Places the raw body under a given id: tests replay messages built elsewhere.
                    files.Place(Uri.UnescapeDataString(fileId), await Http.ReadBodyAsync(context));
                    break;
                case ("POST", ["files", string fileId, "expire"]):
                    if (!files.Expire(Uri.UnescapeDataString(fileId))) throw new KeyNotFoundException($"no file {fileId}");
                    break;
                case ("POST", ["replication"]):
                    faults.SetReplication(TimeSpan.FromMilliseconds(Number(q, "delay_ms")), TimeSpan.FromMilliseconds(Number(q, "jitter_ms", 0)));
                    break;
                case ("POST", ["relay-timeout"]):
                    faults.SetRelayTimeout(TimeSpan.FromMilliseconds(Number(q, "ms")));
                    break;
                case ("POST", ["accounts", string account, "move"]):
                    faults.MoveAccount(account, ulong.Parse(q["swarm"].ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    break;
                default:
                    await Http.WriteTextAsync(context, 404, $"{context.Request.Method} {context.Request.Path} Not Found");
                    return;
            }
            await Http.WriteTextAsync(context, 200, "OK");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or OverflowException)
        {
            await Http.WriteTextAsync(context, 400, e.Message);
        }
    }

    /// <summary>"on" query flag: anything but "false" (including absent) switches on.</summary>
    private static bool On(IQueryCollection q) => !string.Equals(q["on"], "false", StringComparison.OrdinalIgnoreCase);

    private int ResolveNode(string id)
    {
        if (int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && state.NodeByIndex(index) is not null)
            return index;
        return state.Swarms.FindByEd25519(id)?.Index ?? throw new KeyNotFoundException($"no node {id}");
    }

    private static double Number(IQueryCollection q, string name, double? fallback = null)
    {
        string? text = q[name];
        if (string.IsNullOrEmpty(text))
            return fallback ?? throw new ArgumentException($"query parameter '{name}' required");
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private JsonObject Describe()
    {
        var nodes = new JsonArray();
        foreach (LocalNode n in state.Nodes)
        {
            nodes.Add((JsonNode)new JsonObject
            {
                ["index"] = n.Index,
                ["ip"] = n.Ip,
                ["port"] = n.Port,
                ["pubkey_ed25519"] = n.Ed25519Hex,
                ["pubkey_x25519"] = n.X25519Hex,
                ["swarm"] = n.SwarmId.ToString("x", CultureInfo.InvariantCulture),
                ["stopped"] = n.Faults.Stopped,
                ["crashed"] = n.Faults.Crashed,
                ["unavailable"] = n.Faults.Unavailable,
                ["busy"] = n.Faults.Busy,
                ["corrupt_relays"] = n.Faults.CorruptRelays,
                ["delay_ms"] = n.Faults.Delay.TotalMilliseconds,
                ["delay_fraction"] = n.Faults.DelayFraction,
                ["drop_fraction"] = n.Faults.DropFraction,
                ["clock_skew_ms"] = n.Faults.ClockSkewMs,
            });
        }
        var swarms = new JsonArray(state.Swarms.SwarmIds.Select(id => (JsonNode)id.ToString("x", CultureInfo.InvariantCulture)).ToArray());
        return new JsonObject
        {
            ["nodes"] = nodes,
            ["swarms"] = swarms,
            ["replication"] = new JsonObject
            {
                ["delay_ms"] = state.Replication.Delay.TotalMilliseconds,
                ["jitter_ms"] = state.Replication.Jitter.TotalMilliseconds,
                ["pending"] = state.Replication.Pending,
            },
            ["relay_timeout_ms"] = state.RelayTimeout.TotalMilliseconds,
        };
    }
}
