using System.Buffers;

namespace SessionInterop.Crypto;

/// <summary>
/// The 1:1 "session protocol" (§3): sign M ‖ A ‖ Y with the sender's Ed25519 key, then seal
/// M ‖ A ‖ sig to the recipient's X25519 key. Opening verifies the signature and recovers the
/// sender. Every failure throws SessionException(ECrypto) with its own code; nothing partial escapes.
/// </summary>
internal static class SessionBox
{
    public const int Overhead = Primitives.SealOverhead + 32 + Primitives.SignatureBytes;   // 144
    private static ReadOnlySpan<byte> EphemeralHashKey => "SessionBoxEphemeralHashKey"u8;

    /// <summary>Seals with a random ephemeral key (what official clients send).</summary>
    public static byte[] Seal(Identity sender, ReadOnlySpan<byte> recipientX, ReadOnlySpan<byte> message)
    {
        var output = new byte[message.Length + Overhead];
        Seal(sender, recipientX, message, output, deterministic: false);
        return output;
    }

    /// <summary>libsession's reproducible variant (§3.3): the ephemeral key is derived from sender seed, Y and M.</summary>
    public static byte[] SealDeterministic(Identity sender, ReadOnlySpan<byte> recipientX, ReadOnlySpan<byte> message)
    {
        var output = new byte[message.Length + Overhead];
        Seal(sender, recipientX, message, output, deterministic: true);
        return output;
    }

    /// <summary>Seals into <paramref name="destination"/>, which must be exactly |M| + 144 bytes.</summary>
    public static void Seal(Identity sender, ReadOnlySpan<byte> recipientX, ReadOnlySpan<byte> message, Span<byte> destination, bool deterministic)
    {
        recipientX = RecipientKey(recipientX);
        if (destination.Length != message.Length + Overhead)
            throw Errors.InvalidArgument("crypto.bad_length", $"sealed output needs {message.Length + Overhead} bytes");

        int plainLength = message.Length + 32 + 64;
        byte[] rented = ArrayPool<byte>.Shared.Rent(plainLength);
        Span<byte> plain = rented.AsSpan(0, plainLength);
        try
        {
            // Sign M ‖ A ‖ Y in place, then overwrite Y with the signature to get P = M ‖ A ‖ sig.
            message.CopyTo(plain);
            sender.Ed25519PublicKey.CopyTo(plain[message.Length..]);
            recipientX.CopyTo(plain[(message.Length + 32)..]);
            Span<byte> sig = stackalloc byte[64];
            Primitives.Sign(sender.Ed25519SecretKey, plain[..(message.Length + 64)], sig);
            sig.CopyTo(plain[(message.Length + 32)..]);

            if (deterministic) SealWithDerivedEphemeral(sender, recipientX, message, plain, destination);
            else Primitives.Seal(plain, recipientX, destination);
        }
        finally
        {
            Interop.LibSodium.Zero(plain);
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void SealWithDerivedEphemeral(Identity sender, ReadOnlySpan<byte> recipientX, ReadOnlySpan<byte> message,
        ReadOnlySpan<byte> plain, Span<byte> destination)
    {
        Span<byte> eseed = stackalloc byte[32];
        Span<byte> esk = stackalloc byte[32];
        Span<byte> nonce = stackalloc byte[24];
        try
        {
            Primitives.Blake2b(eseed, EphemeralHashKey, sender.Seed, recipientX, message);
            Span<byte> epk = destination[..32];
            Primitives.BoxSeedKeypair(eseed, epk, esk);
            Primitives.Blake2b(nonce, default, epk, recipientX);   // same nonce rule as crypto_box_seal
            Primitives.BoxEasy(plain, nonce, recipientX, esk, destination[32..]);
        }
        finally
        {
            Interop.LibSodium.Zero(eseed);
            Interop.LibSodium.Zero(esk);
        }
    }

    /// <summary>Opens a sealed message addressed to <paramref name="recipient"/>.</summary>
    public static OpenedMessage Open(Identity recipient, ReadOnlySpan<byte> ciphertext)
    {
        if (ciphertext.Length < Overhead)
            throw Errors.Crypto("crypto.ciphertext_too_short", $"ciphertext is {ciphertext.Length} bytes, at least {Overhead} needed");
        var message = new byte[ciphertext.Length - Overhead];
        Span<byte> senderEd = stackalloc byte[32];
        SessionId sender = Open(recipient, ciphertext, message, senderEd);
        return new OpenedMessage(message, senderEd.ToArray(), sender);
    }

    /// <summary>
    /// Opens into <paramref name="message"/> (exactly |C| − 144 bytes) and <paramref name="senderEd25519"/>
    /// (32 bytes); returns the verified sender. On failure <paramref name="message"/> is zeroed.
    /// </summary>
    public static SessionId Open(Identity recipient, ReadOnlySpan<byte> ciphertext, Span<byte> message, Span<byte> senderEd25519)
    {
        if (ciphertext.Length < Overhead)
            throw Errors.Crypto("crypto.ciphertext_too_short", $"ciphertext is {ciphertext.Length} bytes, at least {Overhead} needed");
        int m = ciphertext.Length - Overhead;
        if (message.Length != m || senderEd25519.Length != 32)
            throw Errors.InvalidArgument("crypto.bad_length", $"opened output needs {m} + 32 bytes");
        int plainLength = ciphertext.Length - Primitives.SealOverhead;
        byte[] rented = ArrayPool<byte>.Shared.Rent(plainLength);
        Span<byte> plain = rented.AsSpan(0, plainLength);
        try
        {
            if (!Primitives.SealOpen(ciphertext, recipient.X25519PublicKey, recipient.X25519SecretKey, plain))
                throw Errors.Crypto("crypto.decrypt_failed", "the message could not be decrypted with this identity");

            Span<byte> sig = stackalloc byte[64];
            plain.Slice(m, 32).CopyTo(senderEd25519);
            plain.Slice(m + 32, 64).CopyTo(sig);
            // Rebuild M ‖ A ‖ xPk in place over the signature to verify.
            recipient.X25519PublicKey.CopyTo(plain[(m + 32)..]);
            if (!Primitives.Verify(sig, plain[..(m + 64)], senderEd25519))
                throw Errors.Crypto("crypto.bad_signature", "the message signature is invalid");

            if (!recipient.TrySenderId(senderEd25519, out SessionId sender))
                throw Errors.Crypto("crypto.bad_sender_key", "the sender key is not a valid Ed25519 key");
            plain[..m].CopyTo(message);
            return sender;
        }
        finally
        {
            Interop.LibSodium.Zero(plain);
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Accepts a 32-byte X25519 key or a 33-byte 05 id; anything else is an error (§3).</summary>
    private static ReadOnlySpan<byte> RecipientKey(ReadOnlySpan<byte> key)
    {
        if (key.Length == 33)
        {
            if (key[0] != (byte)SessionIdPrefix.Standard)
                throw Errors.InvalidArgument("id.wrong_prefix", "1:1 messages go to 05 Session IDs only");
            return key[1..];
        }
        if (key.Length != 32)
            throw Errors.InvalidArgument("id.bad_length", $"a recipient key has 32 bytes, got {key.Length}");
        return key;
    }
}

/// <summary>Result of <c>SessionBox.Open</c>: the (still padded) message and its verified sender.</summary>
internal sealed record OpenedMessage(byte[] Message, byte[] SenderEd25519, SessionId Sender);
