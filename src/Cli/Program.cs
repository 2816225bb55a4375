using SessionInterop;
using SessionInterop.Cli;

// session — create an identity, send, listen, join a community, decode a stored message.
// Exit codes are documented in ExitCodes (and `session --help`).
return Cli.Run(args);

namespace SessionInterop.Cli
{
    internal static class Cli
    {
        internal const string Usage = """
            usage: session [--data DIR] [--seed-url URL] VERB [ARGS]

            verbs:
              id new                  create an identity in --data; prints its Session ID
              id show [--phrase]      print the Session ID (and recovery phrase) stored in --data
              id restore [WORDS...]   restore an identity from its recovery phrase (args or stdin)
              send TO TEXT            send TEXT to a Session ID or joined community URL; exits once stored
              listen [--json]         print events as they arrive (--count N, --timeout SECS to stop)
              join URL                join a community room (http(s)://host/room?public_key=HEX)
              decode [DATA]           decode a stored message (base64 `data` of a swarm, arg or stdin)

            options (every verb):
              --data DIR        where the identity and its state live (default: $SESSION_DATA)
              --seed-url URL    seed node URL (default: $SESSION_SEED_URL, else mainnet)
              -h, --help        help for the verb

            exit codes:
              0 ok   1 error   2 usage   3 not delivered   4 timed out   5 no identity in --data
            """;

        internal static int Run(string[] args)
        {
            CommonOptions options;
            try
            {
                options = CommonOptions.Parse(args);
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine($"session: {e.Message}");
                Console.Error.WriteLine("try `session --help`");
                return ExitCodes.Usage;
            }
            if (options.Verb.Count == 0)
            {
                (options.Help ? Console.Out : Console.Error).WriteLine(Usage);
                return options.Help ? ExitCodes.Ok : ExitCodes.Usage;
            }
            try
            {
                return options.Verb[0] switch
                {
                    "id" => IdentityCommands.Run(options),
                    "send" => MessagingCommands.Send(options),
                    "listen" => MessagingCommands.Listen(options),
                    "join" => MessagingCommands.Join(options),
                    "decode" => DecodeCommand.Run(options),
                    string other => throw new UsageException($"unknown verb '{other}'"),
                };
            }
            catch (UsageException e)
            {
                Console.Error.WriteLine($"session: {e.Message}");
                Console.Error.WriteLine($"try `session {options.Verb[0]} --help`");
                return ExitCodes.Usage;
            }
            catch (SessionException e)
            {
                Console.Error.WriteLine($"session: {e.Status} ({e.Code}): {e.Message}");
                return ExitCodes.Error;
            }
        }
    }
}
