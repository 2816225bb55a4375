using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using SessionInterop.Network.Client;

namespace SessionInterop.Tests.Network;

// protocol-network.md §2.1 against a one-shot plain-HTTP seed on loopback.
public sealed class HttpSeedClientTests
{
    private const string Ed = "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c";
    private const string X = "1b1b58dd50ea14b60da17b790cd02754d970c9bab864ebb3c0f3016fe51d3f57";

    [Test]
    public async Task Seed_is_asked_get_n_service_nodes_at_json_rpc_and_its_list_is_parsed()
    {
        int port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        using var seeds = new HttpSeedClient(new SnodeNetworkOptions { SeedUrls = [$"http://127.0.0.1:{port}"] }, NullLogger.Instance);

        Task<IReadOnlyList<ServiceNode>> fetch = seeds.FetchAsync(CancellationToken.None);
        HttpListenerContext context = await listener.GetContextAsync().WaitAsync(TimeSpan.FromSeconds(10));
        string request;
        using (var reader = new StreamReader(context.Request.InputStream))
            request = await reader.ReadToEndAsync();
        byte[] reply = Encoding.UTF8.GetBytes($$$"""{"jsonrpc":"2.0","id":0,"result":{"service_node_states":[{"public_ip":"127.0.1.1","storage_port":22001,"pubkey_x25519":"{{{X}}}","pubkey_ed25519":"{{{Ed}}}","requested_unlock_height":0}],"height":5,"status":"OK"}}""");
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = reply.Length;
        await context.Response.OutputStream.WriteAsync(reply);
        context.Response.Close();

        IReadOnlyList<ServiceNode> nodes = await fetch.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(context.Request.HttpMethod, Is.EqualTo("POST"));
        Assert.That(context.Request.Url!.AbsolutePath, Is.EqualTo("/json_rpc"));
        using JsonDocument body = JsonDocument.Parse(request);
        Assert.That(body.RootElement.GetProperty("method").GetString(), Is.EqualTo("get_n_service_nodes"));
        Assert.That(nodes.Single(), Is.EqualTo(new ServiceNode("127.0.1.1", 22001, Ed, X)));
    }

    [Test]
    public async Task A_50_MB_seed_reply_is_cut_at_the_seed_cap()
    {
        int port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        using var stop = new CancellationTokenSource();
        // Answers every round of the seed client with 50 MB of "JSON".
        Task server = Task.Run(async () =>
        {
            byte[] junk = new byte[64 * 1024];
            Array.Fill(junk, (byte)' ');
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    HttpListenerContext context = await listener.GetContextAsync().WaitAsync(stop.Token);
                    context.Response.ContentType = "application/json";
                    context.Response.ContentLength64 = 50_000_000;
                    for (long sent = 0; sent < 50_000_000; sent += junk.Length)
                        await context.Response.OutputStream.WriteAsync(junk, stop.Token);
                    context.Response.Close();
                }
                catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
                {
                    // the client hung up
                }
            }
        });
        using var seeds = new HttpSeedClient(new SnodeNetworkOptions { SeedUrls = [$"http://127.0.0.1:{port}"], SeedTimeout = TimeSpan.FromSeconds(30) }, NullLogger.Instance);

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var ex = Assert.ThrowsAsync<SessionException>(() => seeds.FetchAsync(CancellationToken.None));
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        stop.Cancel();
        listener.Stop();
        await server;

        Assert.That(ex!.Code, Is.EqualTo("network.seed_unreachable"));
        Assert.That(allocated, Is.LessThan(40L << 20), "three rounds, each cut at the 4 MiB seed cap (a whole read would be 150 MB+)");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
