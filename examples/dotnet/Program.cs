// Sends one message to a Session ID and prints the first message that comes back from it.
//   dotnet run -- --to 05… [--text TEXT] [--data DIR] [--seed-url URL] [--timeout SECS]
// Shows the package's API: options through the options pattern (AddSessionClient), ILogger through
// Microsoft.Extensions.Logging, await SendAsync (completes once stored), await foreach Events().
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionInterop;
using SessionInterop.Client;
using SessionInterop.State;

var arg = (string name, string? fallback) =>
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
};
string? to = arg("--to", null);
if (to is null)
{
    Console.Error.WriteLine("usage: SessionInterop.Example --to SESSION_ID [--text TEXT] [--data DIR] [--seed-url URL] [--timeout SECS]");
    return 2;
}
string? seedUrl = arg("--seed-url", Environment.GetEnvironmentVariable("SESSION_SEED_URL"));

await using ServiceProvider services = new ServiceCollection()
    .AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning))
    .AddSessionClient(options =>
    {
        options.DataDirectory = arg("--data", "./dotnet-example-data")!;
        if (seedUrl is not null)
        {
            options.SeedUrls = [seedUrl];
            options.AcceptSelfSignedCertificates = new Uri(seedUrl).IsLoopback; // LocalNet only
        }
    })
    .BuildServiceProvider();

SessionClient client = services.GetRequiredService<SessionClient>();
client.Start();
Console.WriteLine($"SESSION_ID={client.SessionId}");

using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(int.Parse(arg("--timeout", "60")!)));
try
{
    string stored = await client.SendAsync(to, arg("--text", "hello from .NET")!, timeout.Token);
    Console.WriteLine($"stored {stored}");
    await foreach (SessionEvent e in client.Events(timeout.Token))
    {
        if (e.Type == EventType.Message && e.Sender == to)
        {
            Console.WriteLine($"reply: {System.Text.Encoding.UTF8.GetString(e.Text)}");
            return 0;
        }
    }
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("no reply in time");
}
catch (SessionException e)
{
    Console.Error.WriteLine($"error: {e.Status} ({e.Code}): {e.Message}");
}
return 1;
