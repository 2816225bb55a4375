using System.Text;
using Microsoft.Data.Sqlite;

namespace SessionInterop.State;

/// <summary>A profile carried by a received message, and the PROFILE event to raise when it is news.</summary>
/// <param name="SessionId">Whose profile.</param>
/// <param name="Name">The display name it carries.</param>
/// <param name="UpdatedSeconds">Its lastProfileUpdateSeconds (0 when the sender did not say).</param>
/// <param name="Event">The PROFILE event.</param>
internal sealed record ProfileSeen(string SessionId, string Name, long UpdatedSeconds, SessionEvent Event);

/// <summary>
/// A message in our own swarm: the sync copy of one we sent (unsend deletes it) or one we received;
/// AfterReadSeconds &gt; 0 when reading it starts its disappearing timer.
/// </summary>
internal sealed record OwnCopy(string Conversation, long TimestampMs, string Hash, long ExpiresMs, long AfterReadSeconds);

// Chat state (issue 14): profiles last seen per sender, and the own-swarm copies of our sent messages.
internal sealed partial class StateStore
{
    /// <summary>
    /// Stores a received profile when it is news: a different name with an update time not older
    /// than the one kept (desktop ignores profile data older than what it has; senders that give no
    /// time count as "now"). True when stored.
    /// </summary>
    private bool UpdateProfile(SqliteTransaction tx, ProfileSeen profile)
    {
        using (SqliteCommand cmd = Command(tx, "SELECT name, updated_s FROM profiles WHERE session_id = $id", ("$id", profile.SessionId)))
        using (SqliteDataReader r = cmd.ExecuteReader())
        {
            if (r.Read())
            {
                long keptSeconds = r.GetInt64(1);
                if (profile.UpdatedSeconds != 0 && profile.UpdatedSeconds < keptSeconds) return false;
                byte[] kept = (byte[])r[0];
                if (Encoding.UTF8.GetString(Sealer is { } s ? s.Open(kept) : kept) == profile.Name) return false;
            }
        }
        Execute(tx, "INSERT INTO profiles (session_id, name, updated_s) VALUES ($id, $n, $u) ON CONFLICT(session_id) DO UPDATE SET name = $n, updated_s = max(updated_s, $u)",
            ("$id", profile.SessionId), ("$n", SealStored(Encoding.UTF8.GetBytes(profile.Name))), ("$u", profile.UpdatedSeconds));
        return true;
    }

    /// <summary>
    /// When our display name last changed (Unix s), sent as lastProfileUpdateSeconds; the first
    /// call on an identity that never recorded one records <paramref name="nowSeconds"/>.
    /// </summary>
    public long ProfileUpdatedSeconds(long nowSeconds)
    {
        lock (_gate)
        {
            if (GetMeta("profile_updated_s") is { Length: 8 } stored) return BitConverter.ToInt64(stored);
            SetProfileUpdated(nowSeconds);
            return nowSeconds;
        }
    }

    /// <summary>Records that our display name changed now.</summary>
    public void SetProfileUpdated(long nowSeconds)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            SetMeta(tx, "profile_updated_s", BitConverter.GetBytes(nowSeconds));
            Commit(tx);
        }
    }

    /// <summary>Marks a de-duplication key seen (our own sent message: its sync copy is not news to this device).</summary>
    public void MarkSeen(string dedupKey, long expiresMs)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            Execute(tx, "INSERT OR IGNORE INTO seen (dedup_key, expires_ms) VALUES ($k, $e)", ("$k", dedupKey), ("$e", expiresMs));
            Commit(tx);
        }
    }

    /// <summary>Remembers where a sent message's own-swarm copy is (replacing an older record of it).</summary>
    public void SaveOwnCopy(OwnCopy copy)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            Execute(tx, "INSERT OR REPLACE INTO own_copies (conversation, timestamp_ms, hash, expires_ms, after_read_s) VALUES ($c, $t, $h, $e, $a)",
                ("$c", copy.Conversation), ("$t", copy.TimestampMs), ("$h", copy.Hash), ("$e", copy.ExpiresMs), ("$a", copy.AfterReadSeconds));
            Commit(tx);
        }
    }

    /// <summary>The message of a conversation sent at timestampMs that is in our own swarm and not yet expired.</summary>
    public OwnCopy? FindOwnCopy(string conversation, long timestampMs, long nowMs)
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "SELECT conversation, timestamp_ms, hash, expires_ms, after_read_s FROM own_copies WHERE conversation = $c AND timestamp_ms = $t AND expires_ms > $n",
                ("$c", conversation), ("$t", timestampMs), ("$n", nowMs));
            using SqliteDataReader r = cmd.ExecuteReader();
            return r.Read() ? new OwnCopy(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4)) : null;
        }
    }

    /// <summary>The after-read messages of a conversation sent up to timestampMs whose timers have not started.</summary>
    public IReadOnlyList<OwnCopy> UnreadAfterRead(string conversation, long timestampMs, long nowMs)
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "SELECT conversation, timestamp_ms, hash, expires_ms, after_read_s FROM own_copies WHERE conversation = $c AND timestamp_ms <= $t AND after_read_s > 0 AND expires_ms > $n",
                ("$c", conversation), ("$t", timestampMs), ("$n", nowMs));
            using SqliteDataReader r = cmd.ExecuteReader();
            var list = new List<OwnCopy>();
            while (r.Read()) list.Add(new OwnCopy(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4)));
            return list;
        }
    }

    /// <summary>Completes an internal outbox row (no REQUEST_DONE: the app never saw its id).</summary>
    public bool CompleteSilently(ulong requestId)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            bool removed = Execute(tx, "DELETE FROM outbox WHERE request_id = $id", ("$id", (long)requestId)) == 1;
            Commit(tx);
            return removed;
        }
    }

    /// <summary>Forgets own copies that have expired on the network anyway (housekeeping).</summary>
    public int PruneOwnCopies(long nowMs)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            int n = Execute(tx, "DELETE FROM own_copies WHERE expires_ms <= $n", ("$n", nowMs));
            Commit(tx);
            return n;
        }
    }
}
