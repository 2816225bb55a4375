using Google.Protobuf;
using SessionInterop.Crypto;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Protocol;

/// <summary>
/// Groups v2 message format (§9.2) as pure functions: Envelope(type 7, plain Content) → optional
/// zstd → bencoded {"": 1, a, d|z, s} signed over D ‖ group Ed25519 key → zero-padded so that
/// the wire is a multiple of 256 → nonce ‖ XChaCha20-Poly1305 under the group key.
/// Key management (namespace 12) is not here.
/// </summary>
internal static class GroupMessages
{
    private const int Block = 256;
    private const int NonceBytes = Primitives.AeadNonceBytes;
    /// <summary>libsession's MAX_PLAINTEXT_MESSAGE_SIZE (also the decompression cap).</summary>
    public const int MaxPlaintextBytes = 1_000_000;

    public static byte[] Encrypt(Identity sender, SessionId groupId, ReadOnlySpan<byte> groupKey, Content content, long timestampMs)
    {
        Span<byte> nonce = stackalloc byte[NonceBytes];
        Primitives.RandomBytes(nonce);
        return Encrypt(sender, groupId, groupKey, content, timestampMs, nonce, compress: true);
    }

    /// <summary>With a caller-chosen nonce and compression switch (reproducible tests only).</summary>
    internal static byte[] Encrypt(Identity sender, SessionId groupId, ReadOnlySpan<byte> groupKey, Content content, long timestampMs,
        ReadOnlySpan<byte> nonce, bool compress)
    {
        groupId.Require(SessionIdPrefix.Group);
        if (groupKey.Length != Primitives.AeadKeyBytes)
            throw Errors.InvalidArgument("group.bad_key", "a group key has 32 bytes");
        byte[] contentBytes = OutgoingContent.Serialize(content, timestampMs, MessageCodec.MaxStoredBytes);
        byte[] envelope = new Envelope
        {
            Type = Envelope.Types.Type.ClosedGroupMessage,
            SourceDevice = 1,
            Timestamp = (ulong)timestampMs,
            Content = ByteString.CopyFrom(contentBytes),
        }.ToByteArray();
        if (envelope.Length > MessageCodec.MaxStoredBytes) throw ProtocolErrors.TooLarge(envelope.Length, MessageCodec.MaxStoredBytes);

        byte[] wire = EncryptPayload(sender, groupId.Key, groupKey, envelope, nonce, compress);
        if (wire.Length > MessageCodec.MaxStoredBytes) throw ProtocolErrors.TooLarge(wire.Length, MessageCodec.MaxStoredBytes);
        return wire;
    }

    /// <summary>
    /// encrypt_for_group on raw bytes: optional zstd (kept only when shorter), the signed bencoded
    /// dict, zero padding to a multiple of 256 of the whole wire, nonce ‖ AEAD.
    /// </summary>
    internal static byte[] EncryptPayload(Identity sender, ReadOnlySpan<byte> groupPk, ReadOnlySpan<byte> groupKey, byte[] payload,
        ReadOnlySpan<byte> nonce, bool compress)
    {
        if (groupKey.Length != Primitives.AeadKeyBytes)
            throw Errors.InvalidArgument("group.bad_key", "a group key has 32 bytes");
        if (payload.Length > MaxPlaintextBytes) throw ProtocolErrors.TooLarge(payload.Length, MaxPlaintextBytes);
        byte[]? compressed = compress ? Zstd.TryCompress(payload) : null;
        bool useCompressed = compressed is not null && compressed.Length < payload.Length;
        byte[] data = useCompressed ? compressed! : payload;

        byte[] sig = new byte[64];
        Primitives.Sign(sender.Ed25519SecretKey, [.. data, .. groupPk], sig);
        var dict = new Bencode.DictWriter().Int("", 1).Bytes("a", sender.Ed25519PublicKey);
        dict = useCompressed ? dict.Bytes("s", sig).Bytes("z", data) : dict.Bytes("d", data).Bytes("s", sig);
        byte[] plain = dict.Finish();

        int overhead = NonceBytes + Primitives.AeadTagBytes;
        int padded = (plain.Length + overhead + Block - 1) / Block * Block - overhead;
        byte[] paddedPlain = new byte[padded];
        plain.CopyTo(paddedPlain, 0);

        var wire = new byte[NonceBytes + padded + Primitives.AeadTagBytes];
        nonce.CopyTo(wire);
        Primitives.AeadEncrypt(paddedPlain, nonce, groupKey, wire.AsSpan(NonceBytes));
        return wire;
    }

