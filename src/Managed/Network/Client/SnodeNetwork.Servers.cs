using System.Text.Json;

namespace SessionInterop.Network.Client;

// Server destinations (community server, file server): v4 requests through the exit node (§5.4).
internal sealed partial class SnodeNetwork
{
    private const int ServerAttempts = 3;

    /// <summary>
    /// Sends a v4 request to <paramref name="server"/> through an onion path and returns its decoded
    /// reply, whatever its HTTP code. Path failures are retried on new paths (up to 3 tries); an
    /// unreachable server is not.
    /// </summary>
    public async Task<ServerResponse> SendToServerAsync(ServerTarget server, ServerRequest request, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(request);
        OnionRequestBuilder.ParseKey(server.X25519PublicKeyHex);
        await EnsurePoolAsync(cancellationToken).ConfigureAwait(false);

        Exception? last = null;
        for (int attempt = 0; attempt < Math.Min(ServerAttempts, _options.MaxAttempts); attempt++)
        {
            OnionPath path = await GetPathAsync(avoid: null, cancellationToken).ConfigureAwait(false);
            OnionRequest onion = OnionRequestBuilder.ForServer(path.Nodes, server, request, _options.Cipher, _entropy);
            NodeHttpResponse response;
            try
            {
                response = await SendOnionAsync(path, onion, _options.ServerRequestTimeout, destination: null, cancellationToken).ConfigureAwait(false);
            }
            catch (SessionException ex) when (ex.IsTransient && ex.Code is not ("network.server_unreachable" or "network.server_timeout" or "network.server_error"))
            {
                last = ex;
                continue;
            }
            SetState(ConnectionState.Connected);
            return OnionResponseReader.ReadServerReply(onion, response.Body)
                ?? throw Errors.Crypto("network.bad_server_reply", "the server's reply could not be decrypted (wrong server key?)");
        }
        throw Errors.Network("network.no_path", "no onion path delivered the server request", last);
    }

    /// <summary>
    /// Like <see cref="SendToServerAsync"/> for JSON endpoints: the parsed body of a 2xx reply (null
    /// when it is empty or not JSON); 404 → <c>network.not_found</c>, other 4xx → <c>network.server_rejected</c>,
    /// 5xx → transient <c>network.server_error</c>. The caller disposes the document.
    /// </summary>
    public async Task<JsonDocument?> SendJsonToServerAsync(ServerTarget server, ServerRequest request, CancellationToken cancellationToken)
    {
        ServerResponse response = await SendToServerAsync(server, request, cancellationToken).ConfigureAwait(false);
        switch (response.Code)
        {
            case 404:
                throw Errors.NotFound("network.not_found", "the server answered 404");
            case >= 400 and < 500:
                throw Errors.InvalidArgument("network.server_rejected", $"the server answered {response.Code}");
            case < 200 or >= 300 and not 304:
                throw Errors.Network("network.server_error", $"the server answered {response.Code}");
        }
        if (response.Body.Length == 0)
            return null;
        try
        {
            return JsonDocument.Parse(response.Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
