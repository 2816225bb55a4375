using System.Runtime.InteropServices;
using SessionInterop.Client;

namespace SessionInterop.NativeExports.Abi;

/// <summary>Reads and checks a caller's session_message (on the calling thread) into an OutgoingMessage.</summary>
internal static unsafe class MessageOps
{
    internal static OutgoingMessage Read(SessionMessageRecord* m)
    {
        if (m->struct_size < (uint)sizeof(SessionMessageRecord))
            throw Errors.InvalidArgument("message.struct_size", $"session_message.struct_size must be at least {sizeof(SessionMessageRecord)}");
        if (m->attachment_count != 0)
            throw Errors.Unsupported("message.attachments", "this library version sends no attachments (attachment_count must be 0)");
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
        return new OutgoingMessage(kind)
        {
            Text = receipt ? "" : Utf8.ReadSpan(m->text, m->text_len, "message.text"),
            Timestamps = receipt ? Timestamps(m->text, m->text_len) : [],
            RefTimestampMs = m->ref_timestamp_ms,
            RefAuthor = Optional(m->ref_author, "message.ref_author"),
            Emoji = Optional(m->emoji, "message.emoji"),
            ExpiryType = m->expiry_type,
            ExpirySeconds = m->expiry_seconds,
            Flags = flags,
        };
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
