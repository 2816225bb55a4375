using Microsoft.AspNetCore.Http;
using SessionInterop.LocalNet.Onion;
using SessionInterop.LocalNet.Storage;
using SessionInterop.LocalNet.Topology;

namespace SessionInterop.LocalNet.Hosting;

// A service node's HTTPS listener (§1): POST /onion_req/v2, POST /storage_rpc/v1, 404 elsewhere,
// 413 over 10 MiB, 503 when not ready. The node's fault switches are applied here, before any
// processing, so direct requests and relayed onion hops see them alike.
internal sealed class NodeEndpoint
{
    private readonly LocalNode _node;
    private readonly TokenBucket _rateLimit;
    private readonly StorageRpc _rpc;
    private readonly OnionProcessor _onion;

    internal NodeEndpoint(LocalNetState state, LocalNode node, HttpClient http, TokenBucket rateLimit)
    {
        _node = node;
        _rateLimit = rateLimit;
        _rpc = new StorageRpc(state, node);
        _onion = new OnionProcessor(state, node, _rpc, http);
    }

    internal async Task HandleAsync(HttpContext context, CancellationToken stopping)
    {
        NodeFaults faults = _node.Faults;
        if (faults.Stopped || faults.Crashed)
        {
            context.Abort(); // a stopped node is gone: the connection just dies
            return;
        }
        if (faults.DropFraction > 0 && Random.Shared.NextDouble() < faults.DropFraction)
        {
            // A dropped request is never answered; the caller's own timeout fires (504 at a relay).
            using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            try
            {
                await Task.Delay(Timeout.Infinite, both.Token);
            }
            catch (OperationCanceledException)
            {
            }
            context.Abort();
            return;
        }
        if (faults.Delay > TimeSpan.Zero && Random.Shared.NextDouble() < faults.DelayFraction)
            await Task.Delay(faults.Delay, context.RequestAborted);

        // Routing, readiness and limits in the storage server's order (SS server/https.cpp).
        string path = context.Request.Path.Value ?? "";
        bool post = HttpMethods.IsPost(context.Request.Method);
        bool storageRpc = post && path == "/storage_rpc/v1", onion = post && path == "/onion_req/v2";
        if (HttpMethods.IsGet(context.Request.Method) && path == "/get_stats/v1")
        {
            string version = string.Join('.', LocalNetState.Version);
            await Http.WriteAsync(context, 200, "application/json", System.Text.Encoding.UTF8.GetBytes($"{{\"version\":\"{version}\"}}"));
            return;
        }
        if (!storageRpc && !onion)
        {
            await Http.WriteTextAsync(context, 404, $"{context.Request.Method} {path} Not Found");
            return;
        }
        if (faults.Unavailable)
        {
            await Http.WriteTextAsync(context, 503, "Service node is not ready: LocalNet fault switch\n");
            return;
        }
        if (storageRpc)
        {
            if (!_rateLimit.TryTake(context.Connection.RemoteIpAddress?.ToString() ?? ""))
            {
                await Http.WriteTextAsync(context, 429, "Too Many Requests\n");
                return;
            }
            if (!string.IsNullOrEmpty(context.Request.Headers["X-Loki-Long-Poll"]))
            {
                await Http.WriteTextAsync(context, 410, "long polling is no longer supported, client upgrade required");
                return;
            }
        }

        byte[] body;
        try
        {
            body = await Http.ReadBodyAsync(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await Http.WriteTextAsync(context, 413, "Request body too large");
            return;
        }
        if (faults.Busy)
        {
            await Http.WriteTextAsync(context, 503, "Server busy, try again later");
            return;
        }

        if (onion)
        {
            OnionResponse response = await _onion.ProcessAsync(body, context.RequestAborted);
            await Http.WriteAsync(context, response.Status, response.ContentType, response.Body);
        }
        else
            await StorageRpcAsync(context, body);
    }

    private async Task StorageRpcAsync(HttpContext context, byte[] body)
    {
        RpcResult result = _rpc.Handle(body);
        if (result.Json is not null)
            await Http.WriteAsync(context, result.Status, "application/json", System.Text.Encoding.UTF8.GetBytes(result.Json.ToJsonString()));
        else
            await Http.WriteTextAsync(context, result.Status, result.Text ?? "");
    }
}
