using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using SessionInterop.Crypto.Onion;
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
        await HopBreakdownAsync(network, account, member, direct, directUri, samples);
        return 0;
    }

    /// <summary>
    /// Where the onion round trip goes: the same store sent through paths of 1, 2 and 3 relays (built
    /// and sent by hand with the client's builder and transport, kept-alive connections), alternating
    /// with the direct store. Each extra relay adds one HTTPS hop and one layer to peel; the 1-relay
    /// figure minus the direct one is the client's build plus the guard's and the destination's work.
    /// </summary>
    private static async Task HopBreakdownAsync(SnodeNetwork network, string account, ServiceNode member, HttpClient direct, Uri directUri, int samples)
    {
        IReadOnlyList<ServiceNode> swarm = await network.GetSwarmAsync(account, CancellationToken.None);
        List<ServiceNode> relays = network.SnapshotPool().Nodes.Where(n => !swarm.Any(s => s.Ed25519Hex == n.Ed25519Hex)).Take(3).ToList();
        if (relays.Count < 3) return;
        using var transport = new HttpNodeTransport();
        var rtt = new List<double>[4];
        for (int k = 0; k < 4; k++) rtt[k] = [];
        for (int i = 0; i < samples + 3; i++)
        {
            string data = Convert.ToBase64String(RandomNumberGenerator.GetBytes(330));
            long t0 = Stopwatch.GetTimestamp();
            using (HttpResponseMessage reply = await direct.PostAsync(directUri, new StringContent(StoreJson(account, network.NetworkTimeMs, data), Encoding.UTF8, "application/json")))
                await reply.Content.ReadAsByteArrayAsync();
            double d = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (i >= 3) rtt[0].Add(d);
            for (int hops = 1; hops <= 3; hops++)
            {
                data = Convert.ToBase64String(RandomNumberGenerator.GetBytes(330));
                t0 = Stopwatch.GetTimestamp();
                byte[] rpc = StorageRpc.Store(account, 0, data, 3_600_000, network.NetworkTimeMs, default);
                OnionRequest request = OnionRequestBuilder.ForSnode(relays.Take(hops).ToList(), member, rpc, OnionCipher.AesGcm, RandomOnionEntropy.Instance);
                NodeHttpResponse response = await transport.PostAsync(relays[0], NodeEndpoints.Onion, request.Body, TimeSpan.FromSeconds(10), CancellationToken.None);
                SnodeReply? reply = OnionResponseReader.ReadSnodeReply(request, response.Body);
                double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if (reply is null || reply.Status != 200) throw new InvalidOperationException($"{hops}-relay store: HTTP {response.Status}");
                if (i >= 3) rtt[hops].Add(ms);
            }
        }
        var inv = CultureInfo.InvariantCulture;
        double p0 = QuickRun.Percentile(rtt[0], 50), p1 = QuickRun.Percentile(rtt[1], 50), p2 = QuickRun.Percentile(rtt[2], 50), p3 = QuickRun.Percentile(rtt[3], 50);
        Console.WriteLine(string.Create(inv, $"store round trip p50: direct {p0:F2} ms, through 1 relay {p1:F2} ms, 2 relays {p2:F2} ms, 3 relays {p3:F2} ms ({samples} rounds)"));
        Console.WriteLine(string.Create(inv, $"  per extra relay ~{(p3 - p1) / 2:F2} ms; client build + guard + destination over direct: {p1 - p0:F2} ms"));
        for (int hops = 1; hops <= 3; hops++)
            Console.WriteLine(string.Create(inv,
                $"RESULT\tonion_store_rtt_{hops}relay_p50\tstore round trip through {hops} relay{(hops > 1 ? "s" : "")} p50 (built by hand), NativeAOT\t{QuickRun.Percentile(rtt[hops], 50):F3}\tms\tdirect store round trip, same member\t{p0:F3}\t"));
    }

    private static string StoreJson(string account, long now, string data) => string.Create(CultureInfo.InvariantCulture,
        $"{{\"method\":\"store\",\"params\":{{\"pubkey\":\"{account}\",\"timestamp\":{now},\"ttl\":3600000,\"namespace\":0,\"data\":\"{data}\"}}}}");

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
