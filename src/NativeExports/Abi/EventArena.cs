using System.Runtime.InteropServices;
using System.Text;
using SessionInterop.State;

namespace SessionInterop.NativeExports.Abi;

/// <summary>
/// Native memory for one batch of events: the records and their NUL-terminated strings, in one block
/// that is wiped when the next batch is taken and reused for it (grown when a batch needs more), and
/// freed with the client. No pinning, no GC, and no malloc/free per frame.
/// </summary>
internal sealed unsafe class EventArena : IDisposable
{
    private const nuint InitialCapacity = 16 * 1024;
    private byte* _block;
    private nuint _capacity;
    private nuint _size;   // bytes of the current batch (zero beyond it)
    private int _count;

    internal int Count => _count;

    internal SessionEventRecord* this[int index] => (SessionEventRecord*)_block + index;

    /// <summary>Replaces the current batch with these events.</summary>
    internal void Fill(List<SessionEvent> events)   // a List, indexed: no boxed enumerator per poll
    {
        Clear();
        if (events.Count == 0) return;
        nuint records = (nuint)(sizeof(SessionEventRecord) * events.Count);
        nuint strings = 0;
        for (int i = 0; i < events.Count; i++) strings += StringBytes(events[i]) + AttachmentBytes(events[i]);
        _size = records + strings;
        EnsureCapacity(_size);
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
            State.Stored.EventDetails d = e.Details;
            r->ref_timestamp_ms = d.RefTimestampMs;
            r->ref_author = Put(d.RefAuthor, ref cursor);
            r->ref_text = Put(d.RefText, ref cursor);
            r->emoji = Put(d.Emoji, ref cursor);
            r->display_name = Put(d.DisplayName, ref cursor);
            r->expiry_type = d.ExpiryType;
            r->expiry_seconds = d.ExpirySeconds;
            PutAttachments(e, r, ref cursor);
        }
    }

    /// <summary>Ends the current batch: its bytes are wiped (message text is plaintext), the block is kept.</summary>
    internal void Clear()
    {
        if (_size > 0) Interop.LibSodium.sodium_memzero(_block, _size);
        _size = 0;
        _count = 0;
        if (_capacity > MaxKeptCapacity) Dispose();   // one huge batch (a long text) is not kept for life
    }

    private const nuint MaxKeptCapacity = 1024 * 1024;

    public void Dispose()
    {
        if (_size > 0) Interop.LibSodium.sodium_memzero(_block, _size);
        _size = 0;
        _count = 0;
        if (_block != null) NativeMemory.Free(_block);
        _block = null;
        _capacity = 0;
    }

    // The block is all zero outside the current batch (Clear wipes what a batch used), so records
    // start zeroed, as the ABI's appended fields expect.
    private void EnsureCapacity(nuint needed)
    {
        if (needed <= _capacity) return;
        nuint capacity = Math.Max(InitialCapacity, _capacity);
        while (capacity < needed) capacity *= 2;
        if (_block != null) NativeMemory.Free(_block);   // all zero: nothing to wipe
        _block = (byte*)NativeMemory.AllocZeroed(capacity);
        _capacity = capacity;
    }

    private static nuint StringBytes(SessionEvent e) =>
        (nuint)(Encoding.UTF8.GetByteCount(e.Conversation) + Encoding.UTF8.GetByteCount(e.Sender)
              + Encoding.UTF8.GetByteCount(e.MessageId) + e.Text.Length + Encoding.UTF8.GetByteCount(e.ErrorCode) + 5
              + Encoding.UTF8.GetByteCount(e.Details.RefAuthor) + Encoding.UTF8.GetByteCount(e.Details.RefText)
              + Encoding.UTF8.GetByteCount(e.Details.Emoji) + Encoding.UTF8.GetByteCount(e.Details.DisplayName) + 4);

    // Attachments: the records (8-byte aligned, after the strings of their event), then their strings and keys.
    private static IEnumerable<Attachment> AllAttachments(SessionEvent e) =>
        e.Avatar is { } avatar ? e.Attachments.Append(avatar) : e.Attachments;

    // Most events carry none: checked on the stored details, without building Attachment objects (a drain allocates nothing).
    private static bool HasAttachments(SessionEvent e) => e.Details.Attachments.Count > 0 || e.Details.Avatar is not null;

    private static nuint AttachmentBytes(SessionEvent e)
    {
        if (!HasAttachments(e)) return 0;
        nuint total = 0;
        foreach (Attachment a in AllAttachments(e))
            total += (nuint)(sizeof(SessionAttachmentRecord) + Encoding.UTF8.GetByteCount(a.Url) + Encoding.UTF8.GetByteCount(a.Id)
                + Encoding.UTF8.GetByteCount(a.ContentType) + Encoding.UTF8.GetByteCount(a.FileName) + a.Key.Length + a.Digest.Length + 6);
        return total == 0 ? 0 : total + 8;
    }

    private static void PutAttachments(SessionEvent e, SessionEventRecord* r, ref byte* cursor)
    {
        if (!HasAttachments(e)) return;
        List<Attachment> all = AllAttachments(e).ToList();
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
