using System.Net;
using System.Net.Security;

namespace SessionInterop.Network.Client;

// HTTPS to service nodes (protocol-network.md §5.5): POST https://ip:port/onion_req/v2. Snode
// certificates are self-signed and deliberately not checked: the onion layer encryption to the
// node's X25519 key is what authenticates the node.
internal sealed class HttpNodeTransport : INodeTransport, IDisposable
{
    private readonly HttpClient _client;

    public HttpNodeTransport()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = ReplyLimits.Onion };
    }

    public async Task<NodeHttpResponse> PostAsync(ServiceNode node, string endpoint, byte[] body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"https://{node.Ip}:{node.Port}{endpoint}"))
        {
            Content = new ByteArrayContent(body),
        };
        try
        {
            // Headers first, then a capped read: a hostile guard cannot make us buffer more than the cap.
            using HttpResponseMessage response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token).ConfigureAwait(false);
            byte[] bytes = await ReplyLimits.ReadAsync(response.Content, ReplyLimits.ForEndpoint(endpoint), timeoutSource.Token).ConfigureAwait(false);
            return new NodeHttpResponse((int)response.StatusCode, bytes);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException
                                   && timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Also a reply that drips in too slowly: the read was cut by our timeout.
            throw Errors.Timeout("network.timeout", $"no reply from {node} within {timeout.TotalSeconds:0.#} s", ex);
        }
        catch (IOException ex)
        {
            throw NetworkFailures.Unreachable($"the connection to {node} broke: {Errors.Describe(ex)}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw NetworkFailures.Unreachable($"cannot reach {node}: {ex.HttpRequestError}", ex);
        }
    }

    public void Dispose() => _client.Dispose();
}
