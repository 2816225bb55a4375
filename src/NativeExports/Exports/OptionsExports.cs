using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SessionInterop.NativeExports.Abi;

namespace SessionInterop.NativeExports.Exports;

/// <summary>
/// Client options: an opaque builder. Every setter copies its input, so strings and buffers may be
/// freed right after the call, and the options may be freed right after session_client_new.
/// </summary>
[CSection(60, "Client options")]
internal static unsafe class OptionsExports
{
    /// <summary>Creates an options object with the defaults (mainnet, no data directory yet).</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_options_new", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int New([CType("session_options**")] nint* out_options)
    {
        try
        {
            if (out_options == null) throw Errors.NullPointer(nameof(out_options));
            *out_options = 0;
            *out_options = Handles.Options.Add(new OptionsBuilder());
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Frees an options object (keys, seeds and the seed a recovery phrase stood for are wiped). NULL is a no-op. Clients created from
    /// it are not affected; callbacks registered in it stay alive while such a client lives.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_options_free", CallConvs = [typeof(CallConvCdecl)])]
    internal static void Free([CType("session_options*")] nint options)
    {
        try
        {
            if (options != 0) Handles.Options.Remove(options).Release();
        }
        catch (Exception e) { LastError.Set(e); }
    }

    /// <summary>
    /// Required. The directory holding this identity's state (created if missing; one identity per
    /// directory). A new directory gets the identity set below, or a fresh random one.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_options_set_data_dir", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SetDataDir([CType("session_options*")] nint options, [CType("const char*")] byte* path)
    {
        try
        {
            OptionsBuilder o = OptionsOps.Get(options);
            string dir = Utf8.ReadRequired(path, nameof(path));
            if (dir.Length == 0) throw Errors.InvalidArgument("options.no_data_dir", "the data directory must not be empty");
            o.DataDirectory = dir;
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// The key protecting the identity at rest (1 to 64 bytes; use 32 random bytes and keep them
    /// safe). Opening the directory later with another key fails with SESSION_E_WRONG_KEY.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_options_set_db_key", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SetDbKey([CType("session_options*")] nint options, [CType("const uint8_t*")] byte* key, nuint key_len)
    {
        try
        {
            OptionsBuilder o = OptionsOps.Get(options);
            if (key == null) throw Errors.NullPointer(nameof(key));
            if (key_len is 0 or > 64) throw Errors.InvalidArgument("options.bad_db_key", "the database key must be 1 to 64 bytes");
            o.ReplaceDatabaseKey(Args.Bytes(key, key_len, nameof(key)).ToArray());
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>The identity to create in a new data directory, as a 13-word recovery phrase.</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_options_set_identity_mnemonic", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SetIdentityMnemonic([CType("session_options*")] nint options, [CType("const char*")] byte* words)
    {
        try
        {
            OptionsBuilder o = OptionsOps.Get(options);
            // Validated now, at the call site; only the seed it stands for is kept (and wiped at free).
            o.ReplaceSeed(Crypto.RecoveryPhrase.Decode(Utf8.ReadRequired(words, nameof(words))));
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>The identity to create in a new data directory, as a 16- or 32-byte seed.</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_options_set_identity_seed", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SetIdentitySeed([CType("session_options*")] nint options, [CType("const uint8_t*")] byte* seed, nuint seed_len)
    {
        try
        {
            OptionsBuilder o = OptionsOps.Get(options);
            if (seed == null) throw Errors.NullPointer(nameof(seed));
            if (seed_len is not (16 or 32)) throw Errors.InvalidArgument("key.bad_seed_length", "a seed has 16 or 32 bytes");
            o.ReplaceSeed(Args.Bytes(seed, seed_len, nameof(seed)).ToArray());
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Adds a seed node URL to bootstrap from. The first call replaces the default (the Session
    /// mainnet seeds); use it with the SEED_URL a LocalNet prints.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_options_add_seed_url", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int AddSeedUrl([CType("session_options*")] nint options, [CType("const char*")] byte* url)
    {
        try
        {
            OptionsOps.AddSeedUrl(options, Utf8.ReadRequired(url, nameof(url)));
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>The display name sent with your messages (at most 400 UTF-8 bytes; NULL or "" for none).</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_options_set_display_name", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SetDisplayName([CType("session_options*")] nint options, [CType("const char*")] byte* name)
    {
        try
        {
            OptionsBuilder o = OptionsOps.Get(options);
            string? text = name == null ? null : Utf8.ReadRequired(name, nameof(name));
            if (text is not null && System.Text.Encoding.UTF8.GetByteCount(text) > Client.SessionClient.MaxDisplayNameBytes)
                throw Errors.TooLarge("profile.name_too_long", "the display name is over 400 bytes");
            o.DisplayName = string.IsNullOrEmpty(text) ? null : text;
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Sends log records at min_level and above to fn. fn is CALLED FROM INTERNAL THREADS, possibly
    /// concurrently and during any session_* call: it must be fast and thread-safe and must not call
    /// session_* functions. Its strings are valid only during the call. Records never contain
    /// plaintext, keys or recovery words; Session IDs appear in full only at DEBUG and TRACE.
    /// free_user(user), if not NULL, is called once when no client needs the sink any more.
    /// fn == NULL removes the sink.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_options_set_log", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SetLog([CType("session_options*")] nint options, [CType("session_log_level")] int min_level,
        [CType("session_log_fn", Params = "void* user, session_log_level level, const char* category, const char* message, size_t message_len")]
        delegate* unmanaged[Cdecl]<void*, int, byte*, byte*, nuint, void> fn,
        void* user,
        [CType("session_free_user_fn", Params = "void* user")] delegate* unmanaged[Cdecl]<void*, void> free_user)
    {
        try
        {
            OptionsOps.SetLog(options, min_level, fn, user, free_user);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Delivers log records at min_level and above as SESSION_EVENT_LOG events through session_poll,
    /// on your thread, instead of through a callback (for hosts that cannot take calls from foreign
    /// threads). SESSION_LOG_OFF turns it off.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_options_set_log_as_events", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SetLogAsEvents([CType("session_options*")] nint options, [CType("session_log_level")] int min_level)
    {
        try
        {
            OptionsBuilder o = OptionsOps.Get(options);
            o.LogEventsMin = OptionsOps.CheckLevel(min_level);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Registers fn to be called when a client's event queue goes from empty to non-empty. fn is
    /// CALLED FROM AN INTERNAL THREAD: it must only signal (set an atomic flag, write an eventfd, post
    /// to your loop) and must not call session_* functions other than session_interrupt.
    /// free_user(user), if not NULL, is called once when no client needs it any more.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_options_set_wakeup", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SetWakeup([CType("session_options*")] nint options,
        [CType("session_wakeup_fn", Params = "void* user")] delegate* unmanaged[Cdecl]<void*, void> fn,
        void* user,
        [CType("session_free_user_fn", Params = "void* user")] delegate* unmanaged[Cdecl]<void*, void> free_user)
    {
        try
        {
            OptionsOps.SetWakeup(options, fn, user, free_user);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Sets a numeric knob by name. Keys: "send.max_pending" (sends waiting before session_send
    /// returns SESSION_E_QUEUE_FULL; default 10000), "poll.min_interval_ms" / "poll.max_interval_ms"
    /// (inbox polling, default 500 / 5000), "shutdown.timeout_ms" (how long session_client_free
    /// waits for background work before closing; default 2000), "events.max_ready" (undrained
    /// events beyond which polling the network pauses until you drain; default 10000),
    /// "events.max_log" (LOG events kept undrained; newer ones are dropped; default 1000),
    /// "replay.clock_tolerance_ms" (a message sent longer ago than its 14-day lifetime plus this is
    /// dropped as a replay; default 600000), "tls.accept_self_signed" (1 to accept self-signed seed certificates, as
    /// LocalNet's; never for mainnet). An unknown key is SESSION_E_UNSUPPORTED, never ignored.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_options_set_i64", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SetI64([CType("session_options*")] nint options, [CType("const char*")] byte* key, long value)
    {
        try
        {
            OptionsOps.Get(options).SetInt(Utf8.ReadRequired(key, nameof(key)), value);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }
}
