using System.Buffers;
using Google.Protobuf;
using SessionInterop.Crypto;
using SessionInterop.Protocol;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Config;

/// <summary>
/// The bytes a config becomes on the swarm and back (protocol-config.md §4.4–4.8): zstd when it
/// helps, zero padding, encryption, then either one message (protobuf-wrapped for user configs, as
/// the apps still send them) or several raw "m" parts when it exceeds one stored message.
/// </summary>
internal static class ConfigWire
{
    /// <summary>The storage server's limit on one stored message.</summary>
    public const int MaxMessageSize = 76_800;

    /// <summary>Largest whole config (compressed and padded) that may be split into parts.</summary>
    public const int MaxMultipartSize = 5_000_000;

    /// <summary>'m' + list framing + 32-byte hash + index + count + a 6-digit length prefix.</summary>
    private const int PartOverhead = 50;
    private const int MaxChunk = MaxMessageSize - PartOverhead - ConfigEncryption.Overhead;   // 76,710

    /// <summary>
    /// Everything needed to encrypt and wrap one config type: for user configs the account (its
    /// seed is the key base); for group configs (protocol-groups.md §4.3) the group keys instead,
    /// the first encrypting and all tried when opening, plus the group key's signer and verifier.
    /// </summary>
    public sealed record Keys(Identity? Account, string Domain, SharedConfigMessage.Types.Kind Kind, bool Wrap)
    {
        /// <summary>Group configs: the keys, encryption key first (pending or newest).</summary>
        public Func<IReadOnlyList<byte[]>>? GroupKeys { get; init; }

        /// <summary>Group configs: signs a serialization with the group key (null: read-only, not an admin).</summary>
        public Func<byte[], byte[]>? Signer { get; init; }

        /// <summary>Group configs: checks a received config's signature with the group's public key.</summary>
        public Func<byte[], byte[], bool>? Verifier { get; init; }

        /// <summary>A group config without the group key cannot be changed.</summary>
        public bool ReadOnly => GroupKeys is not null && Signer is null;

        public static Keys ForGroup(string domain, Func<IReadOnlyList<byte[]>> groupKeys, Func<byte[], byte[]>? signer, Func<byte[], byte[], bool> verifier) =>
            new(null, domain, default, Wrap: false) { GroupKeys = groupKeys, Signer = signer, Verifier = verifier };

        public byte[] Encrypt(ReadOnlySpan<byte> plaintext)
        {
            if (GroupKeys is null) return ConfigEncryption.Encrypt(plaintext, Account!.Seed, Domain);
            byte[] key = GroupKeys().FirstOrDefault() ?? throw Errors.WrongState("group.no_keys", "the group has no encryption key yet");
            return ConfigEncryption.Encrypt(plaintext, key, Domain);
        }

        /// <summary>The plaintext, or null when no key opens it.</summary>
        public byte[]? Decrypt(ReadOnlySpan<byte> ciphertext)
        {
            if (GroupKeys is null)
            {
                try { return ConfigEncryption.Decrypt(ciphertext, Account!.Seed, Domain); }
                catch (SessionException) { return null; }
            }
            foreach (byte[] key in GroupKeys())
            {
                try { return ConfigEncryption.Decrypt(ciphertext, key, Domain); }
                catch (SessionException) { }
            }
            return null;
        }
    }

    // ------------------------------------------------------------------ sending

    /// <summary>
    /// "z" + zstd level 1 when strictly shorter, else the input unchanged (§4.4). Without libzstd
    /// the config goes uncompressed, which every client reads.
    /// </summary>
    public static byte[] Compress(byte[] plain)
    {
        byte[]? z = Zstd.TryCompress(plain);
        if (z is null || z.Length + 1 >= plain.Length) return plain;
        var output = new byte[z.Length + 1];
        output[0] = (byte)'z';
        z.CopyTo(output, 1);
        return output;
    }

    /// <summary>The stored messages for a serialized config (§4.7).</summary>
    public static IReadOnlyList<byte[]> Encode(byte[] serialized, long seqno, Keys keys)
    {
        byte[] padded = ConfigEncryption.Pad(Compress(serialized));
        if (padded.Length > MaxMultipartSize)
            throw Errors.TooLarge("config.too_large", $"the config is {padded.Length} bytes after compression; the limit is {MaxMultipartSize}");
        if (padded.Length + ConfigEncryption.Overhead <= MaxMessageSize)
        {
            byte[] encrypted = keys.Encrypt(padded);
            if (keys.Wrap)
            {
                byte[] wrapped = Wrap(keys.Account!, encrypted, seqno, keys.Kind);
                if (wrapped.Length <= MaxMessageSize) return [wrapped];
            }
            return [encrypted];
        }
        return Split(padded, keys);
    }

