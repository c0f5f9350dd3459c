using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AnalyticsHub.Storage.Stores.Postgres;

/// <summary>
/// The PostgreSQL (or TimescaleDB) event store (<c>Hub:Storage:Kind=postgres</c>): rows arrive by
/// binary COPY, in one transaction with this node's drain checkpoint, so a batch is either wholly
/// stored and recorded or not at all, and <see cref="ResumeAsync"/> needs no row lookups.
/// </summary>
/// <remarks>
/// <para>Layout (<see cref="InitializeAsync"/>): a TimescaleDB hypertable with
/// compression when the server offers the extension, else a table partitioned by range of
/// <c>time</c>, one partition per <see cref="PostgresStoreOptions.PartitionInterval"/> (created ahead,
/// and on demand before a write that needs them), with a default partition as the last resort so
/// no row is ever refused for its date. Retention drops whole partitions (or chunks).</para>
/// <para>Connections come from an <see cref="NpgsqlDataSource"/> pool; after a transient failure the
/// pool is cleared, so a restarted server is reconnected on the next call.</para>
/// <para>Calls come from one drainer at a time (the contract); <see cref="ProbeAsync"/> may run beside them.</para>
/// </remarks>
public sealed partial class PostgresEventStore : IEventStore
{
    private const int DefaultWriteBufferSize = 8192;
    private const int CopyWriteBufferSize = 64 * 1024;

    private static readonly IReadOnlySet<StorePosition> s_noRows = FrozenSet<StorePosition>.Empty;

    private readonly PostgresStoreOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly PostgresPartitions _partitions;
    private readonly List<long> _missingBuckets = [];
    private readonly ReadOnlyMemory<byte> _nodeUtf8;
    private byte[] _arena = [];
    private byte[] _jsonb = [];
    private volatile bool _initialized;
    private long _aheadEnsuredFor = long.MinValue;

    public PostgresEventStore(PostgresStoreOptions options, ILogger<PostgresEventStore>? logger = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
        _partitions = new PostgresPartitions(options.PartitionInterval);
        _nodeUtf8 = System.Text.Encoding.UTF8.GetBytes(options.NodeId);

        var connection = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            CommandTimeout = WholeSeconds(options.CommandTimeout),
            Timeout = WholeSeconds(options.ConnectTimeout),
        };
        if (connection.WriteBufferSize == DefaultWriteBufferSize)
        {
            // COPY streams megabytes: bigger writes mean fewer sends (measured: a few % less client CPU per row).
            connection.WriteBufferSize = CopyWriteBufferSize;
        }

        if (string.IsNullOrEmpty(connection.ApplicationName))
        {
            connection.ApplicationName = "analyticshub " + options.NodeId;
        }

