using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using NUnit.Framework;
using SessionInterop.Network.Client;

namespace SessionInterop.Tests.Network;

// protocol-network.md §5.5: POST https://ip:port/onion_req/v2 to a node with a self-signed certificate.
public sealed class HttpNodeTransportTests
{
    [Test]
    public async Task Posts_to_the_node_over_https_with_a_self_signed_certificate()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task<(string Head, byte[] Body)> server = ServeOnceAsync(listener, 502, "Next node not found: abc");
        using var transport = new HttpNodeTransport();

        NodeHttpResponse response = await transport.PostAsync(new ServiceNode("127.0.0.1", port, new string('a', 64), new string('b', 64)),
            NodeEndpoints.Onion, [1, 2, 3], TimeSpan.FromSeconds(10), CancellationToken.None);

        var (head, body) = await server;
        Assert.That(head, Does.StartWith("POST /onion_req/v2 HTTP/1.1"));
        Assert.That(body, Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(response.Status, Is.EqualTo(502));
        Assert.That(Encoding.UTF8.GetString(response.Body), Is.EqualTo("Next node not found: abc"));
    }

    [Test]
    public async Task Silent_node_times_out_with_a_transient_timeout_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var transport = new HttpNodeTransport();

        var ex = Assert.ThrowsAsync<SessionException>(() => transport.PostAsync(new ServiceNode("127.0.0.1", port, new string('a', 64), new string('b', 64)),
            NodeEndpoints.Onion, [1], TimeSpan.FromMilliseconds(300), CancellationToken.None));

        Assert.That(ex!.Status, Is.EqualTo(SessionStatus.ETimeout), ex.Code + ": " + ex.Message);
        Assert.That(ex.IsTransient, Is.True);
        await Task.CompletedTask;
    }

    [Test]
    public void Refused_connection_is_a_transient_network_error()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        using var transport = new HttpNodeTransport();
        var ex = Assert.ThrowsAsync<SessionException>(() => transport.PostAsync(new ServiceNode("127.0.0.1", port, new string('a', 64), new string('b', 64)),
            NodeEndpoints.Onion, [1], TimeSpan.FromSeconds(5), CancellationToken.None));
        Assert.That(ex!.Code, Is.EqualTo("network.unreachable"));
    }

    private static ServiceNode Node(int port) => new("127.0.0.1", port, new string('a', 64), new string('b', 64));

    [TestCase(true)]
    [TestCase(false)]
    public async Task A_50_MB_reply_is_refused_at_the_cap_without_being_read_whole(bool declaresLength)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        Task server = ServeHostileAsync(listener, 50_000_000, declaresLength, TimeSpan.Zero, stop.Token);
        using var transport = new HttpNodeTransport();

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var ex = Assert.ThrowsAsync<SessionException>(() => transport.PostAsync(Node(((IPEndPoint)listener.LocalEndpoint).Port),
            NodeEndpoints.Onion, [1], TimeSpan.FromSeconds(60), CancellationToken.None));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        stop.Cancel();
        await server;

        Assert.That(ex!.Code, Is.EqualTo("network.reply_too_large"));
        Assert.That(ex.IsTransient, Is.True, "a hostile guard is a path failure, retried elsewhere");
        Assert.That(allocated, Is.LessThan(45L << 20), "at most the 16 MiB onion cap (plus buffer growth) was allocated");
    }

    [Test]
    public async Task A_slow_drip_reply_ends_with_the_request_timeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        // A length under the cap, so only the drip (one byte per 50 ms) stands in the way.
        Task server = ServeHostileAsync(listener, 1_000_000, declareLength: true, TimeSpan.FromMilliseconds(50), stop.Token);
        using var transport = new HttpNodeTransport();

        var ex = Assert.ThrowsAsync<SessionException>(() => transport.PostAsync(Node(((IPEndPoint)listener.LocalEndpoint).Port),
            NodeEndpoints.Onion, [1], TimeSpan.FromSeconds(1), CancellationToken.None));
        stop.Cancel();
        await server;

        Assert.That(ex!.Status, Is.EqualTo(SessionStatus.ETimeout), ex.Code + ": " + ex.Message);
    }

    // A hostile HTTPS node: reads the request, then streams `size` bytes of junk (with or without a
    // Content-Length; one byte per `drip` when drip > 0) until done, the client hangs up or `stop`.
    private static async Task ServeHostileAsync(TcpListener listener, long size, bool declareLength, TimeSpan drip, CancellationToken stop)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=snode", key, HashAlgorithmName.SHA256);
        using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        try
        {
            using TcpClient client = await listener.AcceptTcpClientAsync(stop);
            using var tls = new SslStream(client.GetStream());
            await tls.AuthenticateAsServerAsync(cert);
            var buffer = new MemoryStream();
            byte[] chunk = new byte[4096];
            while (IndexOf(buffer.ToArray(), "\r\n\r\n"u8) < 0)
                buffer.Write(chunk, 0, await tls.ReadAsync(chunk, stop));
            string head = declareLength
                ? $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {size}\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
            await tls.WriteAsync(Encoding.ASCII.GetBytes(head), stop);
            byte[] junk = new byte[drip > TimeSpan.Zero ? 1 : 64 * 1024];
            byte[] chunkHead = Encoding.ASCII.GetBytes($"{junk.Length:x}\r\n");
            for (long sent = 0; sent < size; sent += junk.Length)
            {
                if (!declareLength) await tls.WriteAsync(chunkHead, stop);
                await tls.WriteAsync(junk, stop);
                if (!declareLength) await tls.WriteAsync("\r\n"u8.ToArray(), stop);
                if (drip > TimeSpan.Zero)
                {
                    await tls.FlushAsync(stop);
                    await Task.Delay(drip, stop);
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // the client hung up (as it should) or the test ended
        }
    }

    // A one-request HTTPS server: TLS with a throw-away self-signed certificate, read head + body, answer, close.
    private static async Task<(string Head, byte[] Body)> ServeOnceAsync(TcpListener listener, int status, string reply)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=snode", key, HashAlgorithmName.SHA256);
        using X509Certificate2 cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using TcpClient client = await listener.AcceptTcpClientAsync();
        using var tls = new SslStream(client.GetStream());
        await tls.AuthenticateAsServerAsync(cert);

        var buffer = new MemoryStream();
        byte[] chunk = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOf(buffer.ToArray(), "\r\n\r\n"u8)) < 0)
            buffer.Write(chunk, 0, await tls.ReadAsync(chunk));
        string head = Encoding.ASCII.GetString(buffer.ToArray(), 0, headEnd);
        int length = int.Parse(head.Split("\r\n").First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        while (buffer.Length < headEnd + 4 + length)
            buffer.Write(chunk, 0, await tls.ReadAsync(chunk));
        byte[] body = buffer.ToArray().AsSpan(headEnd + 4, length).ToArray();

        byte[] replyBytes = Encoding.UTF8.GetBytes(reply);
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} X\r\nContent-Type: text/plain\r\nContent-Length: {replyBytes.Length}\r\nConnection: close\r\n\r\n"));
        await tls.WriteAsync(replyBytes);
        await tls.FlushAsync();
        return (head, body);
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> needle) => data.AsSpan().IndexOf(needle);
}