    /// <summary>
    /// Multipart (§4.5): each part is "m" + [hash32, index, count, chunk] in a buffer of exactly
    /// chunk + 50 bytes (the unused tail stays zero, as libsession leaves it), encrypted on its own.
    /// </summary>
    private static List<byte[]> Split(byte[] padded, Keys keys)
    {
        byte[] finalHash = ConfigMessage.HashOf(padded);
        int count = (padded.Length + MaxChunk - 1) / MaxChunk;
        var parts = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> chunk = padded.AsSpan(i * MaxChunk, Math.Min(MaxChunk, padded.Length - i * MaxChunk));
            var w = new ArrayBufferWriter<byte>(chunk.Length + PartOverhead);
            Bt.WriteByte(w, (byte)'m');
            Bt.WriteByte(w, (byte)'l');
            Bt.WriteString(w, finalHash);
            Bt.WriteString(w, [(byte)i]);
            Bt.WriteString(w, [(byte)count]);
            Bt.WriteString(w, chunk);
            Bt.WriteByte(w, (byte)'e');
            var buffer = new byte[chunk.Length + PartOverhead];
            w.WrittenSpan.CopyTo(buffer);
            parts.Add(keys.Encrypt(buffer));
        }
        return parts;
    }

    /// <summary>
    /// The legacy wrapping (§4.6): SharedConfigMessage in Content, + 0x80, sealed to ourselves with
    /// the deterministic ephemeral key, in an Envelope (type 6, timestamp 1) in a WebSocketMessage.
    /// </summary>
    public static byte[] Wrap(Identity account, byte[] encrypted, long seqno, SharedConfigMessage.Types.Kind kind)
    {
        var content = new Content
        {
            SharedConfigMessage = new SharedConfigMessage { Kind = kind, Seqno = seqno, Data = ByteString.CopyFrom(encrypted) },
        };
        byte[] body = content.ToByteArray();
        var padded = new byte[body.Length + 1];
        body.CopyTo(padded, 0);
        padded[^1] = 0x80;
        byte[] sealedBox = SessionBox.SealDeterministic(account, account.X25519PublicKey, padded);
        var envelope = new Envelope { Type = Envelope.Types.Type.SessionMessage, Timestamp = 1, Content = ByteString.CopyFrom(sealedBox) };
        return new WebSocketMessage
        {
            Type = WebSocketMessage.Types.Type.Request,
            Request = new WebSocketRequestMessage { Verb = "", Path = "", Body = envelope.ToByteString(), RequestId = 0 },
        }.ToByteArray();
    }

    /// <summary>
    /// The config bytes inside a wrapped message, or null when <paramref name="data"/> is not one
    /// (then it is taken as raw). Only our own account may have wrapped it, for this config kind.
    /// </summary>
    public static byte[]? Unwrap(Identity account, ReadOnlySpan<byte> data, SharedConfigMessage.Types.Kind kind)
    {
        try
        {
            WebSocketMessage ws = WebSocketMessage.Parser.ParseFrom(data);
            if (ws.Type != WebSocketMessage.Types.Type.Request || ws.Request is not { HasBody: true }) return null;
            Envelope envelope = Envelope.Parser.ParseFrom(ws.Request.Body);
            if (!envelope.HasContent) return null;
            OpenedMessage opened = SessionBox.Open(account, envelope.Content.Span);
            if (!opened.SenderEd25519.AsSpan().SequenceEqual(account.Ed25519PublicKey)) return null;
            ReadOnlySpan<byte> m = opened.Message;
            int end = m.LastIndexOfAnyExcept((byte)0);
            if (end < 0 || m[end] != 0x80) return null;
            Content content = Content.Parser.ParseFrom(m[..end]);
            if (content.SharedConfigMessage is not { HasData: true } shared || shared.Kind != kind) return null;
            return shared.Data.ToByteArray();
        }
        catch (InvalidProtocolBufferException) { return null; }
        catch (SessionException) { return null; }
    }

    // ------------------------------------------------------------------ receiving

    /// <summary>One multipart piece, decrypted.</summary>
    public sealed record Part(byte[] FinalHash, int Index, int Count, byte[] Data);

    /// <summary>
    /// Decodes one stored message: a complete serialized config (byte[]), a <see cref="Part"/>, or
    /// null when it is not for us or not usable (dropped silently, §4.8).
    /// </summary>
    public static object? Open(ReadOnlySpan<byte> stored, Keys keys)
    {
        byte[] data = stored.ToArray();
        if (keys.Wrap && Unwrap(keys.Account!, data, keys.Kind) is { } inner)
            data = Unwrap(keys.Account!, inner, keys.Kind) ?? inner;   // an old release wrapped twice
        if (keys.Decrypt(data) is not { } plain) return null;
        ReadOnlySpan<byte> content = ConfigEncryption.Unpad(plain);
        if (content.IsEmpty) return null;
        return content[0] == 'm' ? ParsePart(content) : Finish(content);
    }

    /// <summary>Decompresses "z" content; a config must then start with 'd'. Null when unusable.</summary>
    public static byte[]? Finish(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty) return null;
        if (content[0] == 'z')
        {
            try { content = Zstd.Decompress(content[1..], MaxMultipartSize); }
            catch (SessionException) { return null; }
        }
        return !content.IsEmpty && content[0] == 'd' ? content.ToArray() : null;
    }

    private static Part? ParsePart(ReadOnlySpan<byte> content)
    {
        if (content.Length > MaxMessageSize) return null;
        try
        {
            // Bytes after the list's closing 'e' are the zero tail of the fixed-size buffer: ignored.
            if (Bt.DecodePrefix(content[1..], out _) is not BtList { Count: 4 } l
                || l[0] is not byte[] { Length: ConfigMessage.HashBytes } hash
                || l[1] is not byte[] { Length: 1 } index || l[2] is not byte[] { Length: 1 } count
                || l[3] is not byte[] { Length: > 0 } chunk
                || count[0] < 2 || index[0] >= count[0])
                return null;
            return new Part(hash, index[0], count[0], chunk);
        }
        catch (SessionException) { return null; }
    }

    /// <summary>Joins a complete set of parts (in index order) into a serialized config, or null if it does not check out.</summary>
    public static byte[]? Join(byte[] finalHash, IReadOnlyList<byte[]> chunks)
    {
        int total = chunks.Sum(c => c.Length);
        if (total > MaxMultipartSize) return null;
        var joined = new byte[total];
        int at = 0;
        foreach (byte[] c in chunks) { c.CopyTo(joined, at); at += c.Length; }
        if (!ConfigMessage.HashOf(joined).AsSpan().SequenceEqual(finalHash)) return null;
        return Finish(ConfigEncryption.Unpad(joined));
    }
}
