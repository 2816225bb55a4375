using System.Diagnostics;
using System.Runtime.InteropServices;
using SessionInterop.Client;
using SessionInterop.State;

namespace SessionInterop.Cli;

/// <summary>`session send`, `session listen`, `session join`: open the client in --data, start it, act.</summary>
internal static class MessagingCommands
{
    private const string SendHelp = """
        usage: session send TO TEXT --data DIR [--seed-url URL] [--timeout SECS]

        Sends TEXT to TO (a 05… Session ID, or a joined community's URL) and waits until the network
        has stored it; prints the stored message's id. Messages that arrive meanwhile are printed to
        stderr (they are delivered once, so `listen` will not show them again).
        exit codes: 0 stored, 1 error, 2 usage, 3 not delivered, 4 no confirmation within --timeout
        (default 60; the message stays queued in DIR and goes out with the next run).
        """;

    private const string ListenHelp = """
        usage: session listen --data DIR [--seed-url URL] [--json] [--count N] [--timeout SECS]

        Prints events as they arrive until interrupted (Ctrl-C / SIGTERM), or until N messages were
        printed (--count), or SECS passed (--timeout). Plain: "SENDER: TEXT" per message, other events
        in brackets. --json: one JSON object per event and line, with at least type, sender, text
        (also conversation, message_id, timestamp_ms; request_id/status/error_code/value when set).
        exit codes: 0 ok, 1 error, 2 usage, 4 --timeout passed before --count messages arrived
        """;

    private const string JoinHelp = """
        usage: session join URL --data DIR [--seed-url URL]

        Joins a community room (http(s)://host[:port]/room?public_key=HEX) and prints its conversation
        id; `session listen` then shows its posts and `session send URL TEXT` posts to it.
        exit codes: 0 ok, 1 error (e.g. a malformed URL), 2 usage
        """;

    internal static int Send(CommonOptions o)
    {
        if (o.ShowHelp(SendHelp)) return ExitCodes.Ok;
        IdentityCommands.ExpectArguments(o, 3);
        int timeoutS = o.Number("--timeout", 60);
        using SessionClient client = SessionClient.Open(o.ClientOptions());
        ulong request = client.Send(o.Verb[1], o.Verb[2]);
        client.Start();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(timeoutS))
        {
            client.Wait(TimeSpan.FromMilliseconds(500));
            foreach (SessionEvent e in client.Poll(64))
            {
                if (e.Type == EventType.Message) Console.Error.WriteLine(EventJson.Human(e));
                if (e.Type != EventType.RequestDone || e.RequestId != request) continue;
                client.ReleaseEvents();
                if (e.Status == SessionStatus.Ok)
                {
                    Console.Out.WriteLine(e.MessageId);
                    return ExitCodes.Ok;
                }
                Console.Error.WriteLine($"session: not delivered: {e.Status} ({e.ErrorCode}) {System.Text.Encoding.UTF8.GetString(e.Text)}");
                return ExitCodes.NotDelivered;
            }
        }
        Console.Error.WriteLine($"session: no confirmation within {timeoutS} s; the message stays queued in {o.DataDirectory}");
        return ExitCodes.TimedOut;
    }

    internal static int Listen(CommonOptions o)
    {
        if (o.ShowHelp(ListenHelp)) return ExitCodes.Ok;
        IdentityCommands.ExpectArguments(o, 1);
        bool json = o.Flag("--json");
        int count = o.Number("--count", 0);
        int timeoutS = o.Number("--timeout", 0);
        using SessionClient client = SessionClient.Open(o.ClientOptions());
        // Ctrl-C / SIGTERM: wake the Wait below and leave the loop so Dispose acknowledges what was printed.
        using var stop = new CancellationTokenSource();
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; Stop(stop, client); });
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; Stop(stop, client); });
        client.Start();
        var clock = Stopwatch.StartNew();
        int messages = 0;
        while (!stop.IsCancellationRequested)
        {
            if (timeoutS > 0 && clock.Elapsed >= TimeSpan.FromSeconds(timeoutS)) return count > 0 ? ExitCodes.TimedOut : ExitCodes.Ok;
            client.Wait(TimeSpan.FromMilliseconds(500));
            foreach (SessionEvent e in client.Poll(64))
            {
                Console.Out.WriteLine(json ? EventJson.Line(e) : EventJson.Human(e));
                if (e.Type == EventType.Message) messages++;
            }
            Console.Out.Flush();
            if (count > 0 && messages >= count) break;
        }
        client.ReleaseEvents();
        return ExitCodes.Ok;
    }

    private static void Stop(CancellationTokenSource stop, SessionClient client)
    {
        stop.Cancel();
        client.Interrupt();
    }

    internal static int Join(CommonOptions o)
    {
        if (o.ShowHelp(JoinHelp)) return ExitCodes.Ok;
        IdentityCommands.ExpectArguments(o, 2);
        using SessionClient client = SessionClient.Open(o.ClientOptions());
        Console.Out.WriteLine(client.JoinCommunity(o.Verb[1]));
        return ExitCodes.Ok;
    }
}
