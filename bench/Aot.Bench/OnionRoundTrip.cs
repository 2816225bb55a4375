using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using SessionInterop.Network.Client;

namespace SessionInterop.Bench;

/// <summary>
/// Where send → stored goes: one 3-hop onion store (SnodeNetwork.StoreAsync, the network part of a
/// send, without the outbox, the database or events) alternating with a direct store to the same
/// swarm member over a kept-alive HTTPS connection. Against e2e.py's send → stored this splits the
/// client's own overhead from the path's. Loopback LocalNet only.
/// </summary>
internal static class OnionRoundTrip
{
    public static async Task<int> RunAsync(string seedUrl, int samples)
    {
        if (!seedUrl.StartsWith("http://127.", StringComparison.Ordinal)) throw new ArgumentException("loopback LocalNet only");
        var options = new SnodeNetworkOptions { SeedUrls = [seedUrl], AcceptSelfSignedSeedCertificates = true };
        await using var network = new SnodeNetwork(options);
        await network.ConnectAsync(CancellationToken.None);
        string account = "05" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        ServiceNode member = (await network.GetSwarmAsync(account, CancellationToken.None))[0];
        using HttpClient direct = DirectClient();
        var directUri = new Uri($"https://{member.Ip}:{member.Port}{NodeEndpoints.StorageRpc}");

        var onion = new List<double>();
        var plain = new List<double>();
        for (int i = 0; i < samples + 3; i++)   // the first 3 pairs warm both up (paths, connections)
        {
            string data = Convert.ToBase64String(RandomNumberGenerator.GetBytes(330));
            long t0 = Stopwatch.GetTimestamp();
            await network.StoreAsync(account, 0, data, 3_600_000, CancellationToken.None);
            double onionMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;

            data = Convert.ToBase64String(RandomNumberGenerator.GetBytes(330));
            string body = string.Create(CultureInfo.InvariantCulture,
                $"{{\"method\":\"store\",\"params\":{{\"pubkey\":\"{account}\",\"timestamp\":{network.NetworkTimeMs},\"ttl\":3600000,\"namespace\":0,\"data\":\"{data}\"}}}}");
            t0 = Stopwatch.GetTimestamp();
            using (HttpResponseMessage reply = await direct.PostAsync(directUri, new StringContent(body, Encoding.UTF8, "application/json")))
            {
                await reply.Content.ReadAsByteArrayAsync();
                if (reply.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"direct store: HTTP {(int)reply.StatusCode}");
            }
            double directMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (i < 3) continue;
            onion.Add(onionMs);
            plain.Add(directMs);
        }
        List<double> ratios = onion.Zip(plain, (a, b) => a / b).ToList();
        double p50 = QuickRun.Percentile(onion, 50), d50 = QuickRun.Percentile(plain, 50);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"onion store round trip (SnodeNetwork.StoreAsync) p50 {p50:F2} ms, direct {d50:F2} ms, {samples} pairs"));
        Console.WriteLine(string.Create(inv,
            $"RESULT\tonion_store_rtt_p50\tonion store round trip p50 (SnodeNetwork.StoreAsync: no outbox, db or events), NativeAOT\t{p50:F3}\tms\tdirect store round trip, same member, kept-alive HTTPS\t{d50:F3}\t\t{QuickRun.Percentile(ratios, 50):F4}\t{QuickRun.Percentile(ratios, 25):F4}\t{QuickRun.Percentile(ratios, 75):F4}"));
        return 0;
    }

    // A kept-alive HTTPS client from its own loopback address (LocalNet rate-limits storage RPC per IP);
    // node certificates are self-signed, as real snodes' are, and only loopback is ever dialled.
    private static HttpClient DirectClient()
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
            ConnectCallback = static async (context, ct) =>
            {
                var ip = IPAddress.Parse(context.DnsEndPoint.Host);
                if (!IPAddress.IsLoopback(ip)) throw new HttpRequestException("loopback only");
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Bind(new IPEndPoint(IPAddress.Parse("127.1.3.7"), 0));
                await socket.ConnectAsync(new IPEndPoint(ip, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler);
    }
}
