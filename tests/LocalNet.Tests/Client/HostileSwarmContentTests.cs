using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using SessionInterop.Client;
using SessionInterop.Crypto;
using SessionInterop.LocalNet.Tests.Support;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;
using SessionInterop.State;

namespace SessionInterop.LocalNet.Tests.Client;

/// <summary>
/// Namespace 0 accepts unsigned stores from anyone, so a stranger can put anything into a
/// recipient's inbox. Whatever it is, the client drops it with a WARN and no event, and the valid
/// messages stored around it are delivered exactly once (issue 13).
/// </summary>
[NonParallelizable]
internal sealed class HostileSwarmContentTests : LocalNetFixture
{
    private readonly List<string> _dirs = [];

    protected override LocalNetOptions Options() => new() { Nodes = 12, SwarmSize = 3 };

    [TearDown]
    public void RemoveDirectories()
    {
        SqliteConnection.ClearAllPools();
        foreach (string d in _dirs) Directory.Delete(d, recursive: true);
        _dirs.Clear();
    }

    [Test]
    public async Task Hostile_items_in_namespace_0_are_dropped_with_a_warning_and_the_valid_ones_around_them_arrive_once()
    {
        var logs = new CapturingLogs();
        using SessionClient bob = NewClient(logs);
        using SessionClient alice = NewClient(null);
        using Identity carol = Identity.Generate();      // a real peer whose messages we store by hand
        using Identity mallory = Identity.Generate();    // the stranger
        SessionId bobId = SessionId.Parse(bob.SessionId);
        long t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        byte[] Valid(string text, long ts) => MessageCodec.EncodeForRecipientBytes(carol, bobId, Messages.Text(text), ts, deterministic: false);
        byte[] carol1 = Valid("carol 1", t0 - 5_000), carol2 = Valid("carol 2", t0 - 4_000);

        var hostile = new Dictionary<string, byte[]>
        {
            ["garbage"] = RandomBytes(3_000),
            ["truncated protobuf"] = carol2[..(carol2.Length / 2)],
            ["varint claiming 4 GiB"] = [0x08, 0x01, 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x0A, 0x00],
            ["deeply nested fields"] = Nested(depth: 4_000),
            ["nested Content in a valid box"] = Sealed(mallory, bobId, Nested(depth: 2_000)),
            ["wrong padding"] = Sealed(mallory, bobId, [.. Messages.Text("bad pad").ToByteArray(), 0x80, 0x01, 0xFF, 0xFF]),
            ["Content signed by someone other than the sender"] = ForgedSender(mallory, carol, bobId, Messages.Text("I am carol")),
            ["largest blob the network accepts"] = RandomBytes(MessageCodec.MaxStoredBase64Chars / 4 * 3),
        };

        alice.Start();
        bob.Start();
        alice.Send(bob.SessionId, "alice 1");
        await StoreAsync(bob.SessionId, carol1, t0);
        foreach (var (_, bytes) in hostile) await StoreAsync(bob.SessionId, bytes, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        // A replay: the same bytes stored again later get a new hash, so only the client's de-duplication stops them.
        await StoreAsync(bob.SessionId, carol1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1);
        await StoreAsync(bob.SessionId, carol2, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        alice.Send(bob.SessionId, "alice 2");

        // 10 MB cannot even be stored: the node answers 413 past 10 MiB of body and may close the
        // connection while the rest is still being sent (storage server limits).
        try
        {
            var (status, body, _) = await RpcAsync(SwarmNode(bob.SessionId), "store", StoreParams(bob.SessionId, RandomBytes(10_000_000), t0));
            Assert.That(status, Is.AnyOf(400, 413), $"a 10 MB store must be refused: {body}");
        }
        catch (HttpRequestException) { /* refused mid-upload */ }
        // Just over the message limit is refused too; the largest accepted blob is among the hostile items above.
        var (overStatus, overBody, _) = await RpcAsync(SwarmNode(bob.SessionId), "store",
            StoreParams(bob.SessionId, RandomBytes(MessageCodec.MaxStoredBase64Chars / 4 * 3 + 3), t0));
        Assert.That(overStatus, Is.EqualTo(400), $"one block over the limit must be refused: {overBody}");

        var expected = new[] { "alice 1", "carol 1", "carol 2", "alice 2" };
        var received = new List<SessionEvent>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (received.Count(e => e.Type == EventType.Message) < expected.Length
               || logs.Warnings("Dropped an undecodable message") < hostile.Count)
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out: {received.Count(e => e.Type == EventType.Message)} messages, {logs.Warnings("Dropped an undecodable message")} drops");
            bob.Wait(TimeSpan.FromMilliseconds(250));
            received.AddRange(bob.Poll(256));
        }
        Thread.Sleep(2_000); // a late duplicate or a late event for a hostile item would show now
        received.AddRange(bob.Poll(256));

        var messages = received.Where(e => e.Type == EventType.Message).ToList();
        Assert.That(messages.Select(e => Encoding.UTF8.GetString(e.Text)), Is.EquivalentTo(expected), "each valid message once, nothing else");
        Assert.That(messages.Where(e => Encoding.UTF8.GetString(e.Text).StartsWith("carol", StringComparison.Ordinal)).Select(e => e.Sender),
            Is.All.EqualTo(carol.SessionId.ToString()));
        Assert.That(logs.Warnings("Dropped an undecodable message"), Is.EqualTo(hostile.Count), "one WARN per hostile item");
        Assert.That(logs.Errors, Is.Empty, "no loop crashed");
        Assert.That(received.Where(e => e.Type == EventType.RequestDone).Select(e => e.RequestId), Is.Empty, "bob sent nothing");
    }

    // ------------------------------------------------------------------ hostile payloads

    /// <summary>
    /// A field nested <paramref name="depth"/> times: groups of an unknown field number, which a
    /// parser must descend into even to skip them (length-delimited fields are skipped whole).
    /// </summary>
    private static byte[] Nested(int depth)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        for (int i = 0; i < depth; i++) output.WriteTag(99, WireFormat.WireType.StartGroup);
        for (int i = 0; i < depth; i++) output.WriteTag(99, WireFormat.WireType.EndGroup);
        output.Flush();
        return stream.ToArray();
    }

