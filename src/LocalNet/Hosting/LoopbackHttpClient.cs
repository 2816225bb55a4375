using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SessionInterop.LocalNet.Hosting;

// The HttpClient nodes use to relay onion requests and reach servers. It can only connect to
// loopback addresses (LocalNet never sends a packet elsewhere), and it accepts exactly the
// self-signed certificates LocalNet made for its own nodes.
internal static class LoopbackHttpClient
{
    internal static HttpClient Create(IEnumerable<X509Certificate2> trusted)
    {
        var thumbprints = trusted.Select(c => c.GetCertHashString(HashAlgorithmName.SHA256)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                    cert is not null && thumbprints.Contains(cert.GetCertHashString(HashAlgorithmName.SHA256)),
            },
            ConnectCallback = ConnectLoopbackAsync,
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>True for 127.0.0.0/8, ::1 and "localhost".</summary>
    internal static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip));

    private static async ValueTask<Stream> ConnectLoopbackAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        string host = context.DnsEndPoint.Host;
        if (!IsLoopbackHost(host))
            throw new HttpRequestException($"LocalNet only connects to loopback addresses, not {host}");
        IPAddress address = IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? ip) ? ip : IPAddress.Loopback;
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
