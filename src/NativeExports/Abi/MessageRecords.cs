using System.Runtime.InteropServices;

namespace SessionInterop.NativeExports.Abi;

/// <summary>
/// An attachment to send (session_message.attachments) or a picture (session_set_avatar): a file
/// (path) or bytes (data, data_len). The library copies it before the call returns.
/// </summary>
// (This file sorts after EventRecords.cs on purpose: HeaderGen emits structs in declaration order.)
[CStruct("session_attachment_source")]
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SessionAttachmentSourceRecord
{
    /// <summary>The caller's sizeof(session_attachment_source).</summary>
    public uint struct_size;
    /// <summary>A file to send, or NULL to send data.</summary>
    [CType("const char*")] public byte* path;
    /// <summary>The bytes to send when path is NULL (at most 10,000,000).</summary>
    [CType("const uint8_t*")] public byte* data;
    /// <summary>The number of bytes at data.</summary>
    public nuint data_len;
    /// <summary>The file name the recipient sees; NULL: the path's name (or none for data).</summary>
    [CType("const char*")] public byte* file_name;
    /// <summary>MIME type; NULL: guessed from the file name.</summary>
    [CType("const char*")] public byte* content_type;
}

/// <summary>
/// One message for session_send_ex, filled by the caller. Set struct_size to sizeof(session_message)
/// and zero what you do not use (e.g. `session_message m = { sizeof m, SESSION_MESSAGE_TEXT };`):
/// later versions only append fields, and a zero field keeps its old meaning. Which fields a kind
/// reads is documented at session_message_kind. Strings are UTF-8; NULL pointers are empty strings.
/// A struct_size smaller than the library's counts the missing members as 0.
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
    /// <summary>TEXT: attachment_count attachments to upload and send with the message (at most 32; not with a reply or an expiry).</summary>
    [CType("const session_attachment_source*")] public SessionAttachmentSourceRecord* attachments;
    /// <summary>The number of records at attachments.</summary>
    public nuint attachment_count;
}

/// <summary>Reads the caller's structs into managed values (validated on the calling thread).</summary>
internal static unsafe class MessageRecords
{
    /// <summary>The caller's record with members beyond its struct_size zeroed.</summary>
    internal static T Read<T>(T* record, string parameter) where T : unmanaged
    {
        if (record == null) throw Errors.NullPointer(parameter);
        uint size = *(uint*)record;
        if (size < sizeof(uint) || size > 4096) throw Errors.InvalidArgument("abi.bad_struct_size", $"set {parameter}->struct_size = sizeof(*{parameter})");
        T copy = default;
        Buffer.MemoryCopy(record, &copy, sizeof(T), Math.Min(size, (uint)sizeof(T)));
        return copy;
    }

    internal static Client.AttachmentSource Source(SessionAttachmentSourceRecord* record, string parameter)
    {
        SessionAttachmentSourceRecord s = Read(record, parameter);
        string? fileName = s.file_name == null ? null : Utf8.ReadRequired(s.file_name, "file_name");
        string? contentType = s.content_type == null ? null : Utf8.ReadRequired(s.content_type, "content_type");
        if (s.path != null) return Client.AttachmentSource.FromFile(Utf8.ReadRequired(s.path, "path"), fileName, contentType);
        if (s.data_len > (nuint)Client.SessionClient.MaxAttachmentBytes)
            throw Errors.TooLarge("attachment.too_large", $"an attachment is at most {Client.SessionClient.MaxAttachmentBytes} bytes");
        byte[] data = Args.Bytes(s.data, s.data_len, "data").ToArray();
        return Client.AttachmentSource.FromBytes(data, fileName ?? "", contentType);
    }

    /// <summary>A session_attachment (from an event, or the caller's copy of one) as the client's descriptor.</summary>
    internal static State.Attachment Attachment(SessionAttachmentRecord* record)
    {
        SessionAttachmentRecord a = Read(record, "attachment");
        return new State.Attachment(new State.Stored.AttachmentRef
        {
            Url = Text(a.url, "url") ?? throw Errors.InvalidArgument("attachment.bad_url", "attachment->url is required"),
            ContentType = Text(a.content_type, "content_type") ?? "",
            FileName = Text(a.file_name, "file_name") ?? "",
            Size = a.size,
            Width = a.width,
            Height = a.height,
            Flags = a.flags,
            Key = Google.Protobuf.ByteString.CopyFrom(Args.Bytes(a.key.data, a.key.len, "key")),
            Digest = Google.Protobuf.ByteString.CopyFrom(a.digest.len == 0 ? [] : Args.Bytes(a.digest.data, a.digest.len, "digest")),
            IsAvatar = a.is_avatar != 0,
        });
    }

    private static string? Text(SessionStr s, string parameter) =>
        s.data == null ? null : Utf8.ReadSpan((byte*)s.data, s.len, parameter);
}
