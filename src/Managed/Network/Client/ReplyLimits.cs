using System.Buffers;

namespace SessionInterop.Network.Client;

/// <summary>
/// The most the client reads of any one network reply, per kind, so a hostile guard, seed or server
/// cannot make it allocate without bound (bodies are read in chunks and the read stops at the cap;
/// a slow drip is cut by the request's own timeout). Documented in docs/network-client.md.
/// </summary>
internal static class ReplyLimits
{
    /// <summary>A seed's node list: mainnet's ~2,000 records with every field are under 1 MB.</summary>
    public const int Seed = 4 << 20;

    /// <summary>A direct storage RPC (the guard test's <c>info</c>): a few hundred bytes.</summary>
    public const int DirectRpc = 1 << 20;

    /// <summary>
    /// An onion reply: a retrieve page is at most 7.8 MB of messages (base64 and encryption add about
    /// a third), a server reply through v4 at most a 10 MB file plus framing.
    /// </summary>
    public const int Onion = 16 << 20;

    /// <summary>The cap for a POST to a node endpoint.</summary>
    public static int ForEndpoint(string endpoint) => endpoint == NodeEndpoints.Onion ? Onion : DirectRpc;

    /// <summary>Reads <paramref name="content"/> whole unless it passes <paramref name="max"/> bytes (then network.reply_too_large).</summary>
    public static async Task<byte[]> ReadAsync(HttpContent content, int max, CancellationToken cancellationToken)
    {
        long? declared = content.Headers.ContentLength;
        if (declared > max)
            throw TooLarge(max);
        using var buffer = new MemoryStream(declared is long n ? (int)n : 0);
        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            byte[] chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    if (buffer.Length + read > max)
                        throw TooLarge(max);
                    buffer.Write(chunk, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
        return buffer.ToArray();
    }

    private static SessionException TooLarge(int max) =>
        Errors.Network("network.reply_too_large", $"the reply is larger than the {max / (1 << 20)} MiB allowed for its kind");
}
