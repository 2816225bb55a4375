using System.Net.Http.Headers;
using System.Net.Security;
using Microsoft.Extensions.Logging;

namespace SessionInterop.Network.Client;

// get_n_service_nodes from the seeds (protocol-network.md §2.1): POST {seed}json_rpc, all seeds in
// parallel, first good answer wins, a few rounds with back-off (desktop: 4 attempts, ×2, from 1 s).
internal sealed class HttpSeedClient : ISeedNodeSource, IDisposable
{
    private const int Rounds = 3;

    private readonly List<(Uri Url, HttpClient Client)> _seeds = [];
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;

    public HttpSeedClient(SnodeNetworkOptions options, ILogger logger)
    {
        _timeout = options.SeedTimeout;
        _logger = logger;
        foreach (string url in options.SeedUrls)
        {
            if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out Uri? baseUri) || (baseUri.Scheme != "http" && baseUri.Scheme != "https"))
                throw Errors.InvalidArgument("network.bad_seed_url", "seed URL must be absolute http(s)");
            var handler = new SocketsHttpHandler
            {
                UseProxy = false,
                SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = SeedCertificatePins.ValidatorFor(baseUri.Host, options.AcceptSelfSignedSeedCertificates),
                },
            };
            _seeds.Add((new Uri(baseUri, "json_rpc"), new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }));
        }
        if (_seeds.Count == 0)
            throw Errors.InvalidArgument("network.no_seeds", "at least one seed URL is required");
    }

    public async Task<IReadOnlyList<ServiceNode>> FetchAsync(CancellationToken cancellationToken)
    {
        TimeSpan pause = TimeSpan.FromSeconds(1);
        for (int round = 1; ; round++)
        {
            using var roundSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var pending = _seeds.Select(s => FetchOneAsync(s.Url, s.Client, roundSource.Token)).ToList();
            while (pending.Count > 0)
            {
                Task<IReadOnlyList<ServiceNode>?> done = await Task.WhenAny(pending).ConfigureAwait(false);
                pending.Remove(done);
                if (await done.ConfigureAwait(false) is { } nodes)
                {
                    roundSource.Cancel(); // the other seeds are no longer needed
                    NetworkLog.SeedFetched(_logger, nodes.Count);
                    return nodes;
                }
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (round == Rounds)
                throw Errors.Network("network.seed_unreachable", "no seed node returned a usable node list");
            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause *= 2;
        }
    }

    private async Task<IReadOnlyList<ServiceNode>?> FetchOneAsync(Uri url, HttpClient client, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(_timeout);
        try
        {
            using var content = new ByteArrayContent(StorageRpc.SeedGetServiceNodes());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token).ConfigureAwait(false);
            string body = System.Text.Encoding.UTF8.GetString(await ReplyLimits.ReadAsync(response.Content, ReplyLimits.Seed, timeoutSource.Token).ConfigureAwait(false));
            if (!response.IsSuccessStatusCode)
            {
                NetworkLog.SeedFailed(_logger, url.Host, $"HTTP {(int)response.StatusCode}");
                return null;
            }
            // Desktop insists on application/json; a charset parameter is tolerated here.
            if (response.Content.Headers.ContentType?.MediaType != "application/json")
            {
                NetworkLog.SeedFailed(_logger, url.Host, "not application/json");
                return null;
            }
            IReadOnlyList<ServiceNode>? nodes = StorageResponseParser.ParseServiceNodeStates(body);
            if (nodes is null)
                NetworkLog.SeedFailed(_logger, url.Host, "no usable node records");
            return nodes;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            NetworkLog.SeedFailed(_logger, url.Host, "timeout");
            return null;
        }
        catch (OperationCanceledException)
        {
            return null; // another seed answered first, or the caller gave up
        }
        catch (HttpRequestException ex)
        {
            NetworkLog.SeedFailed(_logger, url.Host, ex.HttpRequestError.ToString());
            return null;
        }
        catch (IOException ex)
        {
            NetworkLog.SeedFailed(_logger, url.Host, ex.GetType().Name);
            return null;
        }
        catch (SessionException ex)
        {
            NetworkLog.SeedFailed(_logger, url.Host, ex.Code);
            return null;
        }
    }

    public void Dispose()
    {
        foreach (var (_, client) in _seeds)
            client.Dispose();
    }
}
