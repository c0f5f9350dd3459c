using Microsoft.Data.Sqlite;

namespace AnalyticsHub.Storage.DeadLetters;

/// <summary>
/// Durable, bounded store of rejected events (one SQLite file), listed by
/// <c>GET /api/v1/dlq</c> and read by <c>POST /api/v1/dlq/replay</c>. The WAL indexer copies
/// letters in with <see cref="Add"/>; adds are idempotent per (WAL address, index), so it may
/// re-copy after a crash before it persisted its WAL checkpoint.
/// </summary>
/// <remarks>
/// Writes (<see cref="Add"/>, <see cref="MarkReplayed"/>) are serialised on one held
/// connection; reads (<see cref="List"/>, <see cref="Get"/>) take a pooled connection each,
/// and SQLite's WAL journal mode lets them run while a write is in progress. Every write is
/// one transaction, fsync'd on commit (<c>synchronous=FULL</c>). <see cref="Count"/>,
/// <see cref="TotalBytes"/> and <see cref="Evicted"/> are kept in a <c>meta</c> table in the
/// same transactions, so they and the bounds hold across reopen.
/// </remarks>
public sealed partial class DeadLetterStore : IDisposable
{
    private readonly string _path;
    private readonly string _connectionString;
    private readonly long _maxBytes;
    private readonly long _maxEntries;

    private readonly Lock _writeLock = new();
    private readonly SqliteConnection _writer;

    // Written under _writeLock after a commit, read lock-free by any thread.
    private long _count;
    private long _totalBytes;
    private long _evicted;
    private volatile bool _disposed;

    private DeadLetterStore(DeadLetterStoreOptions options, string path, string connectionString, SqliteConnection writer)
    {
        _path = path;
        _connectionString = connectionString;
        _maxBytes = options.MaxBytes;
        _maxEntries = options.MaxEntries;
        _writer = writer;
    }

    /// <summary>Letters stored now.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Accounted bytes of the stored letters (event bytes + text + per-row overhead estimate).</summary>
    public long TotalBytes => Volatile.Read(ref _totalBytes);

    /// <summary>Letters evicted to keep the bounds, since the file was created.</summary>
    public long Evicted => Volatile.Read(ref _evicted);

    /// <summary>The database file.</summary>
    public string Path => _path;

    /// <summary>Opens (creating when missing) the store at <see cref="DeadLetterStoreOptions.Path"/>
    /// and enforces the bounds (they may have shrunk since the last run).</summary>
    /// <exception cref="DeadLetterStoreUnavailableException">The file cannot be created, opened or written.</exception>
    public static DeadLetterStore Open(DeadLetterStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string path = System.IO.Path.GetFullPath(options.Path);
        string connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();

        SqliteConnection? writer = null;
        string step = "cannot create its directory";
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            step = "cannot open or create the database file";
            writer = new SqliteConnection(connectionString);
            writer.Open();
            step = "cannot switch the database to WAL journal mode";
            if (!string.Equals(Scalar(writer, "PRAGMA journal_mode=WAL;") as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new DeadLetterStoreUnavailableException(path, "the file system does not support SQLite's WAL journal mode", null);
            }
            Execute(writer, "PRAGMA synchronous=FULL;");
            // The -wal file keeps its high-water size after a checkpoint unless limited; cap it
            // so the disk use stays near the bounds after one large Add.
            Execute(writer, "PRAGMA journal_size_limit=16777216;");
            step = "cannot create or write the schema";
            var store = new DeadLetterStore(options, path, connectionString, writer);
            store.Initialise();
            return store;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException && e is not DeadLetterStoreUnavailableException)
        {
            Release(writer);
            throw new DeadLetterStoreUnavailableException(path, step, e);
        }
        catch
        {
            Release(writer);
            throw;
        }
    }

    /// <summary>Closes the held connection and the pooled ones; the file stays consistent.</summary>
    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            Release(_writer);
        }
    }

    // Creates the schema, proves the file is writable, loads the counters, enforces the bounds.
    private void Initialise()
    {
        using SqliteTransaction tx = _writer.BeginTransaction();
        Execute(_writer, DeadLetterSchema.Create, tx);
        long version = ReadMeta("schema_version", tx);
        if (version != DeadLetterSchema.Version)
        {
            throw new DeadLetterStoreUnavailableException(_path, $"schema version {version} is not the supported {DeadLetterSchema.Version}", null);
        }
        // A real write on every open: a read-only file or directory fails here, not at the first Add.
        WriteMeta("opened_at", DeadLetterSchema.ToTicks(DateTimeOffset.UtcNow), tx);
        _count = ReadMeta("entry_count", tx);
        _totalBytes = ReadMeta("total_bytes", tx);
        _evicted = ReadMeta("evicted", tx);
        (long count, long bytes, long evicted) = EnforceBounds(_count, _totalBytes, _evicted, tx);
        WriteCounters(count, bytes, evicted, tx);
        tx.Commit();
        Publish(count, bytes, evicted);
    }

    private void Publish(long count, long bytes, long evicted)
    {
        Volatile.Write(ref _count, count);
        Volatile.Write(ref _totalBytes, bytes);
        Volatile.Write(ref _evicted, evicted);
    }

    private void WriteCounters(long count, long bytes, long evicted, SqliteTransaction tx)
    {
        WriteMeta("entry_count", count, tx);
        WriteMeta("total_bytes", bytes, tx);
        WriteMeta("evicted", evicted, tx);
    }

    private long ReadMeta(string key, SqliteTransaction tx)
    {
        using SqliteCommand command = _writer.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT value FROM meta WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() is long value ? value : 0;
    }

    private void WriteMeta(string key, long value, SqliteTransaction tx)
    {
        using SqliteCommand command = _writer.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "INSERT OR REPLACE INTO meta (key, value) VALUES ($key, $value)";
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private DeadLetterStoreUnavailableException Unavailable(string reason, Exception inner) => new(_path, reason, inner);

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    // Pooled connections would keep the file (and its -wal/-shm) open after Dispose.
    private static void Release(SqliteConnection? connection)
    {
        if (connection is null)
        {
            return;
        }
        SqliteConnection.ClearPool(connection);
        connection.Dispose();
    }
}
