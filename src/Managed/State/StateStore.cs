using System.Text;
using Google.Protobuf;
using Microsoft.Data.Sqlite;

namespace SessionInterop.State;

/// <summary>
/// One identity's persistent state in one SQLite database (data_dir/identity.db): the protected
/// seed, swarm and node caches, last hashes, seen-message keys, the outbox and undrained events.
/// Every change that must stay consistent (message seen + event queued; send done + event queued)
/// is one transaction, so a crash at any point loses nothing and delivers nothing twice.
/// All methods are thread-safe (one connection, serialised).
/// </summary>
internal sealed partial class StateStore : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly object _gate = new();
    private bool _disposed;

    private StateStore(SqliteConnection db) => _db = db;

    /// <summary>The database file used for a data directory.</summary>
    public static string DatabasePath(string dataDirectory) => Path.Combine(dataDirectory, "identity.db");

    /// <summary>Creates the data directory if needed (before its lock is taken); failures are SESSION_E_STORAGE.</summary>
    public static void EnsureDirectory(string dataDirectory)
    {
        try { Directory.CreateDirectory(dataDirectory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Errors.Storage("state.no_directory", "cannot create the data directory", e);
        }
    }

    /// <summary>Opens (creating if needed) the state of the identity kept in a data directory.</summary>
    public static StateStore Open(string dataDirectory)
    {
        EnsureSqlite();
        EnsureDirectory(dataDirectory);
        SqliteConnection? db = null;
        try
        {
            string path = DatabasePath(dataDirectory);
            db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            db.Open();
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            using (SqliteCommand pragma = db.CreateCommand())
            {
                // WAL + synchronous=NORMAL: a committed transaction survives a crash of the process
                // (what "persisted before send returns" promises) without an fsync per commit;
                // only an OS crash or power loss can take back the last commits.
                pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
                pragma.ExecuteNonQuery();
            }
            Schema.Migrate(db);
            return new StateStore(db);
        }
        catch (SqliteException e)
        {
            db?.Dispose();
            throw StorageErrors.Translate(e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            db?.Dispose();
            throw Errors.Storage("storage.cannot_open", "cannot open the state database", e);
        }
        catch
        {
            db?.Dispose();
            throw;
        }
    }

    private static int s_sqliteReady;

    /// <summary>
    /// Points SQLitePCL at the bundled e_sqlite3 explicitly: Microsoft.Data.Sqlite otherwise finds
    /// it by reflection, which NativeAOT trims away.
    /// </summary>
    private static void EnsureSqlite()
    {
        if (Interlocked.Exchange(ref s_sqliteReady, 1) == 0) SQLitePCL.Batteries_V2.Init();
    }

    // ------------------------------------------------------------------ identity

    /// <summary>The stored Session ID and sealed seed, or null for a new data directory.</summary>
    public (string SessionId, byte[] SealedSeed)? LoadIdentity()
    {
        lock (_gate)
        {
            byte[]? id = GetMeta("session_id");
            byte[]? seed = GetMeta("seed_box");
            return id is null || seed is null ? null : (Encoding.ASCII.GetString(id), seed);
        }
    }

    public void SaveIdentity(string sessionId, byte[] sealedSeed)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            SetMeta(tx, "session_id", Encoding.ASCII.GetBytes(sessionId));
            SetMeta(tx, "seed_box", sealedSeed);
            Commit(tx);
        }
    }

    // ------------------------------------------------------------------ request ids and the outbox

    /// <summary>Allocates a request id that is never reused, even across restarts.</summary>
    public ulong NextRequestId()
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            ulong id = AllocateRequestId(tx);
            Commit(tx);
            return id;
        }
    }

    /// <summary>Persists a message to send and returns its request id (one transaction).</summary>
    public ulong EnqueueSend(string destination, int kind, byte[] payload, long timestampMs, long nowMs)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            ulong id = AllocateRequestId(tx);
            Execute(tx, "INSERT INTO outbox (request_id, destination, kind, payload, timestamp_ms, next_attempt_ms) VALUES ($id, $d, $k, $p, $t, $n)",
                ("$id", (long)id), ("$d", destination), ("$k", kind), ("$p", payload), ("$t", timestampMs), ("$n", nowMs));
            Execute(tx, "INSERT INTO conversations (id, last_activity_ms) VALUES ($c, $t) ON CONFLICT(id) DO UPDATE SET last_activity_ms = max(last_activity_ms, $t)",
                ("$c", destination), ("$t", timestampMs));
            Commit(tx);
            return id;
        }
    }

    /// <summary>
    /// Outbox entries whose next attempt is due, in the order they were accepted. A row waiting for
    /// a retry holds back the later rows of its destination, so one recipient gets them in order.
    /// </summary>
    public IReadOnlyList<OutboxEntry> DueSends(long nowMs, int limit)
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, """
                SELECT request_id, destination, kind, payload, timestamp_ms, attempts, next_attempt_ms FROM outbox AS o
                WHERE next_attempt_ms <= $n
                  AND NOT EXISTS (SELECT 1 FROM outbox AS earlier WHERE earlier.destination = o.destination
                                  AND earlier.request_id < o.request_id AND earlier.next_attempt_ms > $n)
                ORDER BY request_id LIMIT $l
                """,
                ("$n", nowMs), ("$l", limit));
            using SqliteDataReader r = cmd.ExecuteReader();
            var list = new List<OutboxEntry>();
            while (r.Read())
                list.Add(new OutboxEntry((ulong)r.GetInt64(0), r.GetString(1), r.GetInt32(2), (byte[])r[3], r.GetInt64(4), r.GetInt32(5), r.GetInt64(6)));
            return list;
        }
    }

    public int OutboxCount()
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "SELECT count(*) FROM outbox");
            return Convert.ToInt32(cmd.ExecuteScalar());
        }
    }

    /// <summary>Schedules another attempt after a retryable failure.</summary>
    public void Reschedule(ulong requestId, long nextAttemptMs, string error)
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = $n, last_error = $e WHERE request_id = $id",
                ("$n", nextAttemptMs), ("$e", error), ("$id", (long)requestId));
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Completes a send: removes it from the outbox and queues its one REQUEST_DONE event in the
    /// same transaction. Returns false (and queues nothing) if it was already completed.
    /// </summary>
    public bool CompleteSend(ulong requestId, SessionEvent done)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            if (Execute(tx, "DELETE FROM outbox WHERE request_id = $id", ("$id", (long)requestId)) == 0) return false;
            InsertEvent(tx, done);
            Commit(tx);
            return true;
        }
    }

    // ------------------------------------------------------------------ incoming messages

    /// <summary>
    /// Records an incoming message exactly once: if its dedup key is new, marks it (and its hash) seen,
    /// advances that member's last hash for the namespace (unless null: a batch advances it with its
    /// last record) and queues the event, all in one transaction. Returns false for a duplicate (the
    /// last hash still advances).
    /// </summary>
    public bool RecordIncoming(string dedupKey, long expiresMs, string node, int ns, string messageHash, string? lastHash, long nowMs, SessionEvent? message) =>
        RecordIncoming(dedupKey, expiresMs, node, ns, messageHash, lastHash, nowMs, message is null ? [] : [message]);

    /// <summary>
    /// As above with any number of events (a read receipt names several messages) and, when the
    /// message carried one, the sender's profile: a newer profile is stored and its PROFILE event
    /// queued in the same transaction.
    /// </summary>
    public bool RecordIncoming(string dedupKey, long expiresMs, string node, int ns, string messageHash, string? lastHash, long nowMs,
        IReadOnlyList<SessionEvent> events, ProfileSeen? profile = null)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            bool fresh = Execute(tx, "INSERT OR IGNORE INTO seen (dedup_key, expires_ms) VALUES ($k, $e)", ("$k", dedupKey), ("$e", expiresMs)) == 1;
            Execute(tx, "INSERT OR IGNORE INTO seen (dedup_key, expires_ms) VALUES ($k, $e)", ("$k", HashKey(messageHash)), ("$e", expiresMs));
            if (lastHash is not null) UpsertLastHash(tx, node, ns, lastHash, nowMs);
            if (fresh)
            {
                foreach (SessionEvent message in events)
                {
                    InsertEvent(tx, message);
                    Execute(tx, "INSERT INTO conversations (id, last_activity_ms) VALUES ($c, $t) ON CONFLICT(id) DO UPDATE SET last_activity_ms = max(last_activity_ms, $t)",
                        ("$c", message.Conversation), ("$t", message.TimestampMs));
                }
                if (profile is not null && UpdateProfile(tx, profile)) InsertEvent(tx, profile.Event);
            }
            Commit(tx);
            return fresh;
        }
    }

    public bool HasSeen(string dedupKey)
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "SELECT 1 FROM seen WHERE dedup_key = $k", ("$k", dedupKey));
            return cmd.ExecuteScalar() is not null;
        }
    }

    /// <summary>The seen key of a message hash (de-duplication by hash, before decoding).</summary>
    public static string HashKey(string hash) => "h:" + hash;

    /// <summary>Advances a node's last hash past a message already recorded (seen through another member).</summary>
    public void AdvanceLastHash(string node, int ns, string lastHash, long nowMs)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            UpsertLastHash(tx, node, ns, lastHash, nowMs);
            Commit(tx);
        }
    }

    /// <summary>The last hash received from one swarm member (Ed25519 hex) in a namespace; null = from its start.</summary>
    public string? LastHash(string node, int ns)
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "SELECT hash FROM node_last_hash WHERE node = $d AND namespace = $n", ("$d", node), ("$n", ns));
            return cmd.ExecuteScalar() as string;
        }
    }

    /// <summary>Forgets seen keys whose messages have expired on the network (they cannot come back).</summary>
    public int PruneSeen(long nowMs)
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "DELETE FROM seen WHERE expires_ms < $n", ("$n", nowMs));
            int pruned = cmd.ExecuteNonQuery();
            // A member not polled for longer than any message lives has nothing left after its hash.
            using SqliteCommand hashes = Command(null, "DELETE FROM node_last_hash WHERE updated_ms < $n", ("$n", nowMs - MaxMessageLifetimeMs));
            hashes.ExecuteNonQuery();
            return pruned;
        }
    }

    // ------------------------------------------------------------------ events

    public void AppendEvent(SessionEvent e)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            InsertEvent(tx, e);
            Commit(tx);
        }
    }

    /// <summary>Undrained events after a sequence number, oldest first.</summary>
    public IReadOnlyList<SessionEvent> EventsAfter(long seq, int limit)
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "SELECT seq, type, request_id, status, timestamp_ms, value, conversation, sender, message_id, text, error_code, sealed, details FROM events WHERE seq > $s ORDER BY seq LIMIT $l",
                ("$s", seq), ("$l", limit));
            using SqliteDataReader r = cmd.ExecuteReader();
            var list = new List<SessionEvent>();
            while (r.Read())
            {
                bool isSealed = r.GetInt64(11) == 1;
                byte[] text = OpenStored((byte[])r[9], isSealed);
                var e = new SessionEvent(r.GetInt64(0), (EventType)r.GetInt32(1), (ulong)r.GetInt64(2), (SessionStatus)r.GetInt32(3),
                    r.GetInt64(4), r.GetInt64(5), r.GetString(6), r.GetString(7), r.GetString(8), text, r.GetString(10));
                list.Add(r.IsDBNull(12) ? e : e with { Details = ParseDetails(OpenStored((byte[])r[12], isSealed)) });
            }
            return list;
        }
    }

    /// <summary>Forgets the given drained events (the app acknowledged them).</summary>
    public void AcknowledgeEvents(IReadOnlyList<long> seqs)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            foreach (long seq in seqs) Execute(tx, "DELETE FROM events WHERE seq = $s", ("$s", seq));
            Commit(tx);
        }
    }

    // ------------------------------------------------------------------ swarm and node caches

    public IReadOnlyList<string> LoadSwarm()
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "SELECT pubkey_ed25519 FROM swarm ORDER BY pubkey_ed25519");
            using SqliteDataReader r = cmd.ExecuteReader();
            var list = new List<string>();
            while (r.Read()) list.Add(r.GetString(0));
            return list;
        }
    }

    public void SaveSwarm(IEnumerable<string> nodeEd25519Keys)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = Begin();
            Execute(tx, "DELETE FROM swarm");
            foreach (string key in nodeEd25519Keys) Execute(tx, "INSERT OR IGNORE INTO swarm (pubkey_ed25519) VALUES ($k)", ("$k", key));
            Commit(tx);
        }
    }

    public IReadOnlyList<(string Conversation, long LastActivityMs)> Conversations()
    {
        lock (_gate)
        {
            using SqliteCommand cmd = Command(null, "SELECT id, last_activity_ms FROM conversations ORDER BY last_activity_ms DESC");
            using SqliteDataReader r = cmd.ExecuteReader();
            var list = new List<(string, long)>();
            while (r.Read()) list.Add((r.GetString(0), r.GetInt64(1)));
            return list;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _db.Dispose();
            Sealer?.Dispose();
        }
    }

    // ------------------------------------------------------------------ helpers

    private ulong AllocateRequestId(SqliteTransaction tx)
    {
        byte[]? raw = GetMeta("next_request_id", tx);
        ulong id = raw is null ? 1 : BitConverter.ToUInt64(raw);
        SetMeta(tx, "next_request_id", BitConverter.GetBytes(id + 1));
        return id;
    }

    /// <summary>
    /// Raised after a transaction that stored events has committed, once per event, with its
    /// sequence number; the client's event queue keeps them in memory so polling never reads the
    /// database. Runs on the committing thread, inside the store's lock: handlers must be quick.
    /// </summary>
    public event Action<SessionEvent>? EventCommitted;

    private readonly List<SessionEvent> _uncommitted = [];

    private SqliteTransaction Begin()
    {
        _uncommitted.Clear();
        return _db.BeginTransaction();
    }

    private void Commit(SqliteTransaction tx)
    {
        tx.Commit();
        foreach (SessionEvent e in _uncommitted) EventCommitted?.Invoke(e);
        _uncommitted.Clear();
    }

    private void InsertEvent(SqliteTransaction tx, SessionEvent e)
    {
        InsertEventRow(tx, e);
        using SqliteCommand id = Command(tx, "SELECT last_insert_rowid()");
        _uncommitted.Add(e with { Seq = (long)id.ExecuteScalar()! });
    }

    private void InsertEventRow(SqliteTransaction tx, SessionEvent e)
    {
        // Details may quote text or name people: sealed like the text itself.
        byte[]? details = e.Details.CalculateSize() == 0 ? null : SealStored(e.Details.ToByteArray());
        Execute(tx, "INSERT INTO events (type, request_id, status, timestamp_ms, value, conversation, sender, message_id, text, error_code, sealed, details) VALUES ($ty, $r, $st, $t, $v, $c, $s, $m, $x, $e, $z, $d)",
            ("$ty", (int)e.Type), ("$r", (long)e.RequestId), ("$st", (int)e.Status), ("$t", e.TimestampMs), ("$v", e.Value),
            ("$c", e.Conversation), ("$s", e.Sender), ("$m", e.MessageId), ("$x", SealStored(e.Text)),
            ("$e", e.ErrorCode), ("$z", Sealer is null ? 0 : 1), ("$d", (object?)details ?? DBNull.Value));
    }

    private byte[] SealStored(byte[] plain) => Sealer is { } sealer ? sealer.Seal(plain) : plain;

    private byte[] OpenStored(byte[] stored, bool isSealed) =>
        isSealed ? (Sealer ?? throw Errors.BadStateData("state.event_sealed", "stored events need the identity's key")).Open(stored) : stored;

    private static Stored.EventDetails ParseDetails(byte[] bytes)
    {
        try { return Stored.EventDetails.Parser.ParseFrom(bytes); }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            throw Errors.BadStateData("state.event_corrupt", "a stored event's details cannot be read", e);
        }
    }

    /// <summary>When set, event text is sealed before it is written (received plaintext never rests in the clear).</summary>
    internal EventSealer? Sealer { get; set; }

    /// <summary>The longest a message lives in a swarm (30 days, private namespaces).</summary>
    private const long MaxMessageLifetimeMs = 30L * 24 * 3600 * 1000;

    private void UpsertLastHash(SqliteTransaction tx, string node, int ns, string hash, long nowMs) =>
        Execute(tx, "INSERT INTO node_last_hash (node, namespace, hash, updated_ms) VALUES ($d, $n, $h, $t) ON CONFLICT(node, namespace) DO UPDATE SET hash = $h, updated_ms = $t",
            ("$d", node), ("$n", ns), ("$h", hash), ("$t", nowMs));

    private byte[]? GetMeta(string key, SqliteTransaction? tx = null)
    {
        using SqliteCommand cmd = Command(tx, "SELECT value FROM meta WHERE key = $k", ("$k", key));
        return cmd.ExecuteScalar() as byte[];
    }

    private void SetMeta(SqliteTransaction tx, string key, byte[] value) =>
        Execute(tx, "INSERT INTO meta (key, value) VALUES ($k, $v) ON CONFLICT(key) DO UPDATE SET value = $v", ("$k", key), ("$v", value));

    private int Execute(SqliteTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand cmd = Command(tx, sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    private SqliteCommand Command(SqliteTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SqliteCommand cmd = _db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return cmd;
    }
}
