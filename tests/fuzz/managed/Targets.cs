using System.Text;
using Google.Protobuf;
using SessionInterop.Client;
using SessionInterop.Crypto;
using SessionInterop.Crypto.Onion;
using SessionInterop.Network.Client;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Fuzz;

/// <summary>
/// One fuzz target: a parser fed with attacker-controlled bytes. The contract every parser promises
/// its caller is "a SessionException, a null/false result, or a value" — so a target catches
/// SessionException and lets anything else escape, which SharpFuzz reports to AFL++ as a crash.
/// Targets whose caller catches more (the community poll loop) say so themselves.
/// </summary>
internal sealed record Target(string Name, string Covers, Action<byte[]> Body)
{
    public void Run(byte[] input)
    {
        try { Body(input); }
        catch (SessionException) { /* the documented way to reject bad input */ }
    }
}

internal static class Targets
{
    /// <summary>The fixed Envelope timestamp the sealed targets use.</summary>
    private const long SentMs = 1_700_000_000_000;

    public static readonly IReadOnlyList<Target> All =
    [
        new("websocket", "WebSocketMessage → Envelope decoding of swarm data (raw bytes, base64 text)", WebSocket),
        new("sealed-message", "1:1 chain behind a valid sealed box: unpadding, Content, syncTarget, timestamp checks", SealedMessage),
        new("content", "Padding.Unpad + Content protobuf + required fields + text extraction", ContentBytes),
        new("sessionbox", "SessionBox.Open on raw ciphertext", data => SessionBox.Open(Keys.Me, data)),
        new("blinded-dm", "community inbox items: BlindedBox.Decrypt (15/25, incoming/outgoing) then Content", BlindedDm),
        new("community-post", "room posts: base64, blinded/05 signature, Content, timestamp skew", CommunityPost),
        new("onion-reply", "onion replies (AES-GCM and XChaCha20): snode {status,body} and server v4 bencode", OnionReply),
        new("storage-json", "storage RPC JSON replies, seed replies and node records", StorageJson),
        new("sogs-batch", "the client's SOGS /batch poll reply (capabilities, pollInfo, messages, inbox)", SogsBatch.Run),
        new("ids-urls", "Session IDs and community URLs (parse, canonical form round trip)", IdsAndUrls),
        new("zstd", "zstd frames (group payloads)", data => Zstd.Decompress(data)),
        new("group", "group v2 messages: AEAD, bencode dict, signature, zstd, Envelope, Content", Group),
        new("group-keys", "group key messages (full and supplemental, as member and admin), kicked notices", GroupKeysMessage),
        new("bencode", "bencode dict (groups) and v4 response lists", data =>
        {
            Bencode.ParseDict(data);
            V4Codec.DecodeResponse(data);
        }),
    ];

    public static Target? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    // ------------------------------------------------------------------ protocol

    private static void WebSocket(byte[] data)
    {
        MessageCodec.ParseEnvelope(data);
        MessageCodec.Decode(Keys.Me, data);
        MessageCodec.Decode(Keys.Me, Encoding.Latin1.GetString(data)); // the retrieve reply's base64 `data` text
    }

    /// <summary>First byte: sender (peer, or ourselves = a sync copy). The rest is the sealed plaintext.</summary>
    private static void SealedMessage(byte[] data)
    {
        if (data.Length == 0) return;
        Identity sender = (data[0] & 1) == 0 ? Keys.Peer : Keys.Me;
        byte[] sealedBox = SessionBox.SealDeterministic(sender, Keys.Me.X25519PublicKey, data.AsSpan(1));
        MessageCodec.Decode(Keys.Me, Wrap(sealedBox, SentMs));
    }

    internal static byte[] Wrap(byte[] sealedBox, long timestampMs)
    {
        var envelope = new Envelope
        {
            Type = Envelope.Types.Type.SessionMessage,
            Timestamp = (ulong)timestampMs,
            SourceDevice = 1,
            Content = ByteString.CopyFrom(sealedBox),
        };
        return new WebSocketMessage
        {
            Type = WebSocketMessage.Types.Type.Request,
            Request = new WebSocketRequestMessage { Verb = "", Path = "", Body = envelope.ToByteString(), RequestId = 0 },
        }.ToByteArray();
    }

    private static void ContentBytes(byte[] data)
    {
        Content content = ProtoIO.Parse(Content.Parser, Padding.Unpad(data), "Content", RequiredFields.Check);
        TextContent.TextOf(content);
        content.ToByteArray(); // re-serialising a parsed message must work too
    }

