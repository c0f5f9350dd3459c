using System.Runtime.CompilerServices;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Rollups;
using Npgsql;
using NpgsqlTypes;

namespace AnalyticsHub.Storage.Stores.Postgres;

/// <summary>Persisted rollups (<see cref="IRollupStore"/>): tables and statements in <see cref="PostgresRollupSchema"/>.</summary>
/// <remarks>
/// Every node writes its own rows (<see cref="PostgresStoreOptions.NodeId"/> in the key) and its own
/// checkpoint row; queries read all nodes' rows. Connections, the retry of a dead pooled connection and
/// the failure mapping are the event store's (<see cref="PostgresFailures"/>).
/// </remarks>
public sealed partial class PostgresEventStore : IRollupStore
{
    private volatile bool _rollupsInitialized;

    /// <summary>
    /// Creates <c>rollups</c>, its read index and <c>rollup_checkpoints</c> when missing, in one transaction
    /// under the schema advisory lock (so it may run beside <see cref="InitializeAsync"/> or another node's
    /// start; nothing is executed for what exists). Needs nothing of the events schema.
    /// </summary>
    /// <exception cref="StoreUnavailableException">The server cannot be reached.</exception>
    /// <exception cref="StoreRejectedException">The server refused the DDL (permissions), with its message.</exception>
    public async Task InitializeRollupsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await OnConnectionAsync(async (connection, token) =>
            {
                await CreateRollupSchemaAsync(connection, token).ConfigureAwait(false);
                return true;
            }, commitSent: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgresFailures.IsStoreFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            _dataSource.Clear();
            throw PostgresFailures.ForSchema(e, Endpoint, "the rollup schema (rollups, rollup_checkpoints)");
        }

