using System.Runtime.InteropServices;
using System.Text;
using SessionInterop.State;

namespace SessionInterop.NativeExports.Abi;

/// <summary>
/// Native memory for one batch of events: the records and their NUL-terminated strings, allocated
/// together and freed when the next batch is taken (or the client is freed). No pinning, no GC.
/// </summary>
internal sealed unsafe class EventArena : IDisposable
{
    private byte* _block;
    private nuint _size;
    private int _count;

    internal int Count => _count;

    internal SessionEventRecord* this[int index] => (SessionEventRecord*)_block + index;

    /// <summary>Replaces the current batch with these events.</summary>
    internal void Fill(IReadOnlyList<SessionEvent> events)
    {
        Clear();
        if (events.Count == 0) return;
        nuint records = (nuint)(sizeof(SessionEventRecord) * events.Count);
        nuint strings = 0;
        foreach (SessionEvent e in events) strings += StringBytes(e) + AttachmentBytes(e);
        _size = records + strings;
        _block = (byte*)NativeMemory.AllocZeroed(_size);
        _count = events.Count;
        byte* cursor = _block + records;
        for (int i = 0; i < events.Count; i++)
        {
            SessionEvent e = events[i];
            SessionEventRecord* r = this[i];
            r->struct_size = (uint)sizeof(SessionEventRecord);
            r->type = (int)e.Type;
            r->request_id = e.RequestId;
            r->status = (int)e.Status;
            r->timestamp_ms = e.TimestampMs;
            r->value = e.Value;
            r->flags = e.Flags;
            r->conversation = Put(e.Conversation, ref cursor);
            r->sender = Put(e.Sender, ref cursor);
            r->message_id = Put(e.MessageId, ref cursor);
            r->text = Put(e.Text, ref cursor);
            r->error_code = Put(e.ErrorCode, ref cursor);
            r->data = new SessionBytes { data = cursor - 1, len = 0 }; // empty but never NULL
            PutAttachments(e, r, ref cursor);
        }
    }

    internal void Clear()
    {
        // Message text is plaintext: wipe it rather than leave it in freed memory.
        if (_block != null)
        {
            Interop.LibSodium.sodium_memzero(_block, _size);
            NativeMemory.Free(_block);
        }
        _block = null;
        _size = 0;
        _count = 0;
    }

    public void Dispose() => Clear();

    private static nuint StringBytes(SessionEvent e) =>
        (nuint)(Encoding.UTF8.GetByteCount(e.Conversation) + Encoding.UTF8.GetByteCount(e.Sender)
              + Encoding.UTF8.GetByteCount(e.MessageId) + e.Text.Length + Encoding.UTF8.GetByteCount(e.ErrorCode) + 5);

    // Attachments: the records (8-byte aligned, after the strings of their event), then their strings and keys.
    private static IEnumerable<Attachment> AllAttachments(SessionEvent e) =>
        e.Avatar is { } avatar ? e.Attachments.Append(avatar) : e.Attachments;

    private static nuint AttachmentBytes(SessionEvent e)
    {
        nuint total = 0;
        foreach (Attachment a in AllAttachments(e))
            total += (nuint)(sizeof(SessionAttachmentRecord) + Encoding.UTF8.GetByteCount(a.Url) + Encoding.UTF8.GetByteCount(a.Id)
                + Encoding.UTF8.GetByteCount(a.ContentType) + Encoding.UTF8.GetByteCount(a.FileName) + a.Key.Length + a.Digest.Length + 6);
        return total == 0 ? 0 : total + 8;
    }

    private static void PutAttachments(SessionEvent e, SessionEventRecord* r, ref byte* cursor)
    {
        List<Attachment> all = AllAttachments(e).ToList();
        if (all.Count == 0) return;
        cursor = (byte*)(((nuint)cursor + 7) & ~(nuint)7);
        var records = (SessionAttachmentRecord*)cursor;
        cursor += sizeof(SessionAttachmentRecord) * all.Count;
        for (int i = 0; i < all.Count; i++)
        {
            Attachment a = all[i];
            SessionAttachmentRecord* x = records + i;
            x->struct_size = (uint)sizeof(SessionAttachmentRecord);
            x->flags = a.Flags;
            x->url = Put(a.Url, ref cursor);
            x->id = Put(a.Id, ref cursor);
            x->content_type = Put(a.ContentType, ref cursor);
            x->file_name = Put(a.FileName, ref cursor);
            x->size = (ulong)a.Size;
            x->width = (uint)a.Width;
            x->height = (uint)a.Height;
            SessionStr key = Put(a.Key.ToArray(), ref cursor), digest = Put(a.Digest.ToArray(), ref cursor);
            x->key = new SessionBytes { data = (byte*)key.data, len = key.len };
            x->digest = new SessionBytes { data = (byte*)digest.data, len = digest.len };
            x->is_avatar = a.IsAvatar ? 1 : 0;
        }
        int count = e.Attachments.Count;
        r->attachments = count > 0 ? records : null;
        r->attachment_count = (nuint)count;
        r->avatar = e.Avatar is not null ? records + count : null;
    }

    private static SessionStr Put(string text, ref byte* cursor)
    {
        int n = Encoding.UTF8.GetBytes(text, new Span<byte>(cursor, int.MaxValue));
        return Advance(n, ref cursor);
    }

    private static SessionStr Put(byte[] bytes, ref byte* cursor)
    {
        bytes.CopyTo(new Span<byte>(cursor, bytes.Length));
        return Advance(bytes.Length, ref cursor);
    }

    private static SessionStr Advance(int length, ref byte* cursor)
    {
        var s = new SessionStr { data = cursor, len = (nuint)length };
        cursor[length] = 0;
        cursor += length + 1;
        return s;
    }
}
