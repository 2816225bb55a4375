using Microsoft.Data.Sqlite;

namespace SessionInterop.LocalNet.Storage;

internal sealed record StoredMessage(long Id, int Namespace, string Hash, long Timestamp, long Expiry, byte[] Data);

// The messages of one node in one SQLite file, as each storage server keeps its own database:
// stores reach the other swarm members through Replication, so each member has its own insertion
// order (the row id), which last_hash and paging follow (SS database.cpp retrieve: rows after the
// last hash's id, ORDER BY id; an unknown hash lists from the start). Expired rows are invisible
// and purged on every write, through the expiry index the storage server has too (SS database.cpp
// messages_expiry; without it each purge scanned the whole table). One connection under a lock:
// LocalNet traffic is small.
internal sealed class MessageStore : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly Lock _lock = new();

    internal MessageStore(string path)
    {
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _db.Open();
        Execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS messages (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                account TEXT NOT NULL,
                namespace INTEGER NOT NULL,
                hash TEXT NOT NULL UNIQUE,
                timestamp INTEGER NOT NULL,
                expiry INTEGER NOT NULL,
                data BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS messages_by_account ON messages(account, namespace, id);
            CREATE INDEX IF NOT EXISTS messages_expiry ON messages(expiry);
            CREATE TABLE IF NOT EXISTS revoked (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                account TEXT NOT NULL,
                token BLOB NOT NULL,
                UNIQUE(account, token));
            """);
    }

    /// <summary>Stores a message; an existing hash keeps max(old, new) expiry and reports already=true.</summary>
    internal (bool Already, long Expiry) Store(string account, int ns, string hash, long timestamp, long expiry, byte[] data,
        bool replaceNamespace, long now)
    {
        lock (_lock)
        {
            Purge(now);
            using var tx = _db.BeginTransaction();
            long? existing = Scalar<long?>("SELECT expiry FROM messages WHERE hash = $h", ("$h", hash));
            if (existing is long old)
            {
                long kept = Math.Max(old, expiry);
                Execute("UPDATE messages SET expiry = $e WHERE hash = $h", ("$e", kept), ("$h", hash));
                tx.Commit();
                return (true, kept);
            }
            if (replaceNamespace)
                Execute("DELETE FROM messages WHERE account = $a AND namespace = $n", ("$a", account), ("$n", ns));
            Execute("INSERT INTO messages(account, namespace, hash, timestamp, expiry, data) VALUES ($a, $n, $h, $t, $e, $d)",
                ("$a", account), ("$n", ns), ("$h", hash), ("$t", timestamp), ("$e", expiry), ("$d", data));
            tx.Commit();
            return (false, expiry);
        }
    }

    /// <summary>Messages of (account, ns) after last_hash (from the start when it is unknown), in insertion order.</summary>
    internal List<StoredMessage> List(string account, int ns, string? lastHash, long now)
    {
        lock (_lock)
        {
            long after = 0;
            if (!string.IsNullOrEmpty(lastHash))
                after = Scalar<long?>("SELECT id FROM messages WHERE hash = $h AND account = $a AND namespace = $n",
                    ("$h", lastHash), ("$a", account), ("$n", ns)) ?? 0;
            return Query("SELECT id, namespace, hash, timestamp, expiry, data FROM messages WHERE account = $a AND namespace = $n AND id > $i AND expiry > $now ORDER BY id",
                ("$a", account), ("$n", ns), ("$i", after), ("$now", now));
        }
    }

    /// <summary>Live messages of an account, optionally in one namespace only.</summary>
    internal List<StoredMessage> All(string account, int? ns, long now)
    {
        lock (_lock)
        {
            return ns is int n
                ? Query("SELECT id, namespace, hash, timestamp, expiry, data FROM messages WHERE account = $a AND namespace = $n AND expiry > $now ORDER BY id", ("$a", account), ("$n", n), ("$now", now))
                : Query("SELECT id, namespace, hash, timestamp, expiry, data FROM messages WHERE account = $a AND expiry > $now ORDER BY id", ("$a", account), ("$now", now));
        }
    }

    internal void Delete(IEnumerable<StoredMessage> messages)
    {
        lock (_lock)
        {
            using var tx = _db.BeginTransaction();
            foreach (StoredMessage m in messages)
                Execute("DELETE FROM messages WHERE id = $i", ("$i", m.Id));
            tx.Commit();
        }
    }

    internal void SetExpiry(StoredMessage message, long expiry)
    {
        lock (_lock)
            Execute("UPDATE messages SET expiry = $e WHERE id = $i", ("$e", expiry), ("$i", message.Id));
    }

    /// <summary>Maximum revocations kept per account (SS MAX_SUBACCOUNT_TOKENS); the oldest go first.</summary>
    internal const int MaxRevocations = 50;

    internal void Revoke(string account, IEnumerable<byte[]> tokens)
    {
        lock (_lock)
        {
            using var tx = _db.BeginTransaction();
            foreach (byte[] token in tokens)
                Execute("INSERT OR IGNORE INTO revoked(account, token) VALUES ($a, $t)", ("$a", account), ("$t", token));
            Execute("DELETE FROM revoked WHERE account = $a AND id NOT IN (SELECT id FROM revoked WHERE account = $a ORDER BY id DESC LIMIT $n)",
                ("$a", account), ("$n", MaxRevocations));
            tx.Commit();
        }
    }

    /// <summary>Removes revocations; returns how many were removed.</summary>
    internal int Unrevoke(string account, IEnumerable<byte[]> tokens)
    {
        lock (_lock)
        {
            int removed = 0;
            foreach (byte[] token in tokens)
            {
                using SqliteCommand cmd = Command("DELETE FROM revoked WHERE account = $a AND token = $t", [("$a", account), ("$t", token)]);
                removed += cmd.ExecuteNonQuery();
            }
            return removed;
        }
    }

    internal bool IsRevoked(string account, byte[] token)
    {
        lock (_lock)
            return Scalar<long?>("SELECT id FROM revoked WHERE account = $a AND token = $t", ("$a", account), ("$t", token)) is not null;
    }

    internal List<byte[]> Revoked(string account)
    {
        lock (_lock)
        {
            using SqliteCommand cmd = Command("SELECT token FROM revoked WHERE account = $a ORDER BY id", [("$a", account)]);
            using SqliteDataReader r = cmd.ExecuteReader();
            var list = new List<byte[]>();
            while (r.Read()) list.Add((byte[])r.GetValue(0));
            return list;
        }
    }

    public void Dispose()
    {
        lock (_lock)
            _db.Dispose();
    }

    private void Purge(long now) => Execute("DELETE FROM messages WHERE expiry <= $now", ("$now", now));

    private SqliteCommand Command(string sql, (string Name, object Value)[] args)
    {
        SqliteCommand cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        foreach ((string name, object value) in args)
            cmd.Parameters.AddWithValue(name, value);
        return cmd;
    }

    private void Execute(string sql, params (string, object)[] args)
    {
        using SqliteCommand cmd = Command(sql, args);
        cmd.ExecuteNonQuery();
    }

    private T? Scalar<T>(string sql, params (string, object)[] args)
    {
        using SqliteCommand cmd = Command(sql, args);
        object? value = cmd.ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private List<StoredMessage> Query(string sql, params (string, object)[] args)
    {
        using SqliteCommand cmd = Command(sql, args);
        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<StoredMessage>();
        while (r.Read())
            list.Add(new StoredMessage(r.GetInt64(0), r.GetInt32(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), (byte[])r.GetValue(5)));
        return list;
    }
}
