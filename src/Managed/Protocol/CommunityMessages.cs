using SessionInterop.Crypto;
using SessionInterop.Protocol.Protos;

namespace SessionInterop.Protocol;

/// <summary>
/// Community formats: room posts (§8.3/§8.4: base64 of the padded Content plus a signature over
/// those raw padded bytes) and blinded inbox messages (§8.5: padded Content in a BlindedBox).
/// </summary>
internal static class CommunityMessages
{
    /// <summary>Allowed skew between the server's posted time and Content.sigTimestamp (§6.4).</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromHours(6);
    /// <summary>Bound on a post's padded Content; keeps a hostile server from making us allocate.</summary>
    public const int MaxPostBytes = 1_000_000;

    /// <summary>Builds a room post as our 15-blinded identity on that server.</summary>
    public static CommunityPost EncodePost(Identity author, ReadOnlySpan<byte> serverPk, Content content, long timestampMs)
    {
        byte[] padded = PadStamped(content, timestampMs);
        byte[] signature = new byte[64];
        Blinding.Sign15(author, serverPk, padded, signature);
        return new CommunityPost(Convert.ToBase64String(padded), Convert.ToBase64String(signature));
    }

    /// <summary>
    /// Verifies and parses a room post. 15/25 authors: Ed25519 against the blinded key; 05 authors:
    /// the curve25519-js scheme desktop uses. <paramref name="postedSeconds"/>, when given, enforces ±6 h.
    /// </summary>
    public static Content DecodePost(string dataBase64, string signatureBase64, SessionId author, double? postedSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(dataBase64);
        ArgumentNullException.ThrowIfNull(signatureBase64);
        if (dataBase64.Length > MaxPostBytes / 3 * 4 + 4) throw ProtocolErrors.TooLarge(dataBase64.Length, MaxPostBytes / 3 * 4);
        byte[] data = FromBase64(dataBase64);
        byte[] signature = FromBase64(signatureBase64);
        bool valid = author.Prefix switch
        {
            SessionIdPrefix.Blinded15 or SessionIdPrefix.Blinded25 => Primitives.Verify(signature, data, author.Key),
            SessionIdPrefix.Standard => XEd25519.Verify(signature, data, author.Key),
            _ => throw Errors.InvalidArgument("id.wrong_prefix", "community authors have 05, 15 or 25 ids"),
        };
        if (!valid) throw Errors.Crypto("crypto.bad_signature", "the community post signature is invalid");
        Content content = ProtoIO.Parse(Content.Parser, Padding.Unpad(data), "Content", RequiredFields.Check);
        if (postedSeconds is { } posted && content.SigTimestamp != 0)
        {
            double skewMs = Math.Abs(posted * 1000 - content.SigTimestamp);
            if (skewMs > MaxSkew.TotalMilliseconds)
                throw Errors.InvalidArgument("message.timestamp_mismatch", "the post's signed timestamp is too far from its posted time");
        }
        return content;
    }

    /// <summary>Encrypts a Content for a blinded recipient's community inbox; returns the `message` base64.</summary>
    public static string EncodeInbox(Identity sender, ReadOnlySpan<byte> serverPk, SessionId recipient, Content content, long timestampMs)
    {
        byte[] padded = PadStamped(content, timestampMs);
        try { return Convert.ToBase64String(BlindedBox.Encrypt(sender, serverPk, recipient, padded)); }
        finally { Interop.LibSodium.Zero(padded); }
    }

    /// <summary>Decrypts an inbox/outbox item; the returned sender is the real 05 id.</summary>
    public static DecodedInboxMessage DecodeInbox(Identity me, ReadOnlySpan<byte> serverPk, string messageBase64, SessionId senderId, SessionId recipientId)
    {
        ArgumentNullException.ThrowIfNull(messageBase64);
        if (messageBase64.Length > MaxPostBytes / 3 * 4 + 4) throw ProtocolErrors.TooLarge(messageBase64.Length, MaxPostBytes / 3 * 4);
        BlindedOpened opened = BlindedBox.Decrypt(me, serverPk, FromBase64(messageBase64), senderId, recipientId);
        try
        {
            Content content = ProtoIO.Parse(Content.Parser, Padding.Unpad(opened.Message), "Content", RequiredFields.Check);
            return new DecodedInboxMessage(opened.Sender, content, opened.Outgoing);
        }
        finally
        {
            Interop.LibSodium.Zero(opened.Message);
        }
    }

    private static byte[] PadStamped(Content content, long timestampMs) =>
        Padding.Pad(OutgoingContent.Serialize(content, timestampMs, MaxPostBytes));

    private static byte[] FromBase64(string text) => ProtoIO.FromBase64(text, "community data");
}

/// <summary>The `data` and `signature` fields of a room post.</summary>
internal sealed record CommunityPost(string Data, string Signature);

/// <summary>A decrypted community inbox item: real sender, content, and whether it is our own outbox copy.</summary>
internal sealed record DecodedInboxMessage(SessionId Sender, Content Content, bool Outgoing);
