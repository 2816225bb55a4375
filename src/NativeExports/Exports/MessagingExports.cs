using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SessionInterop.NativeExports.Abi;

namespace SessionInterop.NativeExports.Exports;

/// <summary>
/// Sending and receiving. session_send returns a request id at once; exactly one
/// SESSION_EVENT_REQUEST_DONE with that id follows. Incoming messages arrive as
/// SESSION_EVENT_MESSAGE, each once, even across restarts and crashes. Drain events with
/// session_poll (a game loop: once per frame, never blocks) or session_dispatch (handlers on your
/// thread); block for them with session_wait only on a thread of your own.
/// </summary>
[CSection(80, "Messaging and events")]
internal static unsafe class MessagingExports
{
    /// <summary>
    /// Queues text (UTF-8, text_len bytes, at most session_max_text_bytes(); may be empty) to the
    /// Session ID to ("05" + 64 hex digits). Validates here (bad ID: SESSION_E_INVALID_ARGUMENT;
    /// bad UTF-8: SESSION_E_INVALID_UTF8; too long: SESSION_E_TOO_LARGE; too many pending:
    /// SESSION_E_QUEUE_FULL), encrypts, and writes the message to disk before returning, so it is
    /// sent even if the process dies now. flags must be 0. *out_request receives the request id.
    /// Never blocks on the network. Empty texts travel, but the official apps do not display them.
    /// to may also be a joined community's conversation id (a room post) or a blinded-DM
    /// conversation id (see session_join_community).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_send", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Send([CType("session_client*")] nint client, [CType("const char*")] byte* to,
        [CType("const uint8_t*")] byte* text, nuint text_len, uint flags, ulong* out_request)
    {
        try
        {
            if (out_request != null) *out_request = 0;
            ClientHandle handle = Handles.Clients.Get(client);
            if (out_request == null) throw Errors.NullPointer(nameof(out_request));
            if (flags != 0) throw Errors.Unsupported("send.unknown_flags", "no send flags are defined; pass 0");
            string recipient = Utf8.ReadRequired(to, nameof(to));
            if (text_len > Client.SessionClient.MaxTextBytes) throw Errors.TooLarge("message.too_large", $"text is over {Client.SessionClient.MaxTextBytes} bytes");
            *out_request = handle.Client.Send(recipient, Utf8.ReadSpan(text, text_len, nameof(text)));
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Queues one 1:1 message of any session_message_kind to the Session ID to, like session_send
    /// (validated here, encrypted and written to disk before returning; exactly one
    /// SESSION_EVENT_REQUEST_DONE with *out_request follows). TEXT: a text, a reply when
    /// ref_timestamp_ms and ref_author name the quoted message; REACTION: emoji on the message named
    /// by ref_timestamp_ms and ref_author (SESSION_MESSAGE_FLAG_REMOVE removes it); READ_RECEIPT: the
    /// read messages' sent times, ref_timestamp_ms and/or text as an array of int64_t (text_len a
    /// multiple of 8); TYPING: started (SESSION_MESSAGE_FLAG_STOPPED: stopped); UNSEND: deletes our
    /// message sent at ref_timestamp_ms for everyone (and our copy in our own swarm); ACCEPT_REQUEST:
    /// accepts the recipient's message request; EXPIRY_SETTINGS: sets the conversation's
    /// disappearing mode (expiry_type 1 after read, 2 after send, 0 off; expiry_seconds the timer),
    /// used by later TEXT and REACTION messages that give none. A visible message is also stored in
    /// our own swarm, so the account's other devices show it. TEXT may carry up to 32 attachments
    /// (files or bytes, each at most 10,000,000 bytes, copied before this returns; a missing file:
    /// SESSION_E_NOT_FOUND): REQUEST_DONE follows once they are uploaded and the message stored
    /// (to a joined community room: uploaded to the room, unencrypted as desktop does, then posted);
    /// attachments with a reply or an expiry: SESSION_E_UNSUPPORTED (not yet). Unknown kind or
    /// flags: SESSION_E_UNSUPPORTED; bad fields: SESSION_E_INVALID_ARGUMENT.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_send_ex", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int SendEx([CType("session_client*")] nint client, [CType("const char*")] byte* to,
        [CType("const session_message*")] SessionMessageRecord* message, ulong* out_request)
    {
        try
        {
            if (out_request != null) *out_request = 0;
            ClientHandle handle = Handles.Clients.Get(client);
            if (out_request == null) throw Errors.NullPointer(nameof(out_request));
            if (message == null) throw Errors.NullPointer(nameof(message));
            string recipient = Utf8.ReadRequired(to, nameof(to));
            (Client.OutgoingMessage m, List<Client.AttachmentSource> attachments) = MessageOps.Read(message);
            *out_request = attachments.Count == 0 ? handle.Client.SendMessage(recipient, m) : handle.Client.Send(recipient, m.Text, attachments);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// The largest text session_send accepts, in bytes (30,000). The official desktop app shows at
    /// most 10,000 code points of a text (2,000 from senders without Session Pro once Pro is
    /// enabled) and cuts the rest; longer texts are sent whole and logged at WARN (docs/chat.md).
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_max_text_bytes", CallConvs = [typeof(CallConvCdecl)])]
    internal static uint MaxTextBytes()
    {
        try { return Client.SessionClient.MaxTextBytes; }
        catch (Exception e) { LastError.Set(e); return 0; }
    }

    /// <summary>
    /// Never blocks. Releases the previous batch, then writes up to capacity pointers to ready events
    /// into out_events and their number into *out_count (0 means nothing now). The events are owned
    /// by the library and valid until the next session_poll, session_dispatch or
    /// session_release_events on this client: copy what you keep. A batch counts as received once you
    /// poll again (or release, or free the client); after a crash, an unreleased batch of messages is
    /// delivered again. One thread at a time; SESSION_E_WRONG_STATE from inside a dispatch handler.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_poll", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Poll([CType("session_client*")] nint client, [CType("const session_event**")] SessionEventRecord** out_events,
        uint capacity, uint* out_count)
    {
        try
        {
            if (out_count != null) *out_count = 0;
            ClientHandle handle = Handles.Clients.Get(client);
            if (out_count == null) throw Errors.NullPointer(nameof(out_count));
            if (out_events == null && capacity > 0) throw Errors.NullPointer(nameof(out_events));
            *out_count = handle.Poll(out_events, capacity);
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>Releases the current batch (its events become invalid) without taking another.</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_release_events", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int ReleaseEvents([CType("session_client*")] nint client)
    {
        try
        {
            Handles.Clients.Get(client).Release();
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// Drains up to max_events events and calls the matching handler for each, on this thread, with
    /// user as its first argument; *out_dispatched receives how many were drained. Handlers may call
    /// any session_* function except session_poll, session_dispatch, session_release_events and
    /// session_client_free on this client. The event pointer is valid only during the handler.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_dispatch", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Dispatch([CType("session_client*")] nint client, [CType("const session_handlers*")] SessionHandlers* handlers,
        void* user, uint max_events, uint* out_dispatched)
    {
        try
        {
            if (out_dispatched != null) *out_dispatched = 0;
            ClientHandle handle = Handles.Clients.Get(client);
            uint dispatched = handle.Dispatch(EventOps.ReadHandlers(handlers), user, max_events);
            if (out_dispatched != null) *out_dispatched = dispatched;
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>
    /// BLOCKS up to timeout_ms until an event is ready (SESSION_OK) or not (SESSION_E_TIMEOUT), or
    /// until session_interrupt (SESSION_OK). For daemons and bots with a thread of their own: never
    /// call it from a game or UI loop.
    /// </summary>
    [UnmanagedCallersOnly(EntryPoint = "session_wait", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Wait([CType("session_client*")] nint client, uint timeout_ms)
    {
        try
        {
            ClientHandle handle = Handles.Clients.Get(client);
            bool ready = handle.Client.Wait(TimeSpan.FromMilliseconds(timeout_ms));
            return ready ? 0 : LastError.Set(SessionStatus.ETimeout, "wait.timeout", "no event arrived in time");
        }
        catch (Exception e) { return LastError.Set(e); }
    }

    /// <summary>Wakes a thread blocked in session_wait on this client. Any thread, including the wakeup callback.</summary>
    [UnmanagedCallersOnly(EntryPoint = "session_interrupt", CallConvs = [typeof(CallConvCdecl)])]
    [return: CType("session_status")]
    internal static int Interrupt([CType("session_client*")] nint client)
    {
        try
        {
            Handles.Clients.Get(client).Client.Interrupt();
            return 0;
        }
        catch (Exception e) { return LastError.Set(e); }
    }
}
