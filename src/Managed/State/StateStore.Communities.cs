using Microsoft.Data.Sqlite;

namespace SessionInterop.State;

// Joined communities and their cursors. A cursor moves in the same transaction as the events it
// produced, so a restart neither repeats nor loses a message.
internal sealed partial class StateStore
{
    /// <summary>Adds a joined room (idempotent); true when it was new.</summary>
    public bool AddCommunity(string id, string server, long nowMs)
    {
        lock (_gate)
            return Execute(null, "INSERT OR IGNORE INTO communities (id, server, joined_ms) VALUES ($i, $s, $t)", ("$i", id), ("$s", server), ("$t", nowMs)) == 1;
    }

    /// <summary>Forgets a joined room; true when it was joined.</summary>
    public bool RemoveCommunity(string id)
    {
        lock (_gate) return Execute(null, "DELETE FROM communities WHERE id = $i", ("$i", id)) == 1;
    }

    /// <summary>Joined rooms with their last seen seqno.</summary>
    public IReadOnlyList<(string Id, string Server, long Seqno)> Communities()
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "SELECT id, server, seqno FROM communities ORDER BY id");
            using SqliteDataReader r = cmd.ExecuteReader();
            var list = new List<(string, string, long)>();
            while (r.Read()) list.Add((r.GetString(0), r.GetString(1), r.GetInt64(2)));
            return list;
        }
    }

    /// <summary>The last blinded-DM inbox id seen on a server (0 = none).</summary>
    public long CommunityInboxCursor(string server)
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "SELECT last_id FROM community_inbox WHERE server = $s", ("$s", server));
            return cmd.ExecuteScalar() is long v ? v : 0;
        }
    }

    /// <summary>
    /// Records one room item (or inbox item when <paramref name="inboxServer"/> is set) in one
    /// transaction: marks <paramref name="seenKey"/> seen until <paramref name="seenUntilMs"/> (when given), asks <paramref name="eventFor"/> for the
    /// event given whether the key was new (null = none), queues it and moves the cursor forward.
    /// Returns true when an event was queued.
    /// </summary>
    public bool RecordCommunityItem(string? communityId, string? inboxServer, long cursor, string? seenKey, long seenUntilMs,
        Func<bool, SessionEvent?> eventFor, string? contentKey = null)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            bool fresh = seenKey is not null
                && Execute(tx, "INSERT OR IGNORE INTO seen (dedup_key, expires_ms) VALUES ($k, $e)", ("$k", seenKey), ("$e", seenUntilMs)) == 1;
            // A new item id whose signed content we already have is a second copy (a sender that
            // retried after an unknown outcome): the server gave it a new id, the app sees it once.
            bool copy = fresh && contentKey is not null
                && Execute(tx, "INSERT OR IGNORE INTO seen (dedup_key, expires_ms) VALUES ($k, $e)", ("$k", contentKey), ("$e", seenUntilMs)) == 0;
            SessionEvent? e = copy ? null : eventFor(fresh);
            if (e is not null)
            {
                InsertEvent(tx, e);
                Execute(tx, "INSERT INTO conversations (id, last_activity_ms) VALUES ($c, $t) ON CONFLICT(id) DO UPDATE SET last_activity_ms = max(last_activity_ms, $t)",
                    ("$c", e.Conversation), ("$t", e.TimestampMs));
            }
            if (communityId is not null)
                Execute(tx, "UPDATE communities SET seqno = max(seqno, $q) WHERE id = $i", ("$q", cursor), ("$i", communityId));
            if (inboxServer is not null)
                Execute(tx, "INSERT INTO community_inbox (server, last_id) VALUES ($s, $q) ON CONFLICT(server) DO UPDATE SET last_id = max(last_id, $q)",
                    ("$s", inboxServer), ("$q", cursor));
            Commit(tx);
            return e is not null;
        }
    }
}
