using Microsoft.Data.Sqlite;

namespace SessionInterop.State;

/// <summary>
/// The state database's schema, as an ordered list of migrations. PRAGMA user_version records how
/// many have run; a database newer than this code is refused rather than misread.
/// </summary>
internal static class Schema
{
    private static readonly string[] s_migrations =
    [
        // 1: the first schema.
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
        CREATE TABLE nodes (
            pubkey_ed25519 TEXT PRIMARY KEY, pubkey_x25519 TEXT NOT NULL, ip TEXT NOT NULL,
            port INTEGER NOT NULL, failures INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER NOT NULL);
        CREATE TABLE swarm (pubkey_ed25519 TEXT PRIMARY KEY);
        CREATE TABLE last_hash (namespace INTEGER PRIMARY KEY, hash TEXT NOT NULL, updated_ms INTEGER NOT NULL);
        CREATE TABLE seen (dedup_key TEXT PRIMARY KEY, expires_ms INTEGER NOT NULL);
        CREATE TABLE outbox (
            request_id INTEGER PRIMARY KEY, destination TEXT NOT NULL, kind INTEGER NOT NULL,
            payload BLOB NOT NULL, timestamp_ms INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_ms INTEGER NOT NULL, last_error TEXT);
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, type INTEGER NOT NULL, request_id INTEGER NOT NULL,
            status INTEGER NOT NULL, timestamp_ms INTEGER NOT NULL, value INTEGER NOT NULL,
            conversation TEXT NOT NULL, sender TEXT NOT NULL, message_id TEXT NOT NULL,
            text BLOB NOT NULL, error_code TEXT NOT NULL);
        CREATE TABLE conversations (id TEXT PRIMARY KEY, last_activity_ms INTEGER NOT NULL);
        """,
        // 2: joined communities (room cursor = last seqno) and per-server blinded-DM inbox cursors.
        """
        CREATE TABLE communities (id TEXT PRIMARY KEY, server TEXT NOT NULL, seqno INTEGER NOT NULL DEFAULT 0, joined_ms INTEGER NOT NULL);
        CREATE TABLE community_inbox (server TEXT PRIMARY KEY, last_id INTEGER NOT NULL DEFAULT 0);
        """,
        // 3: event text sealed at rest (sealed = 1; older rows stay readable), and the outbox
        // looked up per destination in request order (per-recipient order).
        """
        ALTER TABLE events ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX outbox_by_destination ON outbox (destination, request_id);
        """,
        // 4: last_hash per (swarm member, namespace), as the official apps keep it: each member has its
        // own insertion order, so one member's hash means nothing (or skips messages) at another.
        // The old per-namespace hashes are dropped: each member is read from its start once more,
        // and the seen keys absorb the repeats.
        """
        DROP TABLE last_hash;
        CREATE TABLE node_last_hash (
            node TEXT NOT NULL, namespace INTEGER NOT NULL, hash TEXT NOT NULL, updated_ms INTEGER NOT NULL,
            PRIMARY KEY (node, namespace));
        """,
        // 5: config sync (issue 16): one dump per user config (libsession's dump layout, see
        // Config/ConfigObject.cs); its cursors live in node_last_hash (namespaces 2-5).
        """
        CREATE TABLE config_dumps (namespace INTEGER PRIMARY KEY, dump BLOB NOT NULL);
        """,
        // 6: an event's fields beyond these columns (State/event_details.proto), sealed like its text; NULL when none.
        """
        ALTER TABLE events ADD COLUMN details BLOB;
        """,
        // 7: chat (issue 14): the last profile seen per sender (the name sealed like event text), so a
        // PROFILE event is raised only for a newer one; and the messages of ours in our own swarm
        // (sync copies of sent ones: unsend deletes them; after-read ones, sent or received: reading shortens them).
        """
        CREATE TABLE profiles (session_id TEXT PRIMARY KEY, name BLOB NOT NULL, updated_s INTEGER NOT NULL);
        CREATE TABLE own_copies (
            conversation TEXT NOT NULL, timestamp_ms INTEGER NOT NULL, hash TEXT NOT NULL, expires_ms INTEGER NOT NULL,
            after_read_s INTEGER NOT NULL,
            PRIMARY KEY (conversation, timestamp_ms));
        """,
        // 8: reserved for issue 15, which needed none (kept so version numbers stay stable)
        "SELECT 1;",
        // 9: closed groups (issue 17): one row per group, its GroupState dump (admin seed or member
        // auth value: sealed like event text); status 0 invited (not joined), 1 joined, 2 left/kicked;
        // responded = the member's inviteResponse is queued. Its cursors live in node_last_hash
        // under the node key "group id:member".
        """
        CREATE TABLE groups (
            id TEXT PRIMARY KEY, status INTEGER NOT NULL, inviter TEXT NOT NULL, dump BLOB NOT NULL,
            responded INTEGER NOT NULL DEFAULT 0);
        """,
    ];

    internal static int CurrentVersion => s_migrations.Length;

    internal static void Migrate(SqliteConnection connection)
    {
        long version = Scalar(connection, "PRAGMA user_version");
        if (version > s_migrations.Length)
            throw Errors.BadStateData("state.too_new", $"the state database has schema {version}, newer than this library ({s_migrations.Length})");
        for (long v = version; v < s_migrations.Length; v++)
        {
            using SqliteTransaction tx = connection.BeginTransaction();
            using (SqliteCommand cmd = connection.CreateCommand())
            {
                cmd.Transaction = tx;
                cmd.CommandText = s_migrations[v] + $"\nPRAGMA user_version = {v + 1};";
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }
}
