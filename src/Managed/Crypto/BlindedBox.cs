namespace SessionInterop.Crypto;

/// <summary>
/// Blinded direct messages through a community inbox (§8.5): XChaCha20-Poly1305 under a key both
/// sides derive from blinded keys, wire = 0x00 ‖ ciphertext ‖ nonce(24). The plaintext carries the
/// sender's real Ed25519 key, which the receiver checks against the sender's blinded id.
/// </summary>
internal static class BlindedBox
{
    private const byte Version = 0x00;
    public const int Overhead = 1 + 32 + Primitives.AeadTagBytes + Primitives.AeadNonceBytes;

    /// <summary>Encrypts to a 15- or 25-blinded recipient with a random nonce.</summary>
    public static byte[] Encrypt(Identity sender, ReadOnlySpan<byte> serverPk, SessionId recipient, ReadOnlySpan<byte> message)
    {
        Span<byte> nonce = stackalloc byte[Primitives.AeadNonceBytes];
        Primitives.RandomBytes(nonce);
        return Encrypt(sender, serverPk, recipient, message, nonce);
    }

    /// <summary>Encrypts with a caller-chosen nonce (reproducible tests only).</summary>
    internal static byte[] Encrypt(Identity sender, ReadOnlySpan<byte> serverPk, SessionId recipient, ReadOnlySpan<byte> message, ReadOnlySpan<byte> nonce)
    {
        BlindedKeyPair own = OwnPair(sender, serverPk, recipient.Prefix);
        Span<byte> key = stackalloc byte[32];
        byte[] inner = [.. message, .. sender.Ed25519PublicKey];
        try
        {
            SharedKey(sender, own, recipient.Key, own.PublicKey, recipient.Key, key);
            var wire = new byte[1 + inner.Length + Primitives.AeadTagBytes + Primitives.AeadNonceBytes];
            wire[0] = Version;
            Primitives.AeadEncrypt(inner, nonce, key, wire.AsSpan(1, inner.Length + Primitives.AeadTagBytes));
            nonce.CopyTo(wire.AsSpan(wire.Length - Primitives.AeadNonceBytes));
            return wire;
        }
        finally
        {
            Interop.LibSodium.Zero(key);
            Interop.LibSodium.Zero(inner);
        }
    }

    /// <summary>
    /// Decrypts an inbox or outbox item. <paramref name="senderId"/> and <paramref name="recipientId"/>
    /// are the item's blinded ids; if the sender is us this is an outbox copy.
    /// </summary>
    public static BlindedOpened Decrypt(Identity me, ReadOnlySpan<byte> serverPk, ReadOnlySpan<byte> wire, SessionId senderId, SessionId recipientId)
    {
        if (wire.Length < 1 + Primitives.AeadTagBytes + Primitives.AeadNonceBytes)
            throw Errors.Crypto("crypto.ciphertext_too_short", "blinded message is too short");
        if (wire[0] != Version)
            throw Errors.Crypto("crypto.unknown_version", $"unknown blinded message version {wire[0]}");
        if (senderId.Prefix != recipientId.Prefix || senderId.Prefix is not (SessionIdPrefix.Blinded15 or SessionIdPrefix.Blinded25))
            throw Errors.InvalidArgument("id.wrong_prefix", "blinded messages need two 15 ids or two 25 ids");

        BlindedKeyPair own = OwnPair(me, serverPk, recipientId.Prefix);
        bool outgoing = own.Id == senderId;
        ReadOnlySpan<byte> other = outgoing ? recipientId.Key : senderId.Key;

        Span<byte> key = stackalloc byte[32];
        ReadOnlySpan<byte> nonce = wire[^Primitives.AeadNonceBytes..];
        ReadOnlySpan<byte> ciphertext = wire[1..^Primitives.AeadNonceBytes];
        byte[] inner = new byte[ciphertext.Length - Primitives.AeadTagBytes];
        try
        {
            SharedKey(me, own, other, senderId.Key, recipientId.Key, key);
            if (!Primitives.AeadDecrypt(ciphertext, nonce, key, inner))
                throw Errors.Crypto("crypto.decrypt_failed", "the blinded message could not be decrypted");
        }
        finally
        {
            Interop.LibSodium.Zero(key);
        }
        if (inner.Length < 32)
        {
            Interop.LibSodium.Zero(inner);
            throw Errors.Crypto("crypto.bad_sender_key", "the blinded message has no sender key");
        }

        ReadOnlySpan<byte> senderEd = inner.AsSpan(inner.Length - 32);
        Span<byte> senderX = stackalloc byte[32];
        if (!Primitives.EdPkToX(senderEd, senderX))
            throw Errors.Crypto("crypto.bad_sender_key", "the sender key is not a valid Ed25519 key");
        SessionId sender = SessionId.FromKey(SessionIdPrefix.Standard, senderX);
        if (!SenderMatches(senderEd, sender, senderId, serverPk))
            throw Errors.Crypto("crypto.sender_mismatch", "the blinded sender id does not match the sender key");

        byte[] message = inner.AsSpan(0, inner.Length - 32).ToArray();
        Interop.LibSodium.Zero(inner);
        return new BlindedOpened(message, sender, outgoing);
    }