        Endpoint = $"{connection.Host ?? "localhost"}:{connection.Port}/{connection.Database ?? connection.Username}";
        _dataSource = new NpgsqlDataSourceBuilder(connection.ConnectionString).Build();
    }

    public string Kind => "postgres";

    /// <summary><c>host:port/database</c>, as named in messages.</summary>
    public string Endpoint { get; }

    /// <summary>How <c>events</c> is laid out (known after <see cref="InitializeAsync"/>).</summary>
    public PostgresEventsLayout Layout { get; private set; }

    /// <summary>The server's <c>server_version</c> (known after <see cref="InitializeAsync"/>).</summary>
    public string? ServerVersion { get; private set; }

    /// <summary>The server's <c>server_version_num</c>, e.g. 150014 (known after <see cref="InitializeAsync"/>).</summary>
    public int ServerVersionNumber { get; private set; }

    /// <summary>Column type of <c>tags</c>/<c>payload</c> in the existing table (known after <see cref="InitializeAsync"/>).</summary>
    public PostgresJsonType JsonType { get; private set; }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await OnConnectionAsync(async (connection, token) =>
            {
                await CreateSchemaAsync(connection, token).ConfigureAwait(false);
                if (Layout == PostgresEventsLayout.Partitioned)
                {
                    await LoadPartitionsAsync(connection, token).ConfigureAwait(false);
                    _aheadEnsuredFor = long.MinValue;
                    await EnsurePartitionsAheadAsync(connection, token).ConfigureAwait(false);
                }

                return true;
            }, commitSent: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgresFailures.IsStoreFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            _dataSource.Clear();
            throw PostgresFailures.ForSchema(e, Endpoint, "the schema (events, drain_checkpoints)");
        }

        _initialized = true;
        PostgresStoreLog.Ready(_logger, Endpoint, ServerVersion ?? "?", Layout, JsonType == PostgresJsonType.Json ? "json" : "jsonb");
    }

    /// <inheritdoc />
    /// <remarks>The checkpoint row is written in the same transaction as the rows, so it is exactly
    /// what is stored: no rows past it are, and <see cref="StoreResume.StoredRows"/> is always empty.</remarks>
    public async Task<StoreResume> ResumeAsync(long walCheckpoint, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await OnConnectionAsync(async (connection, token) =>
            {
                await using var command = new NpgsqlCommand(PostgresSchema.ReadCheckpoint, connection);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _options.NodeId });
                await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                return await reader.ReadAsync(token).ConfigureAwait(false)
                    ? new StorePosition(reader.GetInt64(0), reader.GetInt32(1))
                    : (StorePosition?)null;
            }, commitSent: null, cancellationToken).ConfigureAwait(false);

            return stored is { } position && position >= new StorePosition(walCheckpoint, 0)
                ? new StoreResume(position, s_noRows)
                : StoreResume.Nothing(walCheckpoint);
        }
        catch (Exception e) when (PostgresFailures.IsStoreFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            _dataSource.Clear();
            throw PostgresFailures.Unavailable(e, Endpoint, "reading the drain checkpoint");
        }
    }

    /// <inheritdoc />
    public async Task<StoreProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ProbeTimeout);
        try
        {
            string version = await OnConnectionAsync(async (connection, token) =>
            {
                await using var command = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = WholeSeconds(_options.ProbeTimeout) };
                await command.ExecuteScalarAsync(token).ConfigureAwait(false);
                return connection.ServerVersion;
            }, commitSent: null, timeout.Token).ConfigureAwait(false);
            return StoreProbe.Ok(version);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return StoreProbe.Failed($"PostgreSQL at {Endpoint} did not answer within {_options.ProbeTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (PostgresFailures.IsStoreFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            _dataSource.Clear();
            return StoreProbe.Failed(PostgresFailures.Unavailable(e, Endpoint, "probe").Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        if (_arena.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_arena);
            _arena = [];
        }

        if (_jsonb.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_jsonb);
            _jsonb = [];
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a pooled connection. A pooled connection may have died
    /// since it was last used (the server restarted): when the first attempt finds it dead before
    /// anything could have been committed (<paramref name="commitSent"/> still false), the pool is
    /// cleared and the action runs once more on a new connection. A failure after COMMIT was sent
    /// is never retried here: whether it committed is unknown, which is what
    /// <see cref="ResumeAsync"/> answers for the drainer.
    /// </summary>
    private async Task<T> OnConnectionAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> action, StrongBox<bool>? commitSent, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await action(connection, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt == 0 && commitSent?.Value != true && IsDeadConnection(e) && !cancellationToken.IsCancellationRequested)
            {
                _dataSource.Clear();
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>The connection is gone (closed by the server, reset), as opposed to a slow server or a refused statement.</summary>
    private static bool IsDeadConnection(Exception e) => e switch
    {
        PostgresException pg => pg.SqlState is "57P01" or "57P02" or "57P03" || pg.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException { InnerException: TimeoutException } => false,
        NpgsqlException npgsql => npgsql.InnerException is IOException or System.Net.Sockets.SocketException || npgsql.IsTransient,
        _ => false,
    };

    private async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        try
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StoreRejectedException e)
        {
            // Rows are not at fault when the schema cannot be created: keep them (transient), the operator repairs.
            throw new StoreUnavailableException(e.Message, e);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static int WholeSeconds(TimeSpan span) => (int)Math.Max(1, Math.Ceiling(span.TotalSeconds));
}
