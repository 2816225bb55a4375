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
        foreach (SessionEvent e in events) strings += StringBytes(e);
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
            State.Stored.EventDetails d = e.Details;
            r->ref_timestamp_ms = d.RefTimestampMs;
            r->ref_author = Put(d.RefAuthor, ref cursor);
            r->ref_text = Put(d.RefText, ref cursor);
            r->emoji = Put(d.Emoji, ref cursor);
            r->display_name = Put(d.DisplayName, ref cursor);
            r->expiry_type = d.ExpiryType;
            r->expiry_seconds = d.ExpirySeconds;
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
              + Encoding.UTF8.GetByteCount(e.MessageId) + e.Text.Length + Encoding.UTF8.GetByteCount(e.ErrorCode) + 5
              + Encoding.UTF8.GetByteCount(e.Details.RefAuthor) + Encoding.UTF8.GetByteCount(e.Details.RefText)
              + Encoding.UTF8.GetByteCount(e.Details.Emoji) + Encoding.UTF8.GetByteCount(e.Details.DisplayName) + 4);

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
