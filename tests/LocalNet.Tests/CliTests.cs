using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace SessionInterop.LocalNet.Tests;

// The session-localnet executable: machine-readable start-up lines, the seed answers, and a clean
// exit 0 on SIGTERM. SESSION_LOCALNET_BIN may point at another build (e.g. dist/bin/session-localnet).
[TestFixture]
internal sealed class CliTests
{
    private static string Executable =>
        Environment.GetEnvironmentVariable("SESSION_LOCALNET_BIN") is { Length: > 0 } bin
            ? bin
            : Path.Combine(TestContext.CurrentContext.TestDirectory, "session-localnet");

    [Test]
    public async Task Executable_prints_seed_and_admin_urls_then_ready_and_exits_0_on_sigterm()
    {
        var start = new ProcessStartInfo(Executable, ["--nodes", "12", "--swarm-size", "3"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync(); // drain the log
        try
        {
            var lines = new Dictionary<string, string>();
            // A liveness bound, not a speed check (start-up time belongs to the benchmarks): READY
            // took 2 s on an idle machine and 10 s under a load average of 60.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string? last = null;
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line && (last = line) != "READY")
            {
                int eq = line.IndexOf('=');
                if (eq > 0) lines[line[..eq]] = line[(eq + 1)..];
            }
            Assert.That(last, Is.EqualTo("READY"), "READY printed before standard output ended");
            Assert.That(lines.Keys, Is.SupersetOf(new[] { "SEED_URL", "ADMIN_URL" }));

            using var http = new HttpClient();
            using var content = new StringContent("""{"jsonrpc":"2.0","method":"get_n_service_nodes","params":{}}""", Encoding.UTF8);
            using HttpResponseMessage response = await http.PostAsync(new Uri(new Uri(lines["SEED_URL"]), "json_rpc"), content);
            var states = (JsonArray)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!["service_node_states"]!;
            Assert.That(states, Has.Count.EqualTo(12));

            using (Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
                await kill.WaitForExitAsync();
            using var exitTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(exitTimeout.Token);
            Assert.That(process.ExitCode, Is.Zero);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }

    [Test]
    public async Task Unknown_arguments_exit_with_code_2()
    {
        using Process process = Process.Start(new ProcessStartInfo(Executable, ["--bogus"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.EqualTo(2));
    }
}