    /// <summary>
    /// key = H_32(P ‖ sender ‖ recipient), P = (our scalar)·(other's blinded key). Our scalar is the
    /// unblinded a for 15 (both blinding factors equal k) and our blinded scalar for 25.
    /// </summary>
    private static void SharedKey(Identity me, BlindedKeyPair own, ReadOnlySpan<byte> otherKey,
        ReadOnlySpan<byte> senderKey, ReadOnlySpan<byte> recipientKey, Span<byte> key)
    {
        ReadOnlySpan<byte> scalar = own.Id.Prefix == SessionIdPrefix.Blinded15 ? me.X25519SecretKey : own.Scalar;
        Span<byte> point = stackalloc byte[32];
        try
        {
            if (!Primitives.PointMul(point, scalar, otherKey))
                throw Errors.Crypto("crypto.bad_recipient_key", "the blinded key is not a valid point");
            Primitives.Blake2b(key, default, point, senderKey, recipientKey);
        }
        finally
        {
            Interop.LibSodium.Zero(point);
        }
    }

    private static bool SenderMatches(ReadOnlySpan<byte> senderEd, SessionId sender, SessionId senderId, ReadOnlySpan<byte> serverPk)
    {
        if (senderId.Prefix == SessionIdPrefix.Blinded25)
            return Blinding.Blind25Id(sender, serverPk) == senderId;
        // 15: k·edPk, accepting the sign-flipped form as well.
        Span<byte> k = stackalloc byte[32];
        Span<byte> kA = stackalloc byte[32];
        Blinding.Blind15Factor(serverPk, k);
        if (!Primitives.PointMul(kA, k, senderEd)) return false;
        ReadOnlySpan<byte> claimed = senderId.Key;
        if (kA.SequenceEqual(claimed)) return true;
        kA[31] ^= 0x80;
        return kA.SequenceEqual(claimed);
    }

    private static BlindedKeyPair OwnPair(Identity identity, ReadOnlySpan<byte> serverPk, SessionIdPrefix prefix) => prefix switch
    {
        SessionIdPrefix.Blinded15 => identity.Blinded15(serverPk),
        SessionIdPrefix.Blinded25 => identity.Blinded25(serverPk),
        _ => throw Errors.InvalidArgument("id.wrong_prefix", "blinded messages go to 15 or 25 ids only"),
    };
}

/// <summary>A decrypted blinded message: the (padded) payload, the real 05 sender, and whether we sent it.</summary>
internal sealed record BlindedOpened(byte[] Message, SessionId Sender, bool Outgoing);