    /// <summary>
    /// Mode byte: 0 = raw key message for a member, 1 = for an admin, 2 = the rest signed by the group
    /// key (rest = the dict without "1:~64:sig" and its final 'e', so parsing runs past the signature
    /// check), 3 = a kicked notice (multi-recipient "simple" encoding).
    /// </summary>
    private static void GroupKeysMessage(byte[] data)
    {
        if (data.Length == 0) return;
        byte[] rest = data[1..];
        var keys = new Config.Groups.GroupKeys(Keys.ServerIdentity.Ed25519PublicKey, (data[0] & 3) == 1 ? Keys.ServerIdentity : null, Keys.Me);
        switch (data[0] & 3)
        {
            case 0 or 1:
                keys.Load("h", rest, SentMs);
                break;
            case 2:
                var sig = new byte[64];
                Primitives.Sign(Keys.ServerIdentity.Ed25519SecretKey, rest, sig);
                keys.Load("h", [.. rest, .. "1:~64:"u8, .. sig, (byte)'e'], SentMs);
                keys.Keys();
                break;
            default:
                Crypto.Groups.KickedNotice.RemovesMe(rest, Keys.Me, Keys.ServerIdentity.Ed25519PublicKey, 0);
                break;
        }
    }

    // ------------------------------------------------------------------ communities

    /// <summary>
    /// Mode byte: bit 0-1 = raw base64 text / encrypted incoming 15 / incoming 25 / our outgoing copy.
    /// </summary>
    private static void BlindedDm(byte[] data)
    {
        if (data.Length == 0) return;
        byte[] rest = data[1..];
        var me15 = Keys.Me.Blinded15(Keys.ServerPk).Id;
        var peer15 = Keys.Peer.Blinded15(Keys.ServerPk).Id;
        switch (data[0] & 3)
        {
            case 0:
                CommunityMessages.DecodeInbox(Keys.Me, Keys.ServerPk, Encoding.Latin1.GetString(rest), peer15, me15);
                break;
            case 1:
                CommunityMessages.DecodeInbox(Keys.Me, Keys.ServerPk,
                    Convert.ToBase64String(BlindedBox.Encrypt(Keys.Peer, Keys.ServerPk, me15, rest)), peer15, me15);
                break;
            case 2:
                var me25 = Keys.Me.Blinded25(Keys.ServerPk).Id;
                var peer25 = Keys.Peer.Blinded25(Keys.ServerPk).Id;
                CommunityMessages.DecodeInbox(Keys.Me, Keys.ServerPk,
                    Convert.ToBase64String(BlindedBox.Encrypt(Keys.Peer, Keys.ServerPk, me25, rest)), peer25, me25);
                break;
            default:
                CommunityMessages.DecodeInbox(Keys.Me, Keys.ServerPk,
                    Convert.ToBase64String(BlindedBox.Encrypt(Keys.Me, Keys.ServerPk, peer15, rest)), me15, peer15);
                break;
        }
    }

    /// <summary>Mode byte: 0 = "data\0signature" texts as sent; 1 = rest signed by a 15 author; 2 = posted time from the input.</summary>
    private static void CommunityPost(byte[] data)
    {
        if (data.Length == 0) return;
        byte[] rest = data[1..];
        var author = Keys.Peer.Blinded15(Keys.ServerPk).Id;
        if ((data[0] & 1) == 0)
        {
            int zero = Array.IndexOf(rest, (byte)0);
            string text = Encoding.Latin1.GetString(rest);
            string dataText = zero < 0 ? text : text[..zero], sigText = zero < 0 ? "" : text[(zero + 1)..];
            CommunityMessages.DecodePost(dataText, sigText, author);
            return;
        }
        var signature = new byte[64];
        Blinding.Sign15(Keys.Peer, Keys.ServerPk, rest, signature);
        double? posted = (data[0] & 2) == 0 ? null : BitConverter.ToDouble(Pad8(rest));
        CommunityMessages.DecodePost(Convert.ToBase64String(rest), Convert.ToBase64String(signature), author, posted);
    }

    private static byte[] Pad8(byte[] bytes)
    {
        var eight = new byte[8];
        bytes.AsSpan(0, Math.Min(8, bytes.Length)).CopyTo(eight);
        return eight;
    }

    // ------------------------------------------------------------------ network

    private static readonly ServiceNode Guard = new("127.0.0.1", 443, new string('a', 64), new string('b', 64));

