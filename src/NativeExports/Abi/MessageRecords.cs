using System.Runtime.InteropServices;

namespace SessionInterop.NativeExports.Abi;

/// <summary>
/// One message for session_send_ex, filled by the caller. Set struct_size to sizeof(session_message)
/// and zero what you do not use (e.g. `session_message m = { sizeof m, SESSION_MESSAGE_TEXT };`):
/// later versions only append fields, and a zero field keeps its old meaning. Which fields a kind
/// reads is documented at session_message_kind. Strings are UTF-8; NULL pointers are empty strings.
/// </summary>
[CStruct("session_message")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SessionMessageRecord
{
    /// <summary>The caller's sizeof(session_message).</summary>
    public uint struct_size;
    /// <summary>What is sent: a session_message_kind.</summary>
    [CType("session_message_kind")] public int kind;
    /// <summary>TEXT: the text (text_len bytes, at most session_max_text_bytes()); READ_RECEIPT: optionally int64_t sent times.</summary>
    [CType("const uint8_t*")] public byte* text;
    public nuint text_len;
    /// <summary>The referred-to message's sent time (Unix ms): a reply's quote, a reaction's target, a receipt, an unsend.</summary>
    public long ref_timestamp_ms;
    /// <summary>The referred-to message's author (Session ID): a reply and a reaction.</summary>
    [CType("const char*")] public byte* ref_author;
    /// <summary>REACTION: the emoji.</summary>
    [CType("const char*")] public byte* emoji;
    /// <summary>TEXT, REACTION: 0 (the conversation's setting), 1 after read, 2 after send; EXPIRY_SETTINGS: the new mode (0 off).</summary>
    public uint expiry_type;
    /// <summary>The disappearing timer in seconds.</summary>
    public uint expiry_seconds;
    /// <summary>session_message_flag bits.</summary>
    public uint flags;
    /// <summary>Attachments (issue 15); this version sends none: attachment_count must be 0.</summary>
    [CType("const session_attachment_source*")] public void* attachments;
    public nuint attachment_count;
}
