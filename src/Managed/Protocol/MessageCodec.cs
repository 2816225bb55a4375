using Google.Protobuf;
using SessionInterop.Crypto;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Protocol;

/// <summary>
/// The 1:1 swarm message chain (§6.1): Content → pad → seal → Envelope → WebSocketMessage → base64,
/// and back. The sender's identity comes only from the sealed box's verified signature.
/// </summary>
internal static class MessageCodec
{
    /// <summary>Storage-server limit on a stored message (MAX_MESSAGE_BODY, raw bytes).</summary>
    public const int MaxStoredBytes = 76_800;
    /// <summary>The same limit in base64 characters.</summary>
    public const int MaxStoredBase64Chars = MaxStoredBytes / 3 * 4;

    /// <summary>Encodes <paramref name="content"/> for a 05 recipient; returns the swarm `data` string.</summary>
    public static string EncodeForRecipient(Identity sender, SessionId recipient, Content content, long timestampMs) =>
        Convert.ToBase64String(EncodeForRecipientBytes(sender, recipient, content, timestampMs, deterministic: false));

    /// <summary>
    /// Raw WebSocketMessage bytes. <paramref name="deterministic"/> uses libsession's derived
    /// ephemeral key (§3.3) — for reproducible tests only; real sends use a random one.
    /// </summary>
    public static byte[] EncodeForRecipientBytes(Identity sender, SessionId recipient, Content content, long timestampMs, bool deterministic)
    {
        recipient.Require(SessionIdPrefix.Standard);
        byte[] padded = Padding.Pad(OutgoingContent.Serialize(content, timestampMs, MaxStoredBytes));
        byte[] sealedBox = deterministic
            ? SessionBox.SealDeterministic(sender, recipient.Key, padded)
            : SessionBox.Seal(sender, recipient.Key, padded);
        Interop.LibSodium.Zero(padded);

        var envelope = new Envelope
        {
            Type = Envelope.Types.Type.SessionMessage,
            Timestamp = (ulong)timestampMs,
            SourceDevice = 1,
            Content = ByteString.CopyFrom(sealedBox),
        };
        // Current official senders always attach a proSig (a real one with Session Pro, else a
        // decoy); an envelope without one stands out on the swarm. Reproducible vectors keep none.
        if (!deterministic) envelope.ProSig = ByteString.CopyFrom(DecoyProSig());
        var wrapper = new WebSocketMessage
        {
            Type = WebSocketMessage.Types.Type.Request,
            Request = new WebSocketRequestMessage { Verb = "", Path = "", Body = envelope.ToByteString(), RequestId = 0 },
        };
        byte[] bytes = wrapper.ToByteArray();
        if (bytes.Length > MaxStoredBytes) throw ProtocolErrors.TooLarge(bytes.Length, MaxStoredBytes);
        return bytes;
    }

    /// <summary>
    /// A decoy Pro signature made as current libsession makes one when the sender has no Pro key
    /// (session_protocol.cpp, encode_for_destination): R = r·B for a random scalar r, S a second
    /// random scalar. It has the form of a real signature (R in the prime-order subgroup, S
    /// canonical), verifies against nothing, and costs one base-point multiplication: no key
    /// generation and no hashing of the content (older libsession signed with a throwaway key).
    /// </summary>
    internal static byte[] DecoyProSig()
    {
        var sig = new byte[Primitives.SignatureBytes];
        Span<byte> r = stackalloc byte[Primitives.ScalarBytes];
        Primitives.ScalarRandom(r);
        bool ok = Primitives.BaseMul(sig.AsSpan(0, 32), r);
        Interop.LibSodium.Zero(r);
        if (!ok) throw Errors.Crypto("crypto.decoy_failed", "r·B failed for a non-zero scalar");
        Primitives.ScalarRandom(sig.AsSpan(32));
        return sig;
    }

