using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SessionInterop.NativeExports.Abi;

namespace SessionInterop.NativeExports.Exports;

/// <summary>
/// Clients: one identity's messenger. session_client_new opens (or creates) the identity in the
/// data directory and returns promptly without touching the network; session_client_start runs the
/// networking on internal threads. Everything the client has to tell you arrives as events drained
/// with session_poll or session_dispatch on your thread.
/// </summary>
[CSection(70, "Client lifecycle and identity")]
internal static unsafe class ClientExports
{
    /// <summary>
    /// Creates a client from options (which may be freed right after). Opens or creates the state
    /// database in the data directory (local disk only; no network). Fails with
    /// SESSION_E_WRONG_KEY for a wrong db key, SESSION_E_BAD_STATE_DATA for a corrupt or too-new
    /// database, SESSION_E_WRONG_STATE if the directory holds another identity than the one set.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_client_new", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int New([CType("const session_options*")] nint options, [CType("session_client**")] nint* out_client)
    {
        try
        {
            if (out_client == null) throw Errors.NullPointer(nameof(out_client));
            *out_client = 0;
            *out_client = Handles.Clients.Add(ClientHandle.Create(Handles.Options.Get(options)));
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Starts networking on internal threads and returns at once. Progress arrives as
    /// SESSION_EVENT_CONNECTION events; messages queued before the start are sent now.
    /// SESSION_E_WRONG_STATE if already started.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_client_start", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Start([CType("session_client*")] nint client)
    {
        try
        {
            Handles.Clients.Get(client).Client.Start();
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Asks the client to stop networking and returns at once; one SESSION_EVENT_STOPPED follows.
    /// Messages not yet stored stay queued on disk and are sent after the next start (by this or a
    /// later client on the same data directory).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_client_stop", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Stop([CType("session_client*")] nint client)
    {
        try
        {
            Handles.Clients.Get(client).Client.Stop();
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Invalidates the handle and frees the client. MAY BLOCK up to "shutdown.timeout_ms" (default
    /// 2000 ms) while networking stops. Events already polled count as received; queued sends stay
    /// on disk for the next client on this directory (their REQUEST_DONE comes from that one).
    /// Releases the callbacks' user pointers. Must not race other calls on the same client, and must
    /// not be called from inside session_dispatch (it is then refused). NULL is a no-op.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_client_free", CallConvs = [typeof(CallConvCdecl)])]
    internal static void Free([CType("session_client*")] nint client)
    {
        try
        {
            if (client == 0) return;
            ClientHandle handle = Handles.Clients.Get(client);
            if (handle.InsideDispatch) throw Errors.WrongState("client.reentrant", "session_client_free cannot be called from a dispatch handler");
            Handles.Clients.Remove(client).Dispose();
        }
        catch (Exception e) { LastError.Set(e); }
    }

    /// <summary>Writes the client's Session ID ("05" + 64 hex digits; 67 bytes with the NUL) into buf.</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_client_session_id", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SessionId([CType("session_client*")] nint client, [CType("char*")] byte* buf, nuint cap, nuint* needed)
    {
        try
        {
            if (needed != null) *needed = 0;
            Utf8.Clear(buf, cap);
            Utf8.WriteToBuffer(Handles.Clients.Get(client).Client.SessionId, buf, cap, needed);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Writes the client's 13-word recovery phrase into buf (size query with buf == NULL).
    /// SENSITIVE: whoever reads it owns the account; wipe the buffer when done.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_client_mnemonic", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Mnemonic([CType("session_client*")] nint client, [CType("char*")] byte* buf, nuint cap, nuint* needed)
    {
        try
        {
            if (needed != null) *needed = 0;
            Utf8.Clear(buf, cap);
            Utf8.WriteToBuffer(Handles.Clients.Get(client).Client.RecoveryPhrase(), buf, cap, needed);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>Changes the display name sent with later messages (NULL or "" for none; at most 400 bytes).</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_client_set_display_name", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SetDisplayName([CType("session_client*")] nint client, [CType("const char*")] byte* name)
    {
        try
        {
            ClientHandle handle = Handles.Clients.Get(client);
            handle.Client.SetDisplayName(name == null ? null : Utf8.ReadRequired(name, nameof(name)));
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }
}
