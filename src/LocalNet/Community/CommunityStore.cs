using Microsoft.Data.Sqlite;

namespace SessionInterop.LocalNet.Community;

internal sealed record RoomRow(string Token, string Name, long InfoUpdates, long MessageSequence, double Created, bool DefaultRead, bool DefaultWrite, bool DefaultUpload);

internal sealed record MessageRow(long Id, string SessionId, double Posted, double? Edited, long Seqno, byte[]? Data, byte[]? Signature);

internal sealed record InboxRow(long Id, double PostedAt, double ExpiresAt, string Sender, string Recipient, byte[] Message);

/// <summary>
/// The community server's state in one SQLite file (data dir/community.db): rooms, users (bans),
/// per-room permission overrides, request nonces, messages with their per-room sequence numbers,
/// blinded DMs and uploaded files. One connection under a lock, as MessageStore.
/// </summary>
internal sealed class CommunityStore : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly Lock _lock = new();

    internal CommunityStore(string path)
    {
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _db.Open();
        Execute("""
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS rooms (
                token TEXT PRIMARY KEY, name TEXT NOT NULL, info_updates INTEGER NOT NULL DEFAULT 0,
                message_sequence INTEGER NOT NULL DEFAULT 0, created REAL NOT NULL,
                default_read INTEGER NOT NULL DEFAULT 1, default_write INTEGER NOT NULL DEFAULT 1, default_upload INTEGER NOT NULL DEFAULT 1);
            CREATE TABLE IF NOT EXISTS users (session_id TEXT PRIMARY KEY, banned INTEGER NOT NULL DEFAULT 0, last_post REAL NOT NULL DEFAULT 0);
            CREATE TABLE IF NOT EXISTS permissions (
                room TEXT NOT NULL, session_id TEXT NOT NULL, read INTEGER, write INTEGER, upload INTEGER, banned INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (room, session_id));
            CREATE TABLE IF NOT EXISTS nonces (session_id TEXT NOT NULL, nonce BLOB NOT NULL, at REAL NOT NULL, PRIMARY KEY (session_id, nonce));
            CREATE TABLE IF NOT EXISTS messages (
                id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, session_id TEXT NOT NULL, posted REAL NOT NULL,
                edited REAL, seqno INTEGER NOT NULL, data BLOB, signature BLOB);
            CREATE INDEX IF NOT EXISTS messages_by_seqno ON messages(room, seqno);
            CREATE TABLE IF NOT EXISTS posts (session_id TEXT NOT NULL, room TEXT NOT NULL, at REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS inbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT, sender TEXT NOT NULL, recipient TEXT NOT NULL,
                posted_at REAL NOT NULL, expires_at REAL NOT NULL, message BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS files (
                id INTEGER PRIMARY KEY AUTOINCREMENT, room TEXT NOT NULL, uploader TEXT NOT NULL, data BLOB NOT NULL,
                filename TEXT, uploaded REAL NOT NULL, expires REAL NOT NULL);
            """);
    }

    // ------------------------------------------------------------------ rooms

    internal void EnsureRoom(string token, double now)
    {
        lock (_lock)
            Execute("INSERT OR IGNORE INTO rooms (token, name, created) VALUES ($t, $t, $c)", ("$t", token), ("$c", now));
    }

    internal IReadOnlyList<RoomRow> Rooms()
    {
        lock (_lock) return Query("SELECT token, name, info_updates, message_sequence, created, default_read, default_write, default_upload FROM rooms ORDER BY token", ReadRoom);
    }

    internal RoomRow? Room(string token)
    {
        lock (_lock) return Query("SELECT token, name, info_updates, message_sequence, created, default_read, default_write, default_upload FROM rooms WHERE token = $t", ReadRoom, ("$t", token)).FirstOrDefault();
    }

    internal void SetRoomDefaults(string token, bool read, bool write, bool upload)
    {
        lock (_lock)
            Execute("UPDATE rooms SET default_read = $r, default_write = $w, default_upload = $u, info_updates = info_updates + 1 WHERE token = $t",
                ("$r", read), ("$w", write), ("$u", upload), ("$t", token));
    }

    private static RoomRow ReadRoom(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetDouble(4), r.GetInt64(5) != 0, r.GetInt64(6) != 0, r.GetInt64(7) != 0);

    // ------------------------------------------------------------------ users and permissions

    /// <summary>Records that a user authenticated (so blinded DMs to them are accepted); true when globally banned.</summary>
    internal bool TouchUser(string sessionId)
    {
        lock (_lock)
        {
            Execute("INSERT OR IGNORE INTO users (session_id) VALUES ($s)", ("$s", sessionId));
            return Query("SELECT banned FROM users WHERE session_id = $s", r => r.GetInt64(0) != 0, ("$s", sessionId)).FirstOrDefault();
        }
    }

    internal bool UserExists(string sessionId)
    {
        lock (_lock) return Query("SELECT banned FROM users WHERE session_id = $s", r => r.GetInt64(0) == 0, ("$s", sessionId)).FirstOrDefault();
    }

    internal void SetGlobalBan(string sessionId, bool banned)
    {
        lock (_lock)
        {
            Execute("INSERT OR IGNORE INTO users (session_id) VALUES ($s)", ("$s", sessionId));
            Execute("UPDATE users SET banned = $b WHERE session_id = $s", ("$b", banned), ("$s", sessionId));
        }
    }

    /// <summary>Per-room override: null keeps the room default.</summary>
    internal void SetPermission(string room, string sessionId, bool? read, bool? write, bool banned = false)
    {
        lock (_lock)
            Execute("INSERT INTO permissions (room, session_id, read, write, banned) VALUES ($r, $s, $rd, $w, $b) ON CONFLICT(room, session_id) DO UPDATE SET read = $rd, write = $w, banned = $b",
                ("$r", room), ("$s", sessionId), ("$rd", (object?)read ?? DBNull.Value), ("$w", (object?)write ?? DBNull.Value), ("$b", banned));
    }

    /// <summary>Effective (read, write, upload) of a user (null = anonymous) in a room.</summary>
    internal (bool Read, bool Write, bool Upload) Permissions(RoomRow room, string? sessionId)
    {
        if (sessionId is null) return (room.DefaultRead, false, false);
        lock (_lock)
        {
            var row = Query("SELECT read, write, upload, banned FROM permissions WHERE room = $r AND session_id = $s",
                r => (Read: r.IsDBNull(0) ? (bool?)null : r.GetInt64(0) != 0, Write: r.IsDBNull(1) ? (bool?)null : r.GetInt64(1) != 0,
                      Upload: r.IsDBNull(2) ? (bool?)null : r.GetInt64(2) != 0, Banned: r.GetInt64(3) != 0),
                ("$r", room.Token), ("$s", sessionId)).FirstOrDefault();
            if (row.Banned) return (false, false, false);
            return (row.Read ?? room.DefaultRead, row.Write ?? room.DefaultWrite, row.Upload ?? room.DefaultUpload);
        }
    }

    /// <summary>Remembers a request nonce; false when this user already used it.</summary>
    internal bool UseNonce(string sessionId, byte[] nonce, double now)
    {
        lock (_lock)
        {
            Execute("DELETE FROM nonces WHERE at < $old", ("$old", now - 2 * 24 * 3600)); // past the ±24 h window a replay fails on its timestamp
            return Execute("INSERT OR IGNORE INTO nonces (session_id, nonce, at) VALUES ($s, $n, $t)", ("$s", sessionId), ("$n", nonce), ("$t", now)) == 1;
        }
    }

    /// <summary>Counts a user's posts in a room since a time (post rate limit).</summary>
    internal int PostsSince(string room, string sessionId, double since)
    {
        lock (_lock) return Query("SELECT count(*) FROM posts WHERE room = $r AND session_id = $s AND at >= $t", r => (int)r.GetInt64(0),
            ("$r", room), ("$s", sessionId), ("$t", since)).First();
    }

    // ------------------------------------------------------------------ messages

    internal MessageRow Post(string room, string sessionId, byte[] data, byte[] signature, double now)
    {
        lock (_lock)
        {
            using var tx = _db.BeginTransaction();
            long seqno = NextSeqno(room);
            Execute("INSERT INTO messages (room, session_id, posted, seqno, data, signature) VALUES ($r, $s, $p, $q, $d, $g)",
                ("$r", room), ("$s", sessionId), ("$p", now), ("$q", seqno), ("$d", data), ("$g", signature));
            long id = Query("SELECT last_insert_rowid()", r => r.GetInt64(0)).First();
            Execute("INSERT INTO posts (session_id, room, at) VALUES ($s, $r, $t)", ("$s", sessionId), ("$r", room), ("$t", now));
            tx.Commit();
            return new MessageRow(id, sessionId, now, null, seqno, data, signature);
        }
    }

    internal void Edit(string room, long id, byte[] data, byte[] signature, double now)
    {
        lock (_lock)
        {
            using var tx = _db.BeginTransaction();
            long seqno = NextSeqno(room);
            Execute("UPDATE messages SET data = $d, signature = $g, edited = $e, seqno = $q WHERE room = $r AND id = $i",
                ("$d", data), ("$g", signature), ("$e", now), ("$q", seqno), ("$r", room), ("$i", id));
            tx.Commit();
        }
    }

    internal void Delete(string room, long id)
    {
        lock (_lock)
        {
            using var tx = _db.BeginTransaction();
            long seqno = NextSeqno(room);
            Execute("UPDATE messages SET data = NULL, signature = NULL, seqno = $q WHERE room = $r AND id = $i", ("$q", seqno), ("$r", room), ("$i", id));
            tx.Commit();
        }
    }

    private long NextSeqno(string room)
    {
        Execute("UPDATE rooms SET message_sequence = message_sequence + 1 WHERE token = $r", ("$r", room));
        return Query("SELECT message_sequence FROM rooms WHERE token = $r", r => r.GetInt64(0), ("$r", room)).First();
    }

    internal MessageRow? Message(string room, long id)
    {
        lock (_lock) return Query(MessageSelect + " WHERE room = $r AND id = $i", ReadMessage, ("$r", room), ("$i", id)).FirstOrDefault();
    }

    /// <summary>Newest first, deletions excluded; ids below <paramref name="beforeId"/> when given.</summary>
    internal IReadOnlyList<MessageRow> Recent(string room, int limit, long? beforeId)
    {
        lock (_lock) return Query(MessageSelect + " WHERE room = $r AND data IS NOT NULL AND id < $b ORDER BY id DESC LIMIT $l", ReadMessage,
            ("$r", room), ("$b", beforeId ?? long.MaxValue), ("$l", limit));
    }

    /// <summary>Everything changed after a sequence number, ascending (deletions included).</summary>
    internal IReadOnlyList<MessageRow> Since(string room, long seqno, int limit)
    {
        lock (_lock) return Query(MessageSelect + " WHERE room = $r AND seqno > $q ORDER BY seqno LIMIT $l", ReadMessage,
            ("$r", room), ("$q", seqno), ("$l", limit));
    }

    private const string MessageSelect = "SELECT id, session_id, posted, edited, seqno, data, signature FROM messages";

    private static MessageRow ReadMessage(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetDouble(2), r.IsDBNull(3) ? null : r.GetDouble(3), r.GetInt64(4),
            r.IsDBNull(5) ? null : (byte[])r[5], r.IsDBNull(6) ? null : (byte[])r[6]);

    // ------------------------------------------------------------------ blinded DMs

    internal InboxRow SendDm(string sender, string recipient, byte[] message, double now, double ttl)
    {
        lock (_lock)
        {
            Execute("DELETE FROM inbox WHERE expires_at < $n", ("$n", now));
            Execute("INSERT INTO inbox (sender, recipient, posted_at, expires_at, message) VALUES ($s, $r, $p, $e, $m)",
                ("$s", sender), ("$r", recipient), ("$p", now), ("$e", now + ttl), ("$m", message));
            long id = Query("SELECT last_insert_rowid()", r => r.GetInt64(0)).First();
            return new InboxRow(id, now, now + ttl, sender, recipient, message);
        }
    }

    /// <summary>Inbox (to the user) or outbox (from the user) items after an id, ascending.</summary>
    internal IReadOnlyList<InboxRow> Dms(string user, bool outbox, long afterId, int limit, double now)
    {
        string column = outbox ? "sender" : "recipient";
        lock (_lock) return Query($"SELECT id, posted_at, expires_at, sender, recipient, message FROM inbox WHERE {column} = $u AND id > $a AND expires_at >= $n ORDER BY id LIMIT $l",
            r => new InboxRow(r.GetInt64(0), r.GetDouble(1), r.GetDouble(2), r.GetString(3), r.GetString(4), (byte[])r[5]),
            ("$u", user), ("$a", afterId), ("$n", now), ("$l", limit));
    }

    internal int ClearInbox(string user)
    {
        lock (_lock) return Execute("DELETE FROM inbox WHERE recipient = $u", ("$u", user));
    }

    // ------------------------------------------------------------------ files

    internal long AddFile(string room, string uploader, byte[] data, string? filename, double now, double ttl)
    {
        lock (_lock)
        {
            Execute("DELETE FROM files WHERE expires < $n", ("$n", now));
            Execute("INSERT INTO files (room, uploader, data, filename, uploaded, expires) VALUES ($r, $u, $d, $f, $t, $e)",
                ("$r", room), ("$u", uploader), ("$d", data), ("$f", (object?)filename ?? DBNull.Value), ("$t", now), ("$e", now + ttl));
            return Query("SELECT last_insert_rowid()", r => r.GetInt64(0)).First();
        }
    }

    internal (byte[] Data, string? Filename, double Uploaded, double Expires)? File(string room, long id, double now)
    {
        lock (_lock) return Query("SELECT data, filename, uploaded, expires FROM files WHERE room = $r AND id = $i AND expires >= $n",
            r => ((byte[])r[0], r.IsDBNull(1) ? null : r.GetString(1), r.GetDouble(2), r.GetDouble(3)), ("$r", room), ("$i", id), ("$n", now))
            .Select(x => ((byte[], string?, double, double)?)x).FirstOrDefault();
    }

    /// <summary>Makes a file expire now (tests of the expired-file path, like the file server's admin expire).</summary>
    internal void ExpireFile(string room, long id, double now)
    {
        lock (_lock) Execute("UPDATE files SET expires = $e WHERE room = $r AND id = $i", ("$e", now - 1), ("$r", room), ("$i", id));
    }

    internal void ExtendFiles(string room, IEnumerable<long> ids, double expires)
    {
        lock (_lock)
            foreach (long id in ids)
                Execute("UPDATE files SET expires = max(expires, $e) WHERE room = $r AND id = $i", ("$e", expires), ("$r", room), ("$i", id));
    }

    // ------------------------------------------------------------------ helpers

    private int Execute(string sql, params (string Name, object? Value)[] args)
    {
        using SqliteCommand cmd = Command(sql, args);
        return cmd.ExecuteNonQuery();
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] args)
    {
        using SqliteCommand cmd = Command(sql, args);
        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read()) list.Add(read(r));
        return list;
    }

    private SqliteCommand Command(string sql, (string Name, object? Value)[] args)
    {
        SqliteCommand cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }

    public void Dispose()
    {
        lock (_lock) _db.Dispose();
    }
}
