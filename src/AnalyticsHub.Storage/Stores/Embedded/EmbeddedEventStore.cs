using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AnalyticsHub.Storage.Stores.Embedded;

/// <summary>
/// The default event store: one SQLite file in the node's data directory
/// (<c>{Hub:DataDir}/store/events.db</c>), written by the WAL drainer through one connection on a
/// dedicated thread (<see cref="EmbeddedWriterThread"/>), readable by any number of other
/// connections at the same time (WAL journal mode).
/// </summary>
/// <remarks>
/// Each <see cref="WriteAsync"/> is one transaction holding the rows and the
/// <c>drain_checkpoint</c> row, fsync'd at commit (<c>synchronous=FULL</c>, reasoning in
/// <see cref="EmbeddedSchema.Durability"/>), so <see cref="ResumeAsync"/> returns exactly what
/// is stored and never a partial batch. Schema and tuning: <see cref="EmbeddedSchema"/>.
/// </remarks>
public sealed partial class EmbeddedEventStore : IEventStore
{
    private readonly EmbeddedStoreOptions _options;
    private readonly string _path;
    private readonly string _probeConnectionString;
    private readonly EmbeddedWriterThread _thread;

    // Owned by the writer thread: created in InitializeAsync, released in DisposeAsync.
    private SqliteConnection? _connection;
    private EventWriter? _writer;
    private string? _sqliteVersion;

    private volatile bool _initialized;
    private volatile bool _disposed;

