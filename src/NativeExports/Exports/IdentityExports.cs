using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SessionInterop.Crypto;
using SessionInterop.NativeExports.Abi;

namespace SessionInterop.NativeExports.Exports;

/// <summary>
/// Identities: an account's key pair (a Session ID is "05" + 64 hex digits) and its 13-word
/// recovery phrase. A session_identity is an opaque handle; its secret keys are zeroed when it is
/// freed. It may be used from several threads at once.
/// </summary>
[CSection(40, "Identities")]
internal static unsafe class IdentityExports
{
    /// <summary>
    /// Creates a new random identity, as the official apps do (16 random bytes of seed).
    /// Free it with session_identity_free.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_identity_generate", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Generate([CType("session_identity**")] nint* out_identity)
    {
        try
        {
            if (out_identity == null) throw Errors.NullPointer(nameof(out_identity));
            *out_identity = 0;
            *out_identity = Handles.Identities.Add(Identity.Generate());
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Restores an identity from its seed: 16 bytes (the apps' account seed) or 32 bytes (a full
    /// Ed25519 seed). Any other length is SESSION_E_INVALID_ARGUMENT.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_identity_from_seed", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int FromSeed([CType("const uint8_t*")] byte* seed, nuint seed_len, [CType("session_identity**")] nint* out_identity)
    {
        try
        {
            if (out_identity == null) throw Errors.NullPointer(nameof(out_identity));
            *out_identity = 0;
            if (seed == null) throw Errors.NullPointer(nameof(seed));
            *out_identity = Handles.Identities.Add(Identity.FromSeed(Args.Bytes(seed, seed_len, nameof(seed))));
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Restores an identity from its recovery phrase (13 words; case and extra spaces do not matter
    /// and each word may be shortened to its first 3 letters). A wrong checksum or unknown word is
    /// SESSION_E_INVALID_ARGUMENT with codes "mnemonic.bad_checksum" / "mnemonic.unknown_word".
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_identity_from_mnemonic", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int FromMnemonic([CType("const char*")] byte* words, [CType("session_identity**")] nint* out_identity)
    {
        try
        {
            if (out_identity == null) throw Errors.NullPointer(nameof(out_identity));
            *out_identity = 0;
            *out_identity = Handles.Identities.Add(Identity.FromRecoveryPhrase(Utf8.ReadRequired(words, nameof(words))));
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Frees an identity and zeroes its secret keys. NULL is a no-op; a freed or stale handle is
    /// ignored (and reported through session_last_error_message).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_identity_free", CallConvs = [typeof(CallConvCdecl)])]
    internal static void Free([CType("session_identity*")] nint identity)
    {
        try
        {
            if (identity == 0) return;
            Handles.Identities.Remove(identity).Dispose();
        }
        catch (Exception e) { LastError.Set(e); }
    }

    /// <summary>
    /// Writes the identity's Session ID ("05" + 64 hex digits, 67 bytes with the NUL) into buf.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_identity_session_id", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SessionIdOf([CType("session_identity*")] nint identity, [CType("char*")] byte* buf, nuint cap, nuint* needed)
    {
        try
        {
            if (needed != null) *needed = 0;
            Utf8.Clear(buf, cap);
            Utf8.WriteToBuffer(Handles.Identities.Get(identity).SessionId.ToString(), buf, cap, needed);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Writes the identity's recovery phrase (13 space-separated words) into buf. SENSITIVE: whoever
    /// reads it owns the account; wipe the buffer when done.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_identity_mnemonic", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int MnemonicOf([CType("session_identity*")] nint identity, [CType("char*")] byte* buf, nuint cap, nuint* needed)
    {
        try
        {
            if (needed != null) *needed = 0;
            Utf8.Clear(buf, cap);
            Utf8.WriteToBuffer(Handles.Identities.Get(identity).ToRecoveryPhrase(), buf, cap, needed);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>Writes the identity's 32-byte Ed25519 public key into out (out_len at least 32).</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_identity_ed25519_public_key", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Ed25519PublicKey([CType("session_identity*")] nint identity, [CType("uint8_t*")] byte* out_key, nuint out_len)
    {
        try
        {
            Args.Clear(out_key, out_len);
            Args.WriteFixed(Handles.Identities.Get(identity).Ed25519PublicKey, out_key, out_len, nameof(out_key));
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Writes the identity's 15-blinded ID for a community server ("15" + 64 hex digits, 67 bytes
    /// with the NUL). server_pubkey_hex is the server's 64-hex-digit public key.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_identity_blinded15_id", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Blinded15Id([CType("session_identity*")] nint identity, [CType("const char*")] byte* server_pubkey_hex,
        [CType("char*")] byte* buf, nuint cap, nuint* needed)
    {
        try
        {
            if (needed != null) *needed = 0;
            Utf8.Clear(buf, cap);
            Identity id = Handles.Identities.Get(identity);
            byte[] server = Args.HexKey(server_pubkey_hex, nameof(server_pubkey_hex));
            Utf8.WriteToBuffer(id.Blinded15(server).Id.ToString(), buf, cap, needed);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Writes the identity's 25-blinded ID for a community server ("25" + 64 hex digits, 67 bytes
    /// with the NUL).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_identity_blinded25_id", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Blinded25Id([CType("session_identity*")] nint identity, [CType("const char*")] byte* server_pubkey_hex,
        [CType("char*")] byte* buf, nuint cap, nuint* needed)
    {
        try
        {
            if (needed != null) *needed = 0;
            Utf8.Clear(buf, cap);
            Identity id = Handles.Identities.Get(identity);
            byte[] server = Args.HexKey(server_pubkey_hex, nameof(server_pubkey_hex));
            Utf8.WriteToBuffer(id.Blinded25(server).Id.ToString(), buf, cap, needed);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Signs message with the identity's 15-blinded key for a server: a 64-byte Ed25519 signature
    /// (libsession's form) that verifies against the blinded key. sig_len must be at least 64.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_identity_blind15_sign", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Blind15Sign([CType("session_identity*")] nint identity, [CType("const char*")] byte* server_pubkey_hex,
        [CType("const uint8_t*")] byte* message, nuint message_len, [CType("uint8_t*")] byte* sig, nuint sig_len)
    {
        try { IdentityOps.BlindSign(identity, server_pubkey_hex, message, message_len, sig, sig_len, blind25: false); return 0; }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Signs message with the identity's 25-blinded key for a server: a 64-byte Ed25519 signature
    /// that verifies against the blinded key. sig_len must be at least 64.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_identity_blind25_sign", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Blind25Sign([CType("session_identity*")] nint identity, [CType("const char*")] byte* server_pubkey_hex,
        [CType("const uint8_t*")] byte* message, nuint message_len, [CType("uint8_t*")] byte* sig, nuint sig_len)
    {
        try { IdentityOps.BlindSign(identity, server_pubkey_hex, message, message_len, sig, sig_len, blind25: true); return 0; }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Checks a Session ID string: SESSION_OK for a valid "05" ID; otherwise
    /// SESSION_E_INVALID_ARGUMENT with a code naming the fault ("id.bad_length", "id.bad_hex",
    /// "id.bad_prefix", ...).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_validate_session_id", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int ValidateSessionId([CType("const char*")] byte* session_id)
    {
        try
        {
            SessionId.Parse(Utf8.ReadRequired(session_id, nameof(session_id)), SessionIdPrefix.Standard);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }
}
