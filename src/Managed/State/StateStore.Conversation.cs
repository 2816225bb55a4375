using System.Text;
using Microsoft.Data.Sqlite;

namespace SessionInterop.State;

/// <summary>A profile carried by a received message, and the PROFILE event to raise when it is news.</summary>
/// <param name="SessionId">Whose profile.</param>
/// <param name="Name">The display name it carries.</param>
/// <param name="UpdatedSeconds">Its lastProfileUpdateSeconds (0 when the sender did not say).</param>
/// <param name="Event">The PROFILE event.</param>
internal sealed record ProfileSeen(string SessionId, string Name, long UpdatedSeconds, SessionEvent Event);

/// <summary>A sent message's copy in our own swarm: unsend deletes it, after-read expiry shortens it.</summary>
internal sealed record OwnCopy(string Conversation, long TimestampMs, string Hash, long ExpiresMs);

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

    /// <summary>Remembers where a sent message's own-swarm copy is (replacing an older record of it).</summary>
    public void SaveOwnCopy(OwnCopy copy)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            Execute(tx, "INSERT OR REPLACE INTO own_copies (conversation, timestamp_ms, hash, expires_ms) VALUES ($c, $t, $h, $e)",
                ("$c", copy.Conversation), ("$t", copy.TimestampMs), ("$h", copy.Hash), ("$e", copy.ExpiresMs));
            Commit(tx);
        }
    }

    /// <summary>The own-swarm copy of our message sent at timestampMs, when we stored one that has not expired.</summary>
    public OwnCopy? FindOwnCopy(long timestampMs, long nowMs)
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "SELECT conversation, timestamp_ms, hash, expires_ms FROM own_copies WHERE timestamp_ms = $t AND expires_ms > $n",
                ("$t", timestampMs), ("$n", nowMs));
            using SqliteDataReader r = cmd.ExecuteReader();
            return r.Read() ? new OwnCopy(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetInt64(3)) : null;
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
