using System.Text;
using System.Text.Json;
using Google.Protobuf;
using SessionInterop.Client;
using SessionInterop.Crypto;
using SessionInterop.Protocol;

namespace SessionInterop.Cli;

/// <summary>`session decode`: decrypts one stored message addressed to --data's identity and prints its fields.</summary>
internal static class DecodeCommand
{
    private const string Help = """
        usage: session decode --data DIR [DATA]

        DATA is a message as a swarm stores it (the base64 `data` field of a retrieve result; read from
        stdin when absent), addressed to the identity in DIR. Prints one JSON object: sender,
        timestamp_ms, kind, text, sync_target, and the whole decrypted Content as protobuf JSON.
        For debugging: nothing is stored or acknowledged.
        exit codes: 0 ok, 1 cannot decode (not for this identity, corrupt, ...), 2 usage, 5 no identity in DIR
        """;

    internal static int Run(CommonOptions o)
    {
        if (o.ShowHelp(Help)) return ExitCodes.Ok;
        if (o.Verb.Count > 2) throw new UsageException("decode takes at most one DATA argument");
        if (!o.HasIdentity()) return IdentityCommands.NoIdentity(o);
        string data = (o.Verb.Count == 2 ? o.Verb[1] : Console.In.ReadToEnd()).Trim();
        if (data.Length == 0) throw new UsageException("decode needs DATA (argument or stdin)");

        string phrase;
        using (SessionClient client = SessionClient.Open(o.ClientOptions())) phrase = client.RecoveryPhrase();
        using Identity me = Identity.FromRecoveryPhrase(phrase);
        DecodedMessage message = MessageCodec.Decode(me, data);

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("sender", message.Sender.ToString());
            w.WriteNumber("timestamp_ms", message.TimestampMs);
            w.WriteString("kind", message.Kind.ToString());
            w.WriteString("text", message.Content.DataMessage?.Body ?? "");
            if (message.SyncTarget is { } target) w.WriteString("sync_target", target.ToString());
            w.WritePropertyName("content");
            w.WriteRawValue(JsonFormatter.Default.Format(message.Content));
            w.WriteEndObject();
        }
        Console.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
        return ExitCodes.Ok;
    }
}
