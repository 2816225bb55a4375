using Microsoft.Data.Sqlite;

namespace SessionInterop.State;

/// <summary>A stored group: its status (0 invited, 1 joined, 2 left or removed), who invited us, its dump (opened).</summary>
internal sealed record StoredGroup(string Id, int Status, string Inviter, byte[] Dump, bool Responded);

// Closed groups (issue 17): one GroupState dump per group, sealed at rest (it holds the admin seed
// or the member's auth value), saved together with the poll cursors and events it produced.
internal sealed partial class StateStore
{
    public const int GroupInvited = 0, GroupJoined = 1, GroupGone = 2;

    private EventSealer GroupSealer => Sealer ?? throw Errors.BadStateData("state.no_sealer", "group state needs the identity's key");

    public IReadOnlyList<StoredGroup> Groups()
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "SELECT id, status, inviter, dump, responded FROM groups ORDER BY id");
            using SqliteDataReader r = cmd.ExecuteReader();
            var list = new List<StoredGroup>();
            while (r.Read()) list.Add(new StoredGroup(r.GetString(0), r.GetInt32(1), r.GetString(2), GroupSealer.Open((byte[])r[3]), r.GetInt64(4) != 0));
            return list;
        }
    }

    /// <summary>An invite: stored only when the group is not known yet (a repeated invite changes nothing). True when new.</summary>
    public bool AddInvitedGroup(string id, string inviter, byte[] dump)
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "INSERT OR IGNORE INTO groups (id, status, inviter, dump) VALUES ($i, 0, $v, $d)",
                ("$i", id), ("$v", inviter), ("$d", GroupSealer.Seal(dump)));
            return cmd.ExecuteNonQuery() == 1;
        }
    }

    /// <summary>Saves a group's state (insert or replace) with the events it produced, in one transaction.</summary>
    public void SaveGroup(StoredGroup group, IReadOnlyList<SessionEvent> events)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            UpsertGroup(tx, group);
            foreach (SessionEvent e in events) InsertEvent(tx, e);
            Commit(tx);
        }
    }

    public void DeleteGroup(string id)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            Execute(tx, "DELETE FROM groups WHERE id = $i", ("$i", id));
            Execute(tx, "DELETE FROM node_last_hash WHERE node LIKE $p", ("$p", id + ":%"));
            Commit(tx);
        }
    }

    /// <summary>
    /// One group poll, exactly once: the new state, the cursors moved at one swarm member, the seen
    /// keys of the messages it read and their events, in one transaction.
    /// </summary>
    public void SaveGroupPoll(StoredGroup group, string nodeKey, IReadOnlyDictionary<int, string> lastHashes,
        IReadOnlyList<(string Key, long ExpiresMs)> seen, IReadOnlyList<SessionEvent> events, long nowMs)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            UpsertGroup(tx, group);
            foreach (var (ns, hash) in lastHashes) UpsertLastHash(tx, nodeKey, ns, hash, nowMs);
            foreach (var (key, expires) in seen)
                Execute(tx, "INSERT OR IGNORE INTO seen (dedup_key, expires_ms) VALUES ($k, $e)", ("$k", key), ("$e", expires));
            foreach (SessionEvent e in events)
            {
                InsertEvent(tx, e);
                Execute(tx, "INSERT INTO conversations (id, last_activity_ms) VALUES ($c, $t) ON CONFLICT(id) DO UPDATE SET last_activity_ms = max(last_activity_ms, $t)",
                    ("$c", e.Conversation), ("$t", e.TimestampMs));
            }
            Commit(tx);
        }
    }

    private void UpsertGroup(SqliteTransaction tx, StoredGroup g) =>
        Execute(tx, """
            INSERT INTO groups (id, status, inviter, dump, responded) VALUES ($i, $s, $v, $d, $r)
            ON CONFLICT(id) DO UPDATE SET status = $s, inviter = $v, dump = $d, responded = $r
            """, ("$i", g.Id), ("$s", g.Status), ("$v", g.Inviter), ("$d", GroupSealer.Seal(g.Dump)), ("$r", g.Responded ? 1 : 0));
}