    /// <summary>A well-formed envelope whose box (sealed by <paramref name="sender"/>) holds <paramref name="plaintext"/> unpadded.</summary>
    private static byte[] Sealed(Identity sender, SessionId recipient, byte[] plaintext) =>
        Envelope(SessionBox.Seal(sender, recipient.Key, plaintext));

    /// <summary>The box claims <paramref name="claimed"/>'s Ed25519 key but the signature is <paramref name="signer"/>'s.</summary>
    private static byte[] ForgedSender(Identity signer, Identity claimed, SessionId recipient, Content content)
    {
        byte[] m = Padding.Pad(content.ToByteArray());
        byte[] sig = new byte[64];
        Primitives.Sign(signer.Ed25519SecretKey, [.. m, .. claimed.Ed25519PublicKey, .. recipient.Key], sig);
        byte[] plain = [.. m, .. claimed.Ed25519PublicKey, .. sig];
        byte[] box = new byte[plain.Length + Primitives.SealOverhead];
        Primitives.Seal(plain, recipient.Key, box);
        return Envelope(box);
    }

    private static byte[] Envelope(byte[] box)
    {
        var envelope = new Envelope
        {
            Type = Protocol.Protos.Envelope.Types.Type.SessionMessage,
            Timestamp = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            SourceDevice = 1,
            Content = ByteString.CopyFrom(box),
        };
        return new WebSocketMessage
        {
            Type = WebSocketMessage.Types.Type.Request,
            Request = new WebSocketRequestMessage { Verb = "", Path = "", Body = envelope.ToByteString(), RequestId = 0 },
        }.ToByteArray();
    }

    private static byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        Random.Shared.NextBytes(b);
        return b;
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>An unsigned namespace-0 store, as any stranger may send it.</summary>
    private async Task StoreAsync(string account, byte[] data, long timestampMs)
    {
        var (status, body, _) = await RpcAsync(SwarmNode(account), "store", StoreParams(account, data, timestampMs));
        Assert.That(status, Is.EqualTo(200), $"store refused: {body}");
    }

    private static JsonObject StoreParams(string account, byte[] data, long timestampMs) => new()
    {
        ["pubkey"] = account,
        ["namespace"] = 0,
        ["timestamp"] = timestampMs,
        ["ttl"] = 3_600_000,
        ["data"] = Convert.ToBase64String(data),
    };

    private SessionClient NewClient(ILoggerFactory? logs)
    {
        string dir = Directory.CreateTempSubdirectory("session-hostile-").FullName;
        _dirs.Add(dir);
        return SessionClient.Open(new SessionClientOptions
        {
            DataDirectory = dir,
            SeedUrls = [Net.SeedUrl.ToString()],
            AcceptSelfSignedCertificates = true,
            MinPollInterval = TimeSpan.FromMilliseconds(100),
            MaxPollInterval = TimeSpan.FromMilliseconds(400),
            LoggerFactory = logs,
        });
    }
}
