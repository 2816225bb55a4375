using System.Text;
using Google.Protobuf;
using SessionInterop.Crypto;
using SessionInterop.Crypto.Onion;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Fuzz;

/// <summary>
/// Valid inputs for each target, made with the library's own encoders, so the fuzzer starts from
/// the shapes real peers, nodes and servers send. Written once into tests/fuzz/corpus/ and committed.
/// </summary>
internal static class Seeds
{
    private const long SentMs = 1_700_000_000_000;

    public static void Write(string root)
    {
        var seeds = new Dictionary<string, List<byte[]>>();
        void Add(string target, byte[] bytes) => (seeds.TryGetValue(target, out var l) ? l : seeds[target] = []).Add(bytes);
        void AddText(string target, string text) => Add(target, Encoding.UTF8.GetBytes(text));

        Content text = Messages.Text("hello fuzz", "Fuzzer");
        byte[] padded = Padding.Pad(OutgoingContent.Serialize(text, SentMs, MessageCodec.MaxStoredBytes));
        Content sync = text.Clone();
        sync.DataMessage.SyncTarget = Keys.Peer.SessionId.ToString();
        byte[] paddedSync = Padding.Pad(OutgoingContent.Serialize(sync, SentMs, MessageCodec.MaxStoredBytes));

        byte[] wire = MessageCodec.EncodeForRecipientBytes(Keys.Peer, Keys.Me.SessionId, text, SentMs, deterministic: true);
        Add("websocket", wire);
        AddText("websocket", Convert.ToBase64String(wire));
        Add("websocket", Envelope.Parser.ParseFrom(WebSocketMessage.Parser.ParseFrom(wire).Request.Body).ToByteArray());

        Add("sealed-message", [0, .. padded]);
        Add("sealed-message", [1, .. paddedSync]);
        Add("sealed-message", [0, .. Padding.PadLegacy(OutgoingContent.Serialize(text, SentMs, MessageCodec.MaxStoredBytes))]);

        Add("content", padded);
        Add("content", paddedSync);
        Add("content", new Content { TypingMessage = new TypingMessage { Timestamp = 1, Action = TypingMessage.Types.Action.Started } }.ToByteArray());

        Add("sessionbox", SessionBox.SealDeterministic(Keys.Peer, Keys.Me.X25519PublicKey, padded));

        var me15 = Keys.Me.Blinded15(Keys.ServerPk).Id;
        Add("blinded-dm", [0, .. Encoding.ASCII.GetBytes(CommunityMessages.EncodeInbox(Keys.Peer, Keys.ServerPk, me15, text, SentMs))]);
        for (byte mode = 1; mode < 4; mode++) Add("blinded-dm", [mode, .. padded]);

        CommunityPost post = CommunityMessages.EncodePost(Keys.Peer, Keys.ServerPk, text, SentMs);
        Add("community-post", [0, .. Encoding.ASCII.GetBytes(post.Data), 0, .. Encoding.ASCII.GetBytes(post.Signature)]);
        Add("community-post", [1, .. padded]);
        Add("community-post", [3, .. padded]);

        byte[] snodeReply = Encoding.UTF8.GetBytes("{\"status\":200,\"body\":\"{\\\"messages\\\":[],\\\"more\\\":false,\\\"t\\\":1700000000000}\"}");
        byte[] v4Reply = [.. Encoding.ASCII.GetBytes("l"), .. BString("{\"code\":200,\"headers\":{\"content-type\":\"application/json\"}}"), .. BString("{\"id\":1}"), (byte)'e'];
        for (byte mode = 0; mode < 8; mode++)
        {
            Add("onion-reply", [mode, .. snodeReply]);
            Add("onion-reply", [mode, .. v4Reply]);
        }
        Add("onion-reply", [2, .. Encoding.UTF8.GetBytes("{\"status_code\":421,\"body\":{\"snodes\":[]}}")]);

        string node(int i) => $"{{\"public_ip\":\"127.0.0.{i}\",\"storage_port\":{20000 + i},\"pubkey_ed25519\":\"{Convert.ToHexStringLower(Keys.Peer.Ed25519PublicKey)}\",\"pubkey_x25519\":\"{Convert.ToHexStringLower(Keys.Peer.X25519PublicKey)}\",\"swarm_id\":{i}}}";
        AddText("storage-json", $"{{\"id\":\"1\",\"jsonrpc\":\"2.0\",\"result\":{{\"service_node_states\":[{node(1)},{node(2)}],\"status\":\"OK\"}}}}");
        AddText("storage-json", $"{{\"snodes\":[{{\"ip\":\"127.0.0.3\",\"port_https\":22000,\"pubkey_ed25519\":\"{Convert.ToHexStringLower(Keys.Me.Ed25519PublicKey)}\"}}],\"swarm\":\"ff\",\"t\":1700000000000}}");
        AddText("storage-json", "{\"messages\":[{\"hash\":\"abc\",\"data\":\"AAAA\",\"expiration\":1700000000000,\"timestamp\":1699990000000}],\"more\":true,\"t\":1700000000000}");
        AddText("storage-json", $"{{\"hash\":\"abc\",\"swarm\":{{\"{Convert.ToHexStringLower(Keys.Peer.Ed25519PublicKey)}\":{{\"hash\":\"abc\",\"signature\":\"{Convert.ToBase64String(new byte[64])}\",\"expiry\":1}}}},\"hf\":[19,3],\"t\":1}}");
        AddText("storage-json", "{\"swarm\":{\"aa\":{\"deleted\":[\"h1\",\"h2\"]},\"bb\":{\"failed\":true}},\"t\":1}");
        AddText("storage-json", "{\"results\":[{\"code\":200,\"body\":{\"messages\":[]}},{\"code\":421,\"body\":\"text\"}]}");
        AddText("storage-json", "{\"timestamp\":1700000000000,\"version\":[2,10,0]}");

        string inboxItem = $"{{\"id\":7,\"posted_at\":1700000000.5,\"expires_at\":1800000000,\"sender\":\"{Keys.Peer.Blinded15(Keys.ServerPk).Id}\",\"recipient\":\"{me15}\",\"message\":\"{CommunityMessages.EncodeInbox(Keys.Peer, Keys.ServerPk, me15, text, SentMs)}\"}}";
        string postItem = $"{{\"id\":3,\"seqno\":9,\"session_id\":\"{Keys.Peer.Blinded15(Keys.ServerPk).Id}\",\"posted\":1700000000.25,\"data\":\"{post.Data}\",\"signature\":\"{post.Signature}\",\"reactions\":{{}}}}";
        const string pollInfo = "{\"code\":200,\"headers\":{},\"body\":{\"token\":\"lobby\",\"active_users\":3,\"read\":true,\"write\":true,\"upload\":true}}";
        AddText("sogs-batch", $"[{{\"code\":200,\"body\":{{\"capabilities\":[\"sogs\",\"blind\"]}}}},{pollInfo},{{\"code\":200,\"body\":[{postItem},{{\"id\":4,\"seqno\":10,\"deleted\":true}},{{\"id\":3,\"seqno\":11,\"reactions\":{{\"x\":{{\"count\":1}}}}}}]}},{pollInfo},{{\"code\":200,\"body\":[]}},{{\"code\":200,\"body\":[{inboxItem}]}}]");
        AddText("sogs-batch", $"[{{\"code\":200,\"body\":{{}}}},{pollInfo},{{\"code\":404,\"body\":null}},{pollInfo},{{\"code\":200,\"body\":[{postItem}]}},{{\"code\":304,\"body\":null}}]");

        AddText("ids-urls", Keys.Me.SessionId.ToString());
        AddText("ids-urls", me15.ToString());
        AddText("ids-urls", Keys.GroupId.ToString());
        AddText("ids-urls", $"https://open.example.org/lobby?public_key={Keys.ServerPkHex}");
        AddText("ids-urls", $"http://127.0.0.1:8080/inbox/{me15}?public_key={Keys.ServerPkHex}");

        byte[] envelope = new Envelope { Type = Envelope.Types.Type.ClosedGroupMessage, SourceDevice = 1, Timestamp = (ulong)SentMs, Content = ByteString.CopyFrom(text.ToByteArray()) }.ToByteArray();
        byte[] compressed = Zstd.TryCompress([.. envelope, .. envelope, .. envelope]) ?? throw new InvalidOperationException("libzstd is needed to write the seeds");
        Add("zstd", compressed);
        Add("zstd", Zstd.TryCompress([]) ?? []);
        Add("group", [0, .. GroupMessages.Encrypt(Keys.Peer, Keys.GroupId, Keys.SymmetricKey, text, SentMs, new byte[24], compress: true)]);
        Add("group", [1, .. new Bencode.DictWriter().Int("", 1).Bytes("a", Keys.Peer.Ed25519PublicKey).Bytes("d", envelope).Bytes("s", new byte[64]).Finish()]);
        Add("group", [2, .. envelope]);
        Add("group", [3, .. Zstd.TryCompress(envelope)!]);

        Add("bencode", new Bencode.DictWriter().Int("", 1).Bytes("a", new byte[32]).Bytes("d", envelope).Int("n", -5).Finish());
        Add("bencode", v4Reply);

        var groupKeys = new Config.Groups.GroupKeys(Keys.ServerIdentity.Ed25519PublicKey, Keys.ServerIdentity, Keys.Peer);
        byte[] keyMessage = groupKeys.Rekey([Keys.Me.SessionId, Keys.Peer.SessionId]);
        Add("group-keys", [0, .. keyMessage]);
        Add("group-keys", [1, .. keyMessage]);
        Add("group-keys", [2, .. keyMessage[..^(3 + 3 + 64 + 1)]]);
        groupKeys.Load("k", keyMessage, SentMs);
        byte[] supplement = groupKeys.Supplement([Keys.Me.SessionId]);
        Add("group-keys", [0, .. supplement]);
        Add("group-keys", [2, .. supplement[..^(3 + 3 + 64 + 1)]]);
        Add("group-keys", [3, .. Crypto.Groups.KickedNotice.Build(Keys.ServerIdentity, [Keys.Me.SessionId], 1)]);

        foreach (var (target, inputs) in seeds)
        {
            string dir = Path.Combine(root, target);
            Directory.CreateDirectory(dir);
            for (int i = 0; i < inputs.Count; i++)
                File.WriteAllBytes(Path.Combine(dir, $"seed-{i:D2}"), inputs[i]);
        }
        foreach (Target t in Targets.All)
            if (!seeds.ContainsKey(t.Name)) throw new InvalidOperationException($"no seeds for {t.Name}");
    }

    private static byte[] BString(string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        return [.. Encoding.ASCII.GetBytes($"{bytes.Length}:"), .. bytes];
    }
}
