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
        if (faults.Stopped)
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
        if (faults.Unavailable)
        {
            await Http.WriteTextAsync(context, 503, "Service node is not ready: LocalNet fault switch\n");
            return;
        }
        if (faults.Busy)
        {
            await Http.WriteTextAsync(context, 503, "Server busy, try again later");
            return;
        }

        string path = context.Request.Path.Value ?? "";
        bool post = HttpMethods.IsPost(context.Request.Method);
        if (post && (path == "/onion_req/v2" || path == "/storage_rpc/v1"))
        {
            byte[] body;
            try
            {
                body = await Http.ReadBodyAsync(context);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await Http.WriteTextAsync(context, 413, "Payload Too Large");
                return;
            }

            if (path == "/onion_req/v2")
            {
                OnionResponse response = await _onion.ProcessAsync(body, context.RequestAborted);
                await Http.WriteAsync(context, response.Status, response.ContentType, response.Body);
            }
            else
                await StorageRpcAsync(context, body);
            return;
        }
        await Http.WriteTextAsync(context, 404, $"{context.Request.Method} {path} Not Found");
    }

    private async Task StorageRpcAsync(HttpContext context, byte[] body)
    {
        if (context.Request.Headers.ContainsKey("X-Loki-Long-Poll"))
        {
            await Http.WriteTextAsync(context, 410, "Gone");
            return;
        }
        if (!_rateLimit.TryTake(context.Connection.RemoteIpAddress?.ToString() ?? ""))
        {
            await Http.WriteTextAsync(context, 429, "Too Many Requests");
            return;
        }
        RpcResult result = _rpc.Handle(body);
        if (result.Json is not null)
            await Http.WriteAsync(context, result.Status, "application/json", System.Text.Encoding.UTF8.GetBytes(result.Json.ToJsonString()));
        else
            await Http.WriteTextAsync(context, result.Status, result.Text ?? "");
    }
}
