namespace SessionInterop.Network.Client;

/// <summary>
/// A non-snode onion destination (community server, file server) reached through the exit node
/// with a v4 request to <c>/oxen/v4/lsrpc</c> (protocol-network.md §5.3-§5.4).
/// </summary>
/// <param name="Host">Host name or IP the exit node connects to.</param>
/// <param name="X25519PublicKeyHex">The server's X25519 key (64 hex), e.g. a community URL's <c>public_key</c>.</param>
/// <param name="Protocol">"http" or "https".</param>
/// <param name="Port">TCP port; 80/443 for the protocol's default.</param>
internal sealed record ServerTarget(string Host, string X25519PublicKeyHex, string Protocol = "https", int Port = 443)
{
    /// <summary>Parses <c>scheme://host[:port]</c> (path and query are ignored) with the server's X25519 key.</summary>
    public static ServerTarget FromUrl(string url, string x25519PublicKeyHex)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw Errors.InvalidArgument("network.bad_url", "server URL must be absolute http(s)");
        return new ServerTarget(uri.Host, x25519PublicKeyHex, uri.Scheme, uri.Port);
    }
}

/// <summary>A v4 request for a server destination: method, endpoint (path + query), headers, optional body.</summary>
internal sealed record ServerRequest(string Method, string Endpoint, IReadOnlyDictionary<string, string>? Headers = null, ReadOnlyMemory<byte>? Body = null);

/// <summary>A decoded v4 response: HTTP status, lower-case headers and raw body bytes.</summary>
internal sealed record ServerResponse(int Code, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The <c>content-type</c> header, or null.</summary>
    public string? ContentType => Headers.TryGetValue("content-type", out string? v) ? v : null;
}