    /// <summary>
    /// The copy official clients store in their own inbox after a 1:1 send (§6.6): the same Content
    /// with DataMessage.syncTarget = recipient, encrypted to ourselves, same timestamp.
    /// </summary>
    public static string EncodeSyncCopy(Identity me, SessionId recipient, Content content, long timestampMs)
    {
        recipient.Require(SessionIdPrefix.Standard);
        if (content.DataMessage is null)
            throw Errors.InvalidArgument("message.not_syncable", "only data messages have sync copies");
        Content copy = content.Clone();
        copy.DataMessage.SyncTarget = recipient.ToString();
        return EncodeForRecipient(me, me.SessionId, copy, timestampMs);
    }

    /// <summary>Decodes a swarm `data` string addressed to <paramref name="me"/>.</summary>
    public static DecodedMessage Decode(Identity me, string base64Data)
    {
        ArgumentNullException.ThrowIfNull(base64Data);
        if (base64Data.Length > MaxStoredBase64Chars) throw ProtocolErrors.TooLarge(base64Data.Length, MaxStoredBase64Chars);
        return Decode(me, ProtoIO.FromBase64(base64Data, "message data"));
    }

    /// <summary>Decodes raw stored bytes (a serialized WebSocketMessage).</summary>
    public static DecodedMessage Decode(Identity me, ReadOnlySpan<byte> raw)
    {
        if (raw.Length > MaxStoredBytes) throw ProtocolErrors.TooLarge(raw.Length, MaxStoredBytes);
        WebSocketMessage wrapper = ProtoIO.Parse(WebSocketMessage.Parser, raw, "WebSocketMessage", RequiredFields.Check);
        if (wrapper.Request is null || !wrapper.Request.HasBody)
            throw ProtocolErrors.MissingField("WebSocketMessage.request.body");
        Envelope envelope = ParseEnvelope(wrapper.Request.Body.Span);

        OpenedMessage opened = SessionBox.Open(me, envelope.Content.Span);
        Content content;
        try
        {
            content = ProtoIO.Parse(Content.Parser, Padding.Unpad(opened.Message), "Content", RequiredFields.Check);
        }
        finally
        {
            Interop.LibSodium.Zero(opened.Message);
        }
        if (content.HasSigTimestamp && content.SigTimestamp != 0 && content.SigTimestamp != envelope.Timestamp)
            throw Errors.InvalidArgument("message.timestamp_mismatch", "the signed timestamp differs from the envelope timestamp");
        return new DecodedMessage(opened.Sender, content, (long)envelope.Timestamp, SyncTarget(me, opened.Sender, content));
    }

    /// <summary>
    /// A syncTarget is only honoured on messages we sent ourselves (from another device); from anyone
    /// else it would let them file messages into arbitrary conversations, so it is rejected (§6.6).
    /// </summary>
    private static SessionId? SyncTarget(Identity me, SessionId sender, Content content)
    {
        if (content.DataMessage is not { HasSyncTarget: true } data || data.SyncTarget.Length == 0) return null;
        if (sender != me.SessionId)
            throw Errors.InvalidArgument("message.foreign_sync", "a sync message from another account was dropped");
        if (!SessionId.TryParse(data.SyncTarget, out SessionId target))
            throw ProtocolErrors.Malformed("DataMessage.syncTarget");
        return target;
    }

    /// <summary>Envelope checks of libsession's decoder (§5.1 notes).</summary>
    internal static Envelope ParseEnvelope(ReadOnlySpan<byte> bytes)
    {
        Envelope envelope = ProtoIO.Parse(Envelope.Parser, bytes, "Envelope", RequiredFields.Check);
        if (!envelope.HasContent || envelope.Content.IsEmpty)
            throw ProtocolErrors.MissingField("Envelope.content");
        if (envelope.HasSource && envelope.Source.Length != 0 && !SessionId.TryParse(envelope.Source, out _))
            throw ProtocolErrors.Malformed("Envelope.source");
        if (envelope.HasProSig && envelope.ProSig.Length != 64)
            throw ProtocolErrors.Malformed("Envelope.proSig");
        if (envelope.Timestamp > long.MaxValue)
            throw ProtocolErrors.Malformed("Envelope.timestamp");
        return envelope;
    }
}
