using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SessionInterop.NativeExports.Abi;

namespace SessionInterop.NativeExports.Exports;

/// <summary>
/// Stateless encryption helpers, byte-compatible with the official clients: the 1:1 "session
/// protocol" box (what a private message's Envelope carries) and the blinded direct-message box of
/// community inboxes. Outputs are allocated by the library: free them with session_free (or
/// session_free_secret for plaintexts). Any failure (wrong key, tampered or truncated ciphertext,
/// bad signature, malformed ID) returns an error and writes NULL/0: never partial plaintext.
/// </summary>
[CSection(50, "Encryption helpers")]
internal static unsafe class CryptoExports
{
    /// <summary>
    /// Encrypts plaintext from identity to recipient_session_id ("05..."): signed by the sender and
    /// sealed to the recipient. *out receives the ciphertext (free with session_free).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_seal", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Seal([CType("session_identity*")] nint identity, [CType("const char*")] byte* recipient_session_id,
        [CType("const uint8_t*")] byte* plaintext, nuint plaintext_len, [CType("uint8_t**")] byte** out_ciphertext, nuint* out_len)
    {
        try
        {
            CryptoOps.ClearOutputs(out_ciphertext, out_len);
            CryptoOps.Seal(identity, recipient_session_id, plaintext, plaintext_len, out_ciphertext, out_len);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Decrypts a ciphertext made by session_seal (or an official client) for identity, verifying the
    /// sender's signature. *out receives the plaintext (free with session_free_secret), and sender
    /// (sender_cap at least 67) the sender's Session ID.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_open", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Open([CType("session_identity*")] nint identity, [CType("const uint8_t*")] byte* ciphertext, nuint ciphertext_len,
        [CType("uint8_t**")] byte** out_plaintext, nuint* out_len, [CType("char*")] byte* sender, nuint sender_cap)
    {
        try
        {
            CryptoOps.ClearOutputs(out_plaintext, out_len);
            Utf8.Clear(sender, sender_cap);
            CryptoOps.Open(identity, ciphertext, ciphertext_len, out_plaintext, out_len, sender, sender_cap);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Encrypts a direct message through a community's inbox to a blinded ID ("15..." or "25...")
    /// on the server whose public key is server_pubkey_hex. *out receives the wire bytes (free with
    /// session_free).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_seal_blinded_dm", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SealBlindedDm([CType("session_identity*")] nint identity, [CType("const char*")] byte* server_pubkey_hex,
        [CType("const char*")] byte* recipient_blinded_id, [CType("const uint8_t*")] byte* plaintext, nuint plaintext_len,
        [CType("uint8_t**")] byte** out_ciphertext, nuint* out_len)
    {
        try
        {
            CryptoOps.ClearOutputs(out_ciphertext, out_len);
            CryptoOps.SealBlinded(identity, server_pubkey_hex, recipient_blinded_id, plaintext, plaintext_len, out_ciphertext, out_len);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Decrypts a blinded direct message from sender_blinded_id to identity on that server, checking
    /// that the sender's real key matches the blinded ID. *out receives the plaintext (free with
    /// session_free_secret) and sender (sender_cap at least 67) the sender's real "05" Session ID.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_open_blinded_dm", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int OpenBlindedDm([CType("session_identity*")] nint identity, [CType("const char*")] byte* server_pubkey_hex,
        [CType("const char*")] byte* sender_blinded_id, [CType("const uint8_t*")] byte* ciphertext, nuint ciphertext_len,
        [CType("uint8_t**")] byte** out_plaintext, nuint* out_len, [CType("char*")] byte* sender, nuint sender_cap)
    {
        try
        {
            CryptoOps.ClearOutputs(out_plaintext, out_len);
            Utf8.Clear(sender, sender_cap);
            CryptoOps.OpenBlinded(identity, server_pubkey_hex, sender_blinded_id, ciphertext, ciphertext_len, out_plaintext, out_len, sender, sender_cap);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }
}
