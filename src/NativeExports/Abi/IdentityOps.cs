using SessionInterop.Crypto;

namespace SessionInterop.NativeExports.Abi;

/// <summary>Bodies shared by export pairs (15/25), kept out of the exports so each stays a thin shim.</summary>
internal static unsafe class IdentityOps
{
    internal static void BlindSign(nint identity, byte* serverPubkeyHex, byte* message, nuint messageLength, byte* sig, nuint sigLength, bool blind25)
    {
        Args.Clear(sig, sigLength);
        Identity id = Handles.Identities.Get(identity);
        byte[] server = Args.HexKey(serverPubkeyHex, "server_pubkey_hex");
        ReadOnlySpan<byte> text = Args.Bytes(message, messageLength, "message");
        if (sig == null) throw Errors.NullPointer("sig");
        if (sigLength < 64) throw Errors.BufferTooSmall(64);
        var signature = new Span<byte>(sig, 64);
        try
        {
            if (blind25) Blinding.Sign25(id, server, text, signature);
            else Blinding.Sign15(id, server, text, signature);
        }
        catch
        {
            signature.Clear(); // no half-written signature on failure
            throw;
        }
    }
}
