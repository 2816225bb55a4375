using Microsoft.Data.Sqlite;

namespace SessionInterop.State;

/// <summary>
/// Turns SQLite's exceptions into the library's statuses, so a full disk or a read-only or corrupt
/// database reaches the app as SESSION_E_STORAGE / SESSION_E_BAD_STATE_DATA with a clear code,
/// never as SESSION_E_INTERNAL.
/// </summary>
internal static class StorageErrors
{
    internal static SessionException Translate(SqliteException e) => e.SqliteErrorCode switch
    {
        13 => Errors.Storage("storage.full", "the disk holding the data directory is full", e),          // SQLITE_FULL
        8 => Errors.Storage("storage.read_only", "the state database is read-only", e),                 // SQLITE_READONLY
        5 or 6 => Errors.Storage("storage.locked", "the state database is locked by another program", e), // SQLITE_BUSY, SQLITE_LOCKED
        10 => Errors.Storage("storage.io", "the disk failed while using the state database", e),        // SQLITE_IOERR
        14 => Errors.Storage("storage.cannot_open", "the state database cannot be opened", e),          // SQLITE_CANTOPEN
        11 or 26 => Errors.BadStateData("state.corrupt", "the state database is corrupt or not a database", e), // SQLITE_CORRUPT, SQLITE_NOTADB
        _ => Errors.Storage("storage.failed", $"the state database failed (SQLite error {e.SqliteErrorCode})", e),
    };
}
