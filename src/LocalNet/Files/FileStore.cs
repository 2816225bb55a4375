using Microsoft.Data.Sqlite;

namespace SessionInterop.LocalNet.Files;

/// <summary>One stored file's metadata (seconds since the epoch, as the server reports them).</summary>
internal sealed record FileInfoRow(string Id, long Size, double Uploaded, double Expires);

/// <summary>
/// The file server's state in one SQLite file (data dir/files.db): id, bytes, upload and expiry
/// times. Expired rows are deleted before every read, as the real server's cleanup job deletes
/// them (so an expired id is simply unknown: 404). One connection under a lock.
/// </summary>
internal sealed class FileStore : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly Lock _lock = new();

    internal FileStore(string path)
    {
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _db.Open();
        Execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS files (id TEXT PRIMARY KEY, data BLOB NOT NULL, uploaded REAL NOT NULL, expiry REAL NOT NULL);
            """);
    }

    /// <summary>
    /// Stores a file. For an id already there (the same content, ids being content hashes) only the
    /// upload and expiry times are refreshed, unless <paramref name="replace"/> (the admin placement).
    /// </summary>
    internal void Put(string id, byte[] data, double now, double expiry, bool replace = false)
    {
        lock (_lock)
            Execute($"""
                INSERT INTO files (id, data, uploaded, expiry) VALUES ($id, $data, $now, $expiry)
                ON CONFLICT(id) DO UPDATE SET uploaded = $now, expiry = $expiry{(replace ? ", data = $data" : "")}
                """, ("$id", id), ("$data", data), ("$now", now), ("$expiry", expiry));
    }

    internal byte[]? Get(string id, double now)
    {
        lock (_lock)
        {
            Purge(now);
            using SqliteCommand cmd = Command("SELECT data FROM files WHERE id = $id", ("$id", id));
            return cmd.ExecuteScalar() as byte[];
        }
    }

    internal FileInfoRow? Info(string id, double now)
    {
        lock (_lock)
        {
            Purge(now);
            using SqliteCommand cmd = Command("SELECT length(data), uploaded, expiry FROM files WHERE id = $id", ("$id", id));
            using SqliteDataReader r = cmd.ExecuteReader();
            return r.Read() ? new FileInfoRow(id, r.GetInt64(0), r.GetDouble(1), r.GetDouble(2)) : null;
        }
    }

    /// <summary>Moves an existing file's expiry to <paramref name="expiry"/> (never earlier); null when unknown.</summary>
    internal FileInfoRow? Extend(string id, double now, double expiry)
    {
        lock (_lock)
        {
            Purge(now);
            Execute("UPDATE files SET expiry = max(expiry, $expiry) WHERE id = $id", ("$id", id), ("$expiry", expiry));
        }
        return Info(id, now);
    }

    /// <summary>Expires a file now (admin switch for tests of expired attachments).</summary>
    internal bool Expire(string id)
    {
        lock (_lock)
        {
            using SqliteCommand cmd = Command("DELETE FROM files WHERE id = $id", ("$id", id));
            return cmd.ExecuteNonQuery() > 0;
        }
    }

    private void Purge(double now) => Execute("DELETE FROM files WHERE expiry <= $now", ("$now", now));

    private void Execute(string sql, params (string Name, object Value)[] args)
    {
        using SqliteCommand cmd = Command(sql, args);
        cmd.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, params (string Name, object Value)[] args)
    {
        SqliteCommand cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        return cmd;
    }

    public void Dispose() => _db.Dispose();
}
