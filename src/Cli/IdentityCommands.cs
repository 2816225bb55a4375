using SessionInterop.Client;

namespace SessionInterop.Cli;

/// <summary>`session id new|show|restore`: the identity stored in --data.</summary>
internal static class IdentityCommands
{
    private const string Help = """
        usage: session id new --data DIR
               session id show --data DIR [--phrase]
               session id restore --data DIR [WORDS...]     (no WORDS: the phrase is read from stdin)

        new      creates an identity in DIR (which must not hold one yet) and prints its Session ID
        show     prints the Session ID in DIR; with --phrase also its recovery phrase (a secret!)
        restore  stores the identity of a recovery phrase in DIR and prints its Session ID
        exit codes: 0 ok, 1 error (e.g. DIR holds another identity), 2 usage, 5 no identity in DIR
        """;

    internal static int Run(CommonOptions o)
    {
        if (o.ShowHelp(Help)) return ExitCodes.Ok;
        string sub = o.Verb.Count > 1 ? o.Verb[1] : throw new UsageException("id needs new, show or restore");
        return sub switch
        {
            "new" => New(o),
            "show" => Show(o),
            "restore" => Restore(o),
            _ => throw new UsageException($"unknown id verb '{sub}'"),
        };
    }

    private static int New(CommonOptions o)
    {
        ExpectArguments(o, 2);
        if (o.HasIdentity())
        {
            Console.Error.WriteLine($"session: {o.DataDirectory} already holds an identity (see `session id show`)");
            return ExitCodes.Error;
        }
        using SessionClient client = SessionClient.Open(o.ClientOptions());
        Console.Out.WriteLine(client.SessionId);
        return ExitCodes.Ok;
    }

    private static int Show(CommonOptions o)
    {
        ExpectArguments(o, 2);
        if (!o.HasIdentity()) return NoIdentity(o);
        using SessionClient client = SessionClient.Open(o.ClientOptions());
        Console.Out.WriteLine(client.SessionId);
        if (o.Flag("--phrase")) Console.Out.WriteLine(client.RecoveryPhrase());
        return ExitCodes.Ok;
    }

    private static int Restore(CommonOptions o)
    {
        string phrase = o.Verb.Count > 2 ? string.Join(' ', o.Verb.Skip(2)) : Console.In.ReadToEnd();
        phrase = string.Join(' ', phrase.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (phrase.Length == 0) throw new UsageException("restore needs the recovery phrase (arguments or stdin)");
        SessionClientOptions options = o.ClientOptions();
        options.RecoveryPhrase = phrase;
        using SessionClient client = SessionClient.Open(options);
        Console.Out.WriteLine(client.SessionId);
        return ExitCodes.Ok;
    }

    internal static int NoIdentity(CommonOptions o)
    {
        Console.Error.WriteLine($"session: {o.DataDirectory} holds no identity (create one with `session id new`)");
        return ExitCodes.NoIdentity;
    }

    internal static void ExpectArguments(CommonOptions o, int count)
    {
        if (o.Verb.Count != count) throw new UsageException($"'{string.Join(' ', o.Verb.Take(count))}' takes {count - 1} word(s), got {o.Verb.Count - 1}");
    }
}