    /// <summary>
    /// Mode byte: bit 0 = cipher; bits 1-2 = the HTTP body is the raw input / the input sealed with
    /// the response key / that as base64 text / that inside the legacy {"result": "…"}.
    /// </summary>
    private static void OnionReply(byte[] data)
    {
        if (data.Length == 0) return;
        OnionCipher cipher = (data[0] & 1) == 0 ? OnionCipher.AesGcm : OnionCipher.XChaCha20;
        var request = new OnionRequest([], cipher, Keys.SymmetricKey, Guard);
        byte[] rest = data[1..];
        byte[] body = ((data[0] >> 1) & 3) switch
        {
            0 => rest,
            1 => Seal(cipher, rest),
            2 => Encoding.ASCII.GetBytes(Convert.ToBase64String(Seal(cipher, rest))),
            _ => Encoding.ASCII.GetBytes($"{{\"result\":\"{Convert.ToBase64String(Seal(cipher, rest))}\"}}"),
        };
        OnionResponseReader.ReadSnodeReply(request, body);
        OnionResponseReader.ReadServerReply(request, body);
    }

    private static readonly byte[] FixedNonce = new byte[24];

    private static byte[] Seal(OnionCipher cipher, byte[] plain) =>
        OnionLayerCipher.Encrypt(cipher, Keys.SymmetricKey, plain, FixedNonce.AsSpan(0, OnionLayerCipher.NonceSize(cipher)));

    private static void StorageJson(byte[] data)
    {
        string body = Encoding.UTF8.GetString(data);
        StorageResponseParser.ParseRetrieve(body);
        StorageResponseParser.ParseStore(body);
        StorageResponseParser.ParseDelete(body);
        StorageResponseParser.ParseSwarm(body);
        StorageResponseParser.ParseBatch(body);
        StorageResponseParser.ParseServerTime(body);
        StorageResponseParser.ParseServiceNodeStates(body);
    }

    /// <summary>Parsing must accept exactly the canonical forms: what parses prints back to itself.</summary>
    private static void IdsAndUrls(byte[] data)
    {
        string text = Encoding.UTF8.GetString(data);
        if (SessionId.TryParse(text, out SessionId id))
        {
            if (SessionId.Parse(id.ToString()) != id) throw new InvalidOperationException("Session ID round trip changed the id");
            id.ToShortString();
        }
        if (!CommunityAddress.LooksLikeUrl(text)) return;
        CommunityAddress address = CommunityAddress.Parse(text);
        if (CommunityAddress.Parse(address.ToString()) != address)
            throw new InvalidOperationException("community URL round trip changed the address");
        _ = address.ServerPublicKey;
        _ = address.Target;
    }

    // ------------------------------------------------------------------ groups

    private static readonly byte[] GroupKey = Keys.SymmetricKey;

    /// <summary>
    /// Mode byte: 0 = raw wire; 1 = the input AEAD-sealed with the group key (bencode reached);
    /// 2 = a signed dict with d=input (Envelope reached); 3 = a signed dict with z=input (zstd reached).
    /// </summary>
    private static void Group(byte[] data)
    {
        if (data.Length == 0) return;
        byte[] rest = data[1..];
        byte[] plain = (data[0] & 3) switch
        {
            0 => [],
            1 => rest,
            2 => SignedGroupDict("d", rest),
            _ => SignedGroupDict("z", rest),
        };
        byte[] wire = (data[0] & 3) == 0 ? rest : SealGroup(plain);
        GroupMessages.Decrypt([GroupKey], Keys.GroupId, wire);
    }

    private static byte[] SignedGroupDict(string bodyKey, byte[] body)
    {
        byte[] sig = new byte[64];
        Primitives.Sign(Keys.Peer.Ed25519SecretKey, [.. body, .. Keys.GroupId.Key], sig);
        var dict = new Bencode.DictWriter().Int("", 1).Bytes("a", Keys.Peer.Ed25519PublicKey);
        dict = bodyKey == "d" ? dict.Bytes("d", body).Bytes("s", sig) : dict.Bytes("s", sig).Bytes("z", body);
        return dict.Finish();
    }

    private static byte[] SealGroup(byte[] plain)
    {
        var nonce = new byte[Primitives.AeadNonceBytes];
        var wire = new byte[nonce.Length + plain.Length + Primitives.AeadTagBytes];
        Primitives.AeadEncrypt(plain, nonce, GroupKey, wire.AsSpan(nonce.Length));
        return wire;
    }
}
