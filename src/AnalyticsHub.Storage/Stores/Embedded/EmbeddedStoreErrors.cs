using Microsoft.Data.Sqlite;

namespace AnalyticsHub.Storage.Stores.Embedded;

/// <summary>
/// Maps SQLite failures onto the store contract. Only errors the rows themselves cause are
/// <see cref="StoreRejectedException"/> (the drainer dead-letters those rows); everything about the
/// file, the disk or locks is <see cref="StoreUnavailableException"/> (the drainer retries and the
/// hub's WAL keeps the events meanwhile) — a corrupt or foreign file is not the rows' fault either.
/// </summary>
internal static class EmbeddedStoreErrors
{
    // Primary result codes (https://sqlite.org/rescode.html); extended codes carry them in the low byte.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoErr = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteTooBig = 18;
    private const int SqliteConstraint = 19;
    private const int SqliteMismatch = 20;
    private const int SqliteRange = 25;
    private const int SqliteNotADb = 26;

    /// <summary>The exception to throw for <paramref name="error"/>, which happened while the
    /// store was <paramref name="doing"/> (e.g. "writing 10000 events").</summary>
    public static Exception Map(SqliteException error, string path, string doing)
    {
        int code = error.SqliteExtendedErrorCode != 0 ? error.SqliteExtendedErrorCode & 0xFF : error.SqliteErrorCode & 0xFF;
        string prefix = $"Embedded event store '{path}': {doing} failed: ";
        return code switch
        {
            SqliteConstraint or SqliteTooBig or SqliteMismatch or SqliteRange =>
                new StoreRejectedException(prefix + "SQLite refused the rows: " + error.Message, error.Message, error),
            SqliteFull => new StoreUnavailableException(prefix + "the disk is full (" + FreeSpace(path) + " on its file system); free space or shorten the retention. " + error.Message, error),
            SqliteBusy or SqliteLocked => new StoreUnavailableException(prefix + "the database is locked by another connection or process (busy timeout elapsed). " + error.Message, error),
            SqliteReadOnly => new StoreUnavailableException(prefix + "the database file or its directory is read-only. " + error.Message, error),
            SqliteCantOpen => new StoreUnavailableException(prefix + "cannot open the database file (missing or unwritable directory, or the path is not a regular file). " + error.Message, error),
            SqliteIoErr => new StoreUnavailableException(prefix + "I/O error" + (IsDiskFull(path) ? ": the disk is full (" + FreeSpace(path) + ")" : "") + ". " + error.Message, error),
            SqliteCorrupt or SqliteNotADb => new StoreUnavailableException(prefix + "the file is not an intact SQLite database; move it aside to start an empty store. " + error.Message, error),
            _ => new StoreUnavailableException(prefix + error.Message, error),
        };
    }

    /// <summary>For failures before SQLite is involved (creating the directory).</summary>
    public static StoreUnavailableException Map(Exception error, string path, string doing) =>
        new($"Embedded event store '{path}': {doing} failed: {error.Message}", error);

    // SQLite reports ENOSPC as SQLITE_FULL on most paths but as an SQLITE_IOERR_* (write, fsync,
    // truncate) on others; the free space of the file system says which it was.
    private static bool IsDiskFull(string path) => AvailableBytes(path) is < 1L << 20;

    private static string FreeSpace(string path) => AvailableBytes(path) is { } bytes ? $"{bytes:N0} bytes free" : "free space unknown";

    private static long? AvailableBytes(string path)
    {
        try
        {
            return new DriveInfo(Path.GetDirectoryName(path)!).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