    /// <summary>Decrypts with whichever of <paramref name="groupKeys"/> works (all generations are kept).</summary>
    public static DecodedMessage Decrypt(IEnumerable<byte[]> groupKeys, SessionId groupId, ReadOnlySpan<byte> wire)
    {
        groupId.Require(SessionIdPrefix.Group);
        if (wire.Length > MessageCodec.MaxStoredBytes) throw ProtocolErrors.TooLarge(wire.Length, MessageCodec.MaxStoredBytes);
        (SessionId sender, byte[] envelopeBytes) = DecryptPayload(groupKeys, groupId.Key, wire);
        Envelope envelope = MessageCodec.ParseEnvelope(envelopeBytes);
        Content content = ProtoIO.Parse(Content.Parser, envelope.Content.Span, "Content", RequiredFields.Check);
        return new DecodedMessage(sender, content, (long)envelope.Timestamp);
    }

    /// <summary>decrypt_group_message on raw bytes: the sender's Session ID and the (decompressed) payload.</summary>
    internal static (SessionId Sender, byte[] Payload) DecryptPayload(IEnumerable<byte[]> groupKeys, ReadOnlySpan<byte> groupPk, ReadOnlySpan<byte> wire)
    {
        if (wire.Length < NonceBytes + Primitives.AeadTagBytes)
            throw Errors.Crypto("crypto.ciphertext_too_short", "group message is too short");
        byte[] plain = new byte[wire.Length - NonceBytes - Primitives.AeadTagBytes];
        bool opened = false;
        foreach (byte[] key in groupKeys)
        {
            if (key.Length == Primitives.AeadKeyBytes && Primitives.AeadDecrypt(wire[NonceBytes..], wire[..NonceBytes], key, plain))
            {
                opened = true;
                break;
            }
        }
        if (!opened) throw Errors.Crypto("crypto.decrypt_failed", "no known group key decrypts this message");

        int end = plain.AsSpan().LastIndexOfAnyExcept((byte)0) + 1;
        var dict = Bencode.ParseDict(plain.AsMemory(0, end));
        if (!dict.TryGetValue("", out var version) || version.Int != 1)
            throw Errors.Unsupported("group.unknown_version", "unknown group message version");
        if (!dict.TryGetValue("a", out var a) || a.Bytes is not { Length: 32 } senderEd)
            throw ProtocolErrors.Malformed("group message sender key");
        if (!dict.TryGetValue("s", out var s) || s.Bytes is not { Length: 64 } sig)
            throw ProtocolErrors.Malformed("group message signature");
        bool hasD = dict.TryGetValue("d", out var d) && d.Bytes is { Length: > 0 };
        bool hasZ = dict.TryGetValue("z", out var z) && z.Bytes is { Length: > 0 };
        if (hasD == hasZ) throw ProtocolErrors.Malformed("group message body (exactly one of d and z)");
        ReadOnlyMemory<byte> data = hasD ? d.Bytes!.Value : z.Bytes!.Value;

        if (!Primitives.Verify(sig.Span, [.. data.Span, .. groupPk], senderEd.Span))
            throw Errors.Crypto("crypto.bad_signature", "the group message signature is invalid");
        Span<byte> senderX = stackalloc byte[32];
        if (!Primitives.EdPkToX(senderEd.Span, senderX))
            throw Errors.Crypto("crypto.bad_sender_key", "the sender key is not a valid Ed25519 key");

        byte[] payload = hasZ ? Zstd.Decompress(data.Span, MaxPlaintextBytes) : data.ToArray();
        return (SessionId.FromKey(SessionIdPrefix.Standard, senderX), payload);
    }
}