    public EmbeddedEventStore(EmbeddedStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _path = System.IO.Path.GetFullPath(options.DatabasePath);
        _probeConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
        }.ToString();
        _thread = new EmbeddedWriterThread("hub-store-embedded");
    }

    public string Kind => "embedded";

    /// <summary>The database file (full path).</summary>
    public string Path => _path;

    /// <summary>The SQLite library's version, known after <see cref="InitializeAsync"/>.</summary>
    public string? SqliteVersion => _sqliteVersion;

    /// <summary>
    /// Creates the directory and the file when missing, switches to WAL mode, applies the
    /// connection settings and brings the schema to <see cref="EmbeddedSchema.Version"/> in one
    /// transaction that always writes (so a read-only file fails here, not at the first batch).
    /// Calling it again does nothing.
    /// </summary>
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _thread.RunAsync(Initialize, cancellationToken);
    }

    /// <summary>
    /// The checkpoint stored with the last committed <see cref="WriteAsync"/>: everything before
    /// it is stored. When it is behind <paramref name="walCheckpoint"/> (or missing: a new file)
    /// the drainer's own checkpoint is the answer. <see cref="StoreResume.StoredRows"/> is always
    /// empty — rows and checkpoint commit together, so no row past it can exist.
    /// </summary>
    public Task<StoreResume> ResumeAsync(long walCheckpoint, CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        return _thread.RunAsync(() =>
        {
            var atCheckpoint = new StorePosition(walCheckpoint, 0);
            StorePosition? stored = ReadCheckpoint();
            return new StoreResume(stored is { } s && s > atCheckpoint ? s : atCheckpoint, FrozenSet<StorePosition>.Empty);
        }, cancellationToken);
    }

    /// <summary>
    /// Opens a read-only connection of its own (pooled), so a readiness check never queues behind
    /// a write, and reads the schema table: <c>SELECT sqlite_version()</c> alone would answer
    /// without touching the file. Never throws; a failure is in the result.
    /// </summary>
    public Task<StoreProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return Task.FromResult(StoreProbe.Failed("the embedded store is disposed"));
        }
        try
        {
            using var connection = new SqliteConnection(_probeConnectionString);
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT sqlite_version(), (SELECT count(*) FROM sqlite_schema)";
            using SqliteDataReader reader = command.ExecuteReader();
            reader.Read();
            return Task.FromResult(StoreProbe.Ok(reader.GetString(0)));
        }
        catch (SqliteException e)
        {
            return Task.FromResult(StoreProbe.Failed(EmbeddedStoreErrors.Map(e, _path, "probing").Message));
        }
    }

    /// <summary>Lets queued work finish, closes the writer connection (after <c>PRAGMA optimize</c>)
    /// and the pooled probe connections; the file stays consistent at any point.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            await _thread.RunAsync(Close, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _thread.Dispose();
            using (var probe = new SqliteConnection(_probeConnectionString))
            {
                SqliteConnection.ClearPool(probe);
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> with the writer connection on the writer thread, between
    /// two store calls: for tests (e.g. <c>PRAGMA max_page_count</c> to fill the "disk") and measurements.</summary>
    internal Task<T> RunOnWriterAsync<T>(Func<SqliteConnection, T> work)
    {
        ThrowIfNotReady();
        return _thread.RunAsync(() => work(Connection), CancellationToken.None);
    }

    private bool Initialize()
    {
        if (_initialized)
        {
            return true;
        }

        string step = "creating its directory";
        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(_path)!);
            step = "opening the database file";
            connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = _path,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false, // one long-lived writer; closing it must close the file
                // Microsoft.Data.Sqlite's own retry on a busy lock, for its commands (seconds; 0 would mean forever).
                DefaultTimeout = Math.Max(1, (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds)),
            }.ToString());
            connection.Open();

            step = "configuring the connection";
            // page_size first: it only takes effect on a file with no tables yet, before WAL mode.
            Execute(connection, $"PRAGMA page_size={EmbeddedSchema.PageSize}");
            if (!string.Equals(Scalar(connection, "PRAGMA journal_mode=WAL") as string, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new StoreUnavailableException($"Embedded event store '{_path}': the file system does not support SQLite's WAL journal mode (needed for readers beside the writer).");
            }
            Execute(connection, $"PRAGMA synchronous={_options.Synchronous}");
            Execute(connection, $"PRAGMA busy_timeout={(int)_options.BusyTimeout.TotalMilliseconds}");
            Execute(connection, $"PRAGMA cache_size=-{EmbeddedSchema.CacheSizeKib}");
            Execute(connection, $"PRAGMA wal_autocheckpoint={EmbeddedSchema.WalAutoCheckpointPages}");
            Execute(connection, $"PRAGMA journal_size_limit={EmbeddedSchema.JournalSizeLimitBytes}");
            Execute(connection, "PRAGMA temp_store=MEMORY");

            step = "creating or upgrading the schema";
            Migrate(connection);

            step = "preparing statements";
            _sqliteVersion = Scalar(connection, "SELECT sqlite_version()") as string;
            _writer = new EventWriter(connection.Handle!, _options.RowsPerStatement);
            _connection = connection;
            _initialized = true;
            return true;
        }
        catch (SqliteException e)
        {
            connection?.Dispose();
            throw EmbeddedStoreErrors.Map(e, _path, step);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
            throw EmbeddedStoreErrors.Map(e, _path, step);
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    // A call that passed ThrowIfNotReady may still queue behind DisposeAsync's Close (shutdown
    // racing the drainer's last write): it finds the connection gone and says so.
    private SqliteConnection Connection => _connection ?? throw new ObjectDisposedException(nameof(EmbeddedEventStore));

    private EventWriter Writer => _writer ?? throw new ObjectDisposedException(nameof(EmbeddedEventStore));

    // One IMMEDIATE transaction: read the version, run the missing steps, write the version.
    // The version is written even when unchanged — a real write on every open.
    private void Migrate(SqliteConnection connection)
    {
        using SqliteTransaction tx = connection.BeginTransaction(deferred: false);
        long version = Convert.ToInt64(Scalar(connection, "PRAGMA user_version", tx), CultureInfo.InvariantCulture);
        if (version > EmbeddedSchema.Version)
        {
            string message = $"Embedded event store '{_path}': the database has schema version {version}, newer than this hub's {EmbeddedSchema.Version}; run a newer hub or move the file aside.";
            throw new StoreRejectedException(message, $"user_version = {version}");
        }
        for (long step = version; step < EmbeddedSchema.Version; step++)
        {
            Execute(connection, EmbeddedSchema.Migrations[step], tx);
        }
        Execute(connection, $"PRAGMA user_version={EmbeddedSchema.Version}", tx);
        tx.Commit();
    }

    private StorePosition? ReadCheckpoint()
    {
        try
        {
            using SqliteCommand command = Connection.CreateCommand();
            command.CommandText = EmbeddedSchema.SelectCheckpoint;
            using SqliteDataReader reader = command.ExecuteReader();
            return reader.Read() ? new StorePosition(reader.GetInt64(0), reader.GetInt32(1)) : null;
        }
        catch (SqliteException e)
        {
            throw EmbeddedStoreErrors.Map(e, _path, "reading the drain checkpoint");
        }
    }

    private bool Close()
    {
        _writer?.Dispose();
        _writer = null;
        if (_connection is not null)
        {
            try
            {
                // Refreshes the planner's statistics where they went stale; cheap (analysis_limit).
                Execute(_connection, "PRAGMA analysis_limit=400; PRAGMA optimize;");
            }
            catch (SqliteException)
            {
                // best effort: a closing store with a full disk still closes
            }
            _connection.Dispose();
            _connection = null;
        }
        return true;
    }

    private void ThrowIfNotReady()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            throw new InvalidOperationException("Call InitializeAsync before using the embedded event store.");
        }
    }

    private static long ToUnixNano(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
