using Microsoft.Data.Sqlite;

namespace SessionInterop.State;

// Config sync state: each user config's dump and, per swarm member, each config namespace's last
// retrieved hash (node_last_hash), saved together with the CONFIG_CHANGED events they caused, so a restart neither re-downloads
// everything nor loses or repeats a change.
internal sealed partial class StateStore
{
    /// <summary>Stored dumps by namespace.</summary>
    public IReadOnlyDictionary<int, byte[]> ConfigDumps()
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "SELECT namespace, dump FROM config_dumps");
            using SqliteDataReader r = cmd.ExecuteReader();
            var result = new Dictionary<int, byte[]>();
            while (r.Read()) result[r.GetInt32(0)] = (byte[])r[1];
            return result;
        }
    }

    /// <summary>
    /// Saves changed dumps, the cursors moved at swarm member <paramref name="node"/> (in the
    /// per-member last-hash table the inbox uses) and the events they produced in one transaction.
    /// </summary>
    public void SaveConfigState(IReadOnlyDictionary<int, byte[]> dumps, string node, IReadOnlyDictionary<int, string> lastHashes,
        IReadOnlyList<SessionEvent> events, long nowMs)
    {
        if (dumps.Count == 0 && lastHashes.Count == 0 && events.Count == 0) return;
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            foreach (var (ns, dump) in dumps)
                Execute(tx, "INSERT INTO config_dumps (namespace, dump) VALUES ($n, $d) ON CONFLICT(namespace) DO UPDATE SET dump = $d", ("$n", ns), ("$d", dump));
            foreach (var (ns, hash) in lastHashes) UpsertLastHash(tx, node, ns, hash, nowMs);
            foreach (SessionEvent e in events) InsertEvent(tx, e);
            Commit(tx);
        }
    }
}
