using System.Text;
using SessionInterop.Crypto;
using SessionInterop.Interop;

namespace SessionInterop.NativeExports.Abi;

/// <summary>The bodies of the encryption exports: validate, call the Crypto layer, hand results over.</summary>
internal static unsafe class CryptoOps
{
    /// <summary>Largest plaintext the helpers accept: what fits in one stored message.</summary>
    internal const int MaxPlaintext = Protocol.MessageCodec.MaxStoredBytes;

    internal static void ClearOutputs(byte** output, nuint* outputLength)
    {
        if (output != null) *output = null;
        if (outputLength != null) *outputLength = 0;
    }

    internal static void Seal(nint identity, byte* recipient, byte* plaintext, nuint plaintextLength, byte** output, nuint* outputLength)
    {
        Identity id = Handles.Identities.Get(identity);
        SessionId to = SessionId.Parse(Utf8.ReadRequired(recipient, "recipient_session_id"), SessionIdPrefix.Standard);
        ReadOnlySpan<byte> message = Plaintext(plaintext, plaintextLength);
        Args.WriteAllocated(SessionBox.Seal(id, to.Key, message), output, outputLength);
    }

    internal static void Open(nint identity, byte* ciphertext, nuint ciphertextLength, byte** output, nuint* outputLength, byte* sender, nuint senderCapacity)
    {
        Identity id = Handles.Identities.Get(identity);
        CheckSenderBuffer(output, outputLength, sender, senderCapacity);
        OpenedMessage opened = SessionBox.Open(id, Args.Bytes(ciphertext, ciphertextLength, "ciphertext"));
        Deliver(opened.Message, opened.Sender, output, outputLength, sender);
    }

    internal static void SealBlinded(nint identity, byte* serverHex, byte* recipient, byte* plaintext, nuint plaintextLength, byte** output, nuint* outputLength)
    {
        Identity id = Handles.Identities.Get(identity);
        byte[] server = Args.HexKey(serverHex, "server_pubkey_hex");
        SessionId to = SessionId.Parse(Utf8.ReadRequired(recipient, "recipient_blinded_id"));
        if (to.Prefix is not (SessionIdPrefix.Blinded15 or SessionIdPrefix.Blinded25))
            throw Errors.InvalidArgument("id.wrong_prefix", "recipient_blinded_id must be a 15 or 25 blinded ID");
        ReadOnlySpan<byte> message = Plaintext(plaintext, plaintextLength);
        Args.WriteAllocated(BlindedBox.Encrypt(id, server, to, message), output, outputLength);
    }

    internal static void OpenBlinded(nint identity, byte* serverHex, byte* senderBlinded, byte* ciphertext, nuint ciphertextLength,
        byte** output, nuint* outputLength, byte* sender, nuint senderCapacity)
    {
        Identity id = Handles.Identities.Get(identity);
        byte[] server = Args.HexKey(serverHex, "server_pubkey_hex");
        SessionId from = SessionId.Parse(Utf8.ReadRequired(senderBlinded, "sender_blinded_id"));
        SessionId me = from.Prefix switch
        {
            SessionIdPrefix.Blinded15 => id.Blinded15(server).Id,
            SessionIdPrefix.Blinded25 => id.Blinded25(server).Id,
            _ => throw Errors.InvalidArgument("id.wrong_prefix", "sender_blinded_id must be a 15 or 25 blinded ID"),
        };
        CheckSenderBuffer(output, outputLength, sender, senderCapacity);
        BlindedOpened opened = BlindedBox.Decrypt(id, server, Args.Bytes(ciphertext, ciphertextLength, "ciphertext"), from, me);
        Deliver(opened.Message, opened.Sender, output, outputLength, sender);
    }

    private static ReadOnlySpan<byte> Plaintext(byte* plaintext, nuint length)
    {
        if (length > MaxPlaintext) throw Errors.TooLarge("message.too_large", $"plaintext is over {MaxPlaintext} bytes");
        return Args.Bytes(plaintext, length, "plaintext");
    }

    private static void CheckSenderBuffer(byte** output, nuint* outputLength, byte* sender, nuint senderCapacity)
    {
        if (output == null) throw Errors.NullPointer("out");
        if (outputLength == null) throw Errors.NullPointer("out_len");
        if (sender == null) throw Errors.NullPointer("sender");
        if (senderCapacity < SessionId.HexLength + 1) throw Errors.BufferTooSmall(SessionId.HexLength + 1);
    }

    private static void Deliver(byte[] message, SessionId from, byte** output, nuint* outputLength, byte* sender)
    {
        try
        {
            Args.WriteAllocated(message, output, outputLength);
            string text = from.ToString();
            Encoding.ASCII.GetBytes(text, new Span<byte>(sender, text.Length));
            sender[text.Length] = 0;
        }
        finally { LibSodium.Zero(message); }
    }
}
