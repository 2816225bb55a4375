namespace SessionInterop.State;

// Attachment work lives in outbox rows whose payload records its progress (uploads done, message
// encoded), so a restart resumes where it was instead of uploading again.
internal sealed partial class StateStore
{
    /// <summary>
    /// Queues background work that is not a message (a download, an avatar upload) as an outbox
    /// row, so it is retried and completed like a send; it is not a conversation.
    /// </summary>
    public ulong EnqueueWork(string destination, int kind, byte[] payload, long timestampMs, long nowMs)
    {
        lock (_gate)
        {
            using Microsoft.Data.Sqlite.SqliteTransaction tx = Begin();
            ulong id = AllocateRequestId(tx);
            Execute(tx, "INSERT INTO outbox (request_id, destination, kind, payload, timestamp_ms, next_attempt_ms) VALUES ($id, $d, $k, $p, $t, $n)",
                ("$id", (long)id), ("$d", destination), ("$k", kind), ("$p", payload), ("$t", timestampMs), ("$n", nowMs));
            Commit(tx);
            return id;
        }
    }

    /// <summary>Replaces an outbox row's payload (its progress); false when the row is gone.</summary>
    public bool UpdateOutboxPayload(ulong requestId, byte[] payload)
    {
        lock (_gate)
            return Execute(null, "UPDATE outbox SET payload = $p WHERE request_id = $id", ("$p", payload), ("$id", (long)requestId)) == 1;
    }
}
