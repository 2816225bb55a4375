using System.Runtime.InteropServices;
using SessionInterop.Client;

namespace SessionInterop.NativeExports.Abi;

/// <summary>Reads and checks a caller's session_message (on the calling thread) into an OutgoingMessage.</summary>
internal static unsafe class MessageOps
{
    private static readonly uint FirstLayoutBytes = (uint)sizeof(SessionMessageRecord);

    /// <summary>The message and its attachments (files are not read here: the client copies them).</summary>
    internal static (OutgoingMessage Message, List<AttachmentSource> Attachments) Read(SessionMessageRecord* record)
    {
        if (record == null) throw Errors.NullPointer("message");
        // This layout is session_message's first: a later library reads it with its appended members as 0.
        if (record->struct_size < FirstLayoutBytes)
            throw Errors.InvalidArgument("message.struct_size", $"session_message.struct_size must be at least {FirstLayoutBytes}");
        SessionMessageRecord copy = MessageRecords.Read(record, "message");
        SessionMessageRecord* m = &copy;
        var kind = (OutgoingKind)m->kind;
        if (!Enum.IsDefined(kind)) throw Errors.Unsupported("message.unknown_kind", $"unknown session_message_kind {m->kind}");
        var flags = (OutgoingFlags)m->flags;
        OutgoingFlags allowed = kind switch
        {
            OutgoingKind.Reaction => OutgoingFlags.Remove,
            OutgoingKind.Typing => OutgoingFlags.Stopped,
            _ => OutgoingFlags.None,
        };
        if ((flags & ~allowed) != 0) throw Errors.Unsupported("message.unknown_flags", $"flags 0x{m->flags:x} are not defined for this kind");
        if (m->text_len > SessionClient.MaxTextBytes)
            throw Errors.TooLarge("message.too_large", $"text is over {SessionClient.MaxTextBytes} bytes");
        bool receipt = kind == OutgoingKind.ReadReceipt;
        List<AttachmentSource> attachments = Attachments(m, kind);
        return (new OutgoingMessage(kind)
        {
            Text = receipt ? "" : Utf8.ReadSpan(m->text, m->text_len, "message.text"),
            Timestamps = receipt ? Timestamps(m->text, m->text_len) : [],
            RefTimestampMs = m->ref_timestamp_ms,
            RefAuthor = Optional(m->ref_author, "message.ref_author"),
            Emoji = Optional(m->emoji, "message.emoji"),
            ExpiryType = m->expiry_type,
            ExpirySeconds = m->expiry_seconds,
            Flags = flags,
        }, attachments);
    }

    private static List<AttachmentSource> Attachments(SessionMessageRecord* m, OutgoingKind kind)
    {
        var sources = new List<AttachmentSource>();
        if (m->attachment_count == 0) return sources;
        if (kind != OutgoingKind.Text || m->ref_timestamp_ms != 0 || m->ref_author != null || m->emoji != null || m->expiry_type != 0 || m->expiry_seconds != 0)
            throw Errors.Unsupported("message.attachments_with", "attachments go with a plain TEXT (not yet with a reply or a disappearing setting)");
        if (m->attachment_count > 32) throw Errors.TooLarge("attachment.too_many", "a message carries at most 32 attachments");
        if (m->attachments == null) throw Errors.NullPointer("message.attachments");
        // Records are the caller's sizeof(session_attachment_source) apart.
        uint stride = m->attachments->struct_size;
        if (stride < sizeof(uint)) throw Errors.InvalidArgument("abi.bad_struct_size", "set attachments[i].struct_size = sizeof(session_attachment_source)");
        for (nuint i = 0; i < m->attachment_count; i++)
            sources.Add(MessageRecords.Source((SessionAttachmentSourceRecord*)((byte*)m->attachments + stride * i), "attachments[i]"));
        return sources;
    }

    private static string? Optional(byte* p, string parameter) => p == null ? null : Utf8.ReadRequired(p, parameter);

    /// <summary>READ_RECEIPT's optional array of int64_t sent times in text.</summary>
    private static long[] Timestamps(byte* bytes, nuint length)
    {
        if (length == 0) return [];
        if (bytes == null) throw Errors.NullPointer("message.text");
        if (length % sizeof(long) != 0)
            throw Errors.InvalidArgument("message.bad_receipt", "a read receipt's text is an array of int64_t (text_len a multiple of 8)");
        return MemoryMarshal.Cast<byte, long>(new ReadOnlySpan<byte>(bytes, (int)length)).ToArray();
    }
}