        _rollupsInitialized = true;
    }

    /// <inheritdoc />
    public async Task<long> LoadRollupCheckpointAsync(CancellationToken cancellationToken)
    {
        await EnsureRollupsInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await RollupQueryAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand(PostgresRollupSchema.ReadCheckpoint, connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _options.NodeId });
            return await command.ExecuteScalarAsync(token).ConfigureAwait(false) is long position ? position : 0L;
        }, "reading the rollup checkpoint", cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The primary key holds one main row per key and node: the highest version written.</remarks>
    public async Task<IReadOnlyList<RollupRow>> LoadRollupsAsync(int resolutionSeconds, long fromUnixNano, CancellationToken cancellationToken)
    {
        RollupStoreRules.RequireResolution(resolutionSeconds, nameof(resolutionSeconds));
        await EnsureRollupsInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await RollupQueryAsync((connection, token) => ReadRowsAsync(
            connection,
            PostgresRollupSchema.SelectNodeMainRows,
            [
                new NpgsqlParameter<string> { TypedValue = _options.NodeId },
                new NpgsqlParameter<int> { TypedValue = resolutionSeconds },
                new NpgsqlParameter<long> { TypedValue = RollupStoreRules.FirstBucketFrom(fromUnixNano, resolutionSeconds) },
            ],
            token), "loading rollups", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One transaction: the rows by binary COPY into a temporary table, then each main row (part 0)
    /// inserted or — when this node already has a main row for the key — replacing it only when its
    /// <see cref="RollupRow.Version"/> is higher; each late part inserted unless that exact part is stored
    /// (a retried flush sends it again); then this node's <c>rollup_checkpoints</c> row set to
    /// <paramref name="checkpoint"/>; COMMIT. A failure at any point leaves none of it.
    /// </summary>
    /// <exception cref="StoreRejectedException">A row no store can hold, or one PostgreSQL refused (e.g. a NUL in
    /// text): nothing was written; <see cref="StoreRejectedException.ServerMessage"/> has the server's words.</exception>
    /// <exception cref="StoreUnavailableException">Unreachable, timed out, or a failure worth retrying; nothing was
    /// written unless the failure came after COMMIT was sent (then the next <see cref="LoadRollupCheckpointAsync"/> tells).</exception>
    public async Task WriteRollupsAsync(IReadOnlyList<RollupRow> rows, long checkpoint, CancellationToken cancellationToken)
    {
        RollupStoreRules.RequireStorable(rows, checkpoint, $"PostgreSQL at {Endpoint}");
        await EnsureRollupsInitializedAsync(cancellationToken).ConfigureAwait(false);
        var commitSent = new StrongBox<bool>();
        try
        {
            await OnConnectionAsync(async (connection, token) =>
            {
                commitSent.Value = false;
                await using var transaction = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
                await using var batch = new NpgsqlBatch(connection, transaction);
                if (rows.Count > 0)
                {
                    await ExecuteAsync(connection, PostgresRollupSchema.CreateStaging, token).ConfigureAwait(false);
                    await CopyRollupsAsync(connection, rows, token).ConfigureAwait(false);
                    batch.BatchCommands.Add(NodeCommand(PostgresRollupSchema.MergeMainRows));
                    batch.BatchCommands.Add(NodeCommand(PostgresRollupSchema.MergeLateParts));
                }

                var upsert = NodeCommand(PostgresRollupSchema.UpsertCheckpoint);
                upsert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = checkpoint });
                batch.BatchCommands.Add(upsert);
                await batch.ExecuteNonQueryAsync(token).ConfigureAwait(false);

                commitSent.Value = true;
                await transaction.CommitAsync(token).ConfigureAwait(false);
                return true;
            }, commitSent, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgresFailures.IsStoreFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw RollupFailure(e, PostgresFailures.ForWrite(e, Endpoint, $"a rollup flush of {rows.Count} rows (checkpoint {checkpoint})"));
        }
    }

    /// <summary>
    /// Every node's rows of the request's tenant and resolution whose bucket starts in [start, end): of the
    /// one metric when <see cref="RollupReadRequest.Metric"/> is set (the event type is then not looked at),
    /// else of every metric of <see cref="RollupReadRequest.EventType"/>, else of every metric. Main rows
    /// (one per node and key) and late parts, in no particular order.
    /// </summary>
    public async Task<IReadOnlyList<RollupRow>> ReadRollupsAsync(RollupReadRequest request, CancellationToken cancellationToken)
    {
        if (!RollupStoreRules.Require(request))
        {
            return []; // no stored row holds U+0000 (and the server would refuse the parameter)
        }

        await EnsureRollupsInitializedAsync(cancellationToken).ConfigureAwait(false);
        var parameters = new List<NpgsqlParameter>
        {
            new NpgsqlParameter<string> { TypedValue = request.TenantId },
            new NpgsqlParameter<int> { TypedValue = request.ResolutionSeconds },
            new NpgsqlParameter<long> { TypedValue = RollupStoreRules.FirstBucketFrom(request.StartUnixNano, request.ResolutionSeconds) },
            new NpgsqlParameter<long> { TypedValue = RollupStoreRules.FirstBucketFrom(request.EndUnixNano, request.ResolutionSeconds) },
        };
        string sql = PostgresRollupSchema.SelectTenantRows;
        if (request.Metric is not null)
        {
            sql += " AND metric = $5";
            parameters.Add(new NpgsqlParameter<string> { TypedValue = request.Metric });
        }
        else if (request.EventType is { } type)
        {
            sql += " AND event_type = $5";
            parameters.Add(new NpgsqlParameter<short> { TypedValue = (short)type });
        }

        return await RollupQueryAsync(
            (connection, token) => ReadRowsAsync(connection, sql, parameters, token),
            $"reading rollups of tenant '{request.TenantId}'", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes every node's rows (main rows and late parts) of <paramref name="resolutionSeconds"/> whose
    /// bucket starts before <paramref name="cutoff"/>, in one statement (regular retention deletes a day's worth).</summary>
    public async Task DeleteRollupsOlderThanAsync(int resolutionSeconds, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        RollupStoreRules.RequireResolution(resolutionSeconds, nameof(resolutionSeconds));
        await EnsureRollupsInitializedAsync(cancellationToken).ConfigureAwait(false);
        long before = RollupStoreRules.FirstBucketFrom(cutoff, resolutionSeconds);
        await RollupQueryAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand(PostgresRollupSchema.DeleteOlder, connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = resolutionSeconds });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = before });
            return await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
        }, $"deleting {resolutionSeconds} s rollups before {cutoff.UtcDateTime:O}", cancellationToken).ConfigureAwait(false);
    }

    private async Task CreateRollupSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({PostgresSchema.SchemaLockKey})", cancellationToken).ConfigureAwait(false);
        bool hasRollups, hasReadIndex, hasCheckpoints;
        await using (var inspect = new NpgsqlCommand(PostgresRollupSchema.Inspect, connection))
        await using (var reader = await inspect.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            hasRollups = reader.GetBoolean(0);
            hasReadIndex = reader.GetBoolean(1);
            hasCheckpoints = reader.GetBoolean(2);
        }

        if (!hasRollups)
        {
            await ExecuteAsync(connection, PostgresRollupSchema.CreateRollups, cancellationToken).ConfigureAwait(false);
        }

        if (!hasReadIndex)
        {
            await ExecuteAsync(connection, PostgresRollupSchema.CreateReadIndex, cancellationToken).ConfigureAwait(false);
        }

        if (!hasCheckpoints)
        {
            await ExecuteAsync(connection, PostgresRollupSchema.CreateCheckpoints, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyRollupsAsync(NpgsqlConnection connection, IReadOnlyList<RollupRow> rows, CancellationToken cancellationToken)
    {
        await using var importer = await connection.BeginBinaryImportAsync(PostgresRollupSchema.CopyStaging, cancellationToken).ConfigureAwait(false);
        importer.Timeout = _options.CommandTimeout;
        for (int i = 0; i < rows.Count; i++)
        {
            RollupRow row = rows[i];
            BucketStats stats = row.Stats;
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.TenantId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.Metric, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.SeriesKey, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync((short)row.SourceModule, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync((short)row.EventType, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.ResolutionSeconds, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.Bucket, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.Part, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(unchecked((long)stats.Count), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(stats.Sum, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(stats.SumOfSquares, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(stats.Min, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(stats.Max, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.Tokens, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(unchecked((long)row.Errors), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.Sketch, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(row.Version, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private NpgsqlBatchCommand NodeCommand(string sql)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _options.NodeId });
        return command;
    }

    // Rows of a SELECT of PostgresRollupSchema.RowColumns.
    private static async Task<IReadOnlyList<RollupRow>> ReadRowsAsync(NpgsqlConnection connection, string sql, IReadOnlyList<NpgsqlParameter> parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter.Clone()); // a parameter belongs to one command; a retry makes another
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<RollupRow>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new RollupRow
            {
                TenantId = reader.GetString(0),
                Metric = reader.GetString(1),
                SeriesKey = reader.GetString(2),
                SourceModule = (SourceModule)reader.GetInt16(3),
                EventType = (EventType)reader.GetInt16(4),
                ResolutionSeconds = reader.GetInt32(5),
                Bucket = reader.GetInt64(6),
                Part = reader.GetInt64(7),
                Stats = new BucketStats(unchecked((ulong)reader.GetInt64(8)), reader.GetDouble(9), reader.GetDouble(10), reader.GetDouble(11), reader.GetDouble(12)),
                Tokens = reader.GetDouble(13),
                Errors = unchecked((ulong)reader.GetInt64(14)),
                Sketch = reader.GetFieldValue<byte[]>(15),
                Version = reader.GetInt64(16),
            });
        }

        return rows;
    }

    // A read, count or delete on a pooled connection; every failure is transient (the request is bound as parameters).
    private async Task<T> RollupQueryAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> action, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await OnConnectionAsync(action, commitSent: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgresFailures.IsStoreFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw RollupFailure(e, PostgresFailures.Unavailable(e, Endpoint, what));
        }
    }

    // After a transient failure the pool is cleared (a restarted server is reconnected next time), and a
    // table gone missing is created again before the next call.
    private Exception RollupFailure(Exception cause, Exception failure)
    {
        if (failure is StoreUnavailableException)
        {
            _dataSource.Clear();
            if (cause is PostgresException { SqlState: "42P01" or "42703" })
            {
                _rollupsInitialized = false;
            }
        }

        return failure;
    }

    private async Task EnsureRollupsInitializedAsync(CancellationToken cancellationToken)
    {
        if (_rollupsInitialized)
        {
            return;
        }

        try
        {
            await InitializeRollupsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StoreRejectedException e)
        {
            // The rows are not at fault when the tables cannot be created: transient, an operator repairs.
            throw new StoreUnavailableException(e.Message, e);
        }
    }
}
