using System.Runtime.InteropServices;

namespace SessionInterop.NativeExports.Abi;

/// <summary>A borrowed UTF-8 string: data[len] is always a NUL, so data may also be used as a C string.</summary>
[CStruct("session_str")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SessionStr
{
    [CType("const char*")] public byte* data;
    public nuint len;
}

/// <summary>Borrowed bytes.</summary>
[CStruct("session_bytes")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SessionBytes
{
    [CType("const uint8_t*")] public byte* data;
    public nuint len;
}

/// <summary>
/// A received attachment or avatar (session_event.attachments / .avatar): pass it to
/// session_download as it is (or a copy with the same url, key, digest, size and is_avatar).
/// Owned by the event. Fields are only ever appended.
/// </summary>
[CStruct("session_attachment")]
[StructLayout(LayoutKind.Sequential)]
internal struct SessionAttachmentRecord
{
    /// <summary>Bytes valid in this record (the library's sizeof(session_attachment)); also the array stride.</summary>
    public uint struct_size;
    /// <summary>The pointer's flags (1 = voice message).</summary>
    public uint flags;
    /// <summary>Where the encrypted file is (http://filev2.getsession.org/file/ID, maybe with a #fragment).</summary>
    public SessionStr url;
    /// <summary>The file server's id of the file (the URL's last path segment).</summary>
    public SessionStr id;
    /// <summary>MIME type the sender gave ("" when none).</summary>
    public SessionStr content_type;
    /// <summary>The sender's file name ("" when none); never use it as a path as it is.</summary>
    public SessionStr file_name;
    /// <summary>Plaintext size in bytes (0 when the sender gave none).</summary>
    public ulong size;
    /// <summary>Image width in pixels when the sender gave it, else 0.</summary>
    public uint width;
    /// <summary>Image height in pixels when the sender gave it, else 0.</summary>
    public uint height;
    /// <summary>The decryption key (64 bytes, or 32): secret, keep it as you keep the message.</summary>
    public SessionBytes key;
    /// <summary>SHA-256 of the encrypted file (may be empty).</summary>
    public SessionBytes digest;
    /// <summary>1 for a profile picture (session_event.avatar), 0 for a message attachment.</summary>
    public int is_avatar;
}

/// <summary>
/// One event, owned by the library and read-only: valid until the next session_poll,
/// session_dispatch or session_release_events on the same client (copy what you keep). Fields are
/// only ever appended: check struct_size before reading a field newer than your header.
/// Unused fields are 0 / empty strings, never NULL pointers.
/// </summary>
[CStruct("session_event")]
[StructLayout(LayoutKind.Sequential)]
internal struct SessionEventRecord
{
    /// <summary>Bytes valid in this record (the library's sizeof(session_event)).</summary>
    public uint struct_size;
    /// <summary>What happened: a session_event_type; ignore types you do not know.</summary>
    [CType("session_event_type")] public int type;
    /// <summary>REQUEST_DONE: the id session_send returned; otherwise 0.</summary>
    public ulong request_id;
    /// <summary>REQUEST_DONE: SESSION_OK or why the request failed; otherwise 0.</summary>
    [CType("session_status")] public int status;
    /// <summary>session_event_flag bits: OUTGOING (sent by this account, e.g. from its other device), REQUEST (a message request).</summary>
    public uint flags;
    /// <summary>MESSAGE: the sender's sent time; REQUEST_DONE: the message's sent time; otherwise emit time (Unix ms).</summary>
    public long timestamp_ms;
    /// <summary>CONNECTION: a session_connection_state; LOG: a session_log_level; otherwise 0.</summary>
    public long value;
    /// <summary>MESSAGE, REQUEST_DONE: the conversation (the other party's Session ID); LOG: the category.</summary>
    public SessionStr conversation;
    /// <summary>MESSAGE: the sender's Session ID.</summary>
    public SessionStr sender;
    /// <summary>MESSAGE, successful REQUEST_DONE: the message's hash on the network (stable id).</summary>
    public SessionStr message_id;
    /// <summary>MESSAGE: the text (may be empty); failed REQUEST_DONE: a human-readable reason; LOG: the message.</summary>
    public SessionStr text;
    /// <summary>Failed REQUEST_DONE: the dotted error code (e.g. "network.rpc_rejected"); otherwise empty.</summary>
    public SessionStr error_code;
    /// <summary>Type-specific binary payload (none defined yet: empty).</summary>
    public SessionBytes data;
    /// <summary>The message a reply (MESSAGE), REACTION, RECEIPT or UNSEND refers to: its sent time (Unix ms); otherwise 0.</summary>
    public long ref_timestamp_ms;
    /// <summary>That message's author's Session ID.</summary>
    public SessionStr ref_author;
    /// <summary>A reply: the quoted text, when the quote carried it (current apps send none).</summary>
    public SessionStr ref_text;
    /// <summary>REACTION: the emoji.</summary>
    public SessionStr emoji;
    /// <summary>The sender's display name when the message carried a profile (MESSAGE, PROFILE, REQUEST_RESPONSE).</summary>
    public SessionStr display_name;
    /// <summary>MESSAGE: disappearing-message mode: 0 none, 1 after read, 2 after send (the protobuf's values).</summary>
    public uint expiry_type;
    /// <summary>MESSAGE: the disappearing timer in seconds (0 none).</summary>
    public uint expiry_seconds;
    /// <summary>MESSAGE: its attachments, attachment_count records (NULL when there are none); download with session_download.</summary>
    [CType("const session_attachment*")] public unsafe SessionAttachmentRecord* attachments;
    /// <summary>The number of records at attachments.</summary>
    public nuint attachment_count;
    /// <summary>MESSAGE: the sender's profile picture when the message carried one, else NULL; download with session_download.</summary>
    [CType("const session_attachment*")] public unsafe SessionAttachmentRecord* avatar;
}

/// <summary>Bits of session_event.flags.</summary>
[CEnum("session_event_flag", "SESSION_EVENT_FLAG_")]
internal enum EventFlag
{
    /// <summary>Sent by this account (a sync message from its other device; conversation is the other party).</summary>
    Outgoing = 1,
    /// <summary>A message request: the sender is not an approved contact (session_send_ex with SESSION_MESSAGE_ACCEPT_REQUEST accepts).</summary>
    Request = 2,
}

/// <summary>
/// Handlers for session_dispatch; each runs on the thread calling session_dispatch. struct_size is
/// the caller's sizeof(session_handlers); NULL members are skipped (events without a handler are
/// drained and dropped, except that on_other receives every type without a slot of its own).
/// </summary>
[CStruct("session_handlers")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SessionHandlers
{
    public uint struct_size;
    [CType("session_event_fn", Params = "void* user, const session_event* ev")]
    public delegate* unmanaged[Cdecl]<void*, SessionEventRecord*, void> on_request_done;
    [CType("session_event_fn", Params = "void* user, const session_event* ev")]
    public delegate* unmanaged[Cdecl]<void*, SessionEventRecord*, void> on_connection;
    [CType("session_event_fn", Params = "void* user, const session_event* ev")]
    public delegate* unmanaged[Cdecl]<void*, SessionEventRecord*, void> on_message;
    [CType("session_event_fn", Params = "void* user, const session_event* ev")]
    public delegate* unmanaged[Cdecl]<void*, SessionEventRecord*, void> on_other;
}
