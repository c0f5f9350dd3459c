using System.Globalization;
using AnalyticsHub.Core.Storage;
using Npgsql;

namespace AnalyticsHub.Storage.Stores.Postgres;

public sealed partial class PostgresEventStore
{
    /// <inheritdoc />
    /// <remarks>
    /// Partitioned layout: drops every partition wholly older than <paramref name="cutoff"/> (the
    /// one holding the cutoff stays until it is wholly older), then DELETEs the default partition's
    /// older rows; returns -1. Hypertable: <c>drop_chunks</c>, -1. A plain table: DELETE, the row count.
    /// </remarks>
    public async Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var utcCutoff = cutoff.ToUniversalTime();
        try
        {
            return await OnConnectionAsync((connection, token) => Layout switch
            {
                PostgresEventsLayout.Hypertable => DropChunksAsync(connection, utcCutoff, token),
                PostgresEventsLayout.Plain => DeleteRowsAsync(connection, "events", utcCutoff, token),
                _ => DropPartitionsAsync(connection, utcCutoff, token),
            }, commitSent: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgresFailures.IsStoreFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            _dataSource.Clear();
            throw PostgresFailures.Unavailable(e, Endpoint, $"retention before {utcCutoff:O}");
        }
    }

    private static async Task<long> DropChunksAsync(NpgsqlConnection connection, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var drop = new NpgsqlCommand("SELECT count(*) FROM drop_chunks('events', older_than => $1)", connection);
        drop.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cutoff });
        await drop.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return -1;
    }

    private async Task<long> DropPartitionsAsync(NpgsqlConnection connection, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        foreach (var (name, _, to) in await ListPartitionsAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            if (to is { } end && end <= cutoff)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, LockTimeoutStatement(), cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, "DROP TABLE IF EXISTS " + name, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                PostgresStoreLog.PartitionDropped(_logger, name);
            }
        }

        await DeleteRowsAsync(connection, PostgresSchema.DefaultPartition, cutoff, cancellationToken).ConfigureAwait(false);
        await LoadPartitionsAsync(connection, cancellationToken).ConfigureAwait(false);
        return -1;
    }

    /// <summary>The partitions of <c>events</c> with their bounds (null for the default partition).</summary>
    internal async Task<List<(string Name, DateTimeOffset? From, DateTimeOffset? To)>> ListPartitionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var partitions = new List<(string, DateTimeOffset?, DateTimeOffset?)>();
        await using var command = new NpgsqlCommand(PostgresSchema.ListPartitions, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            partitions.Add((
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return partitions;
    }

    private async Task LoadPartitionsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var partitions = await ListPartitionsAsync(connection, cancellationToken).ConfigureAwait(false);
        _partitions.Reset(partitions.Where(p => p.From is not null && p.To is not null).Select(p => (p.From!.Value, p.To!.Value)));
    }

    /// <summary>Partitions for the current interval, the one before and <see cref="PostgresStoreOptions.PartitionsAhead"/>
    /// after it; checked once per interval. A failure here is logged and retried later: rows that need a partition
    /// get it (or fail) in <see cref="EnsurePartitionsAsync"/>.</summary>
    private async Task EnsurePartitionsAheadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        long now = _partitions.BucketOf(_clock.GetUtcNow());
        if (_aheadEnsuredFor == now)
        {
            return;
        }

        long floor = RetentionFloorBucket();
        for (long bucket = now - 1; bucket <= now + _options.PartitionsAhead; bucket++)
        {
            if (bucket < floor || _partitions.IsCovered(bucket))
            {
                continue;
            }

            try
            {
                await CreatePartitionAsync(connection, bucket, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException e) when (PostgresFailures.IsTransient(e.SqlState))
            {
                PostgresStoreLog.PartitionAheadFailed(_logger, _partitions.NameOf(bucket), e);
                return;
            }
        }

        _aheadEnsuredFor = now;
    }

    /// <summary>Creates the partitions the rows [start, start + count) need (at most
    /// <see cref="PostgresStoreOptions.MaxNewPartitionsPerWrite"/>, none for days past retention).</summary>
    private async Task EnsurePartitionsAsync(NpgsqlConnection connection, StoredEventBatch batch, int start, int count, CancellationToken cancellationToken)
    {
        await EnsurePartitionsAheadAsync(connection, cancellationToken).ConfigureAwait(false);
        CollectMissingBuckets(batch, start, count);
        foreach (long bucket in _missingBuckets)
        {
            await CreatePartitionAsync(connection, bucket, cancellationToken).ConfigureAwait(false);
        }
    }

    private void CollectMissingBuckets(StoredEventBatch batch, int start, int count)
    {
        int limit = _options.MaxNewPartitionsPerWrite;
        _missingBuckets.Clear();
        _partitions.CollectMissing(batch.Rows.Slice(start, count), RetentionFloorBucket(), limit + 1, _missingBuckets);
        if (_missingBuckets.Count > limit)
        {
            _missingBuckets.RemoveAt(limit);
            PostgresStoreLog.TooManyPartitions(_logger, limit);
        }
    }

    /// <summary>
    /// Creates and attaches one partition in its own short transaction, under the schema advisory
    /// lock and a lock timeout. CREATE + ATTACH (rather than CREATE … PARTITION OF) takes only a
    /// SHARE UPDATE EXCLUSIVE lock on <c>events</c>, so queries keep running. When PostgreSQL
    /// refuses the partition for good (e.g. the default partition already holds rows of the range),
    /// the range stays with what holds it now and is remembered as covered; a transient failure
    /// (lock timeout, lost connection) propagates.
    /// </summary>
    private async Task CreatePartitionAsync(NpgsqlConnection connection, long bucket, CancellationToken cancellationToken)
    {
        string name = _partitions.NameOf(bucket);
        var from = _partitions.StartOf(bucket);
        var to = _partitions.EndOf(bucket);
        try
        {
            bool existed;
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
            {
                await ExecuteAsync(connection, LockTimeoutStatement(), cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({PostgresSchema.SchemaLockKey})", cancellationToken).ConfigureAwait(false);
                existed = await ScalarAsync<bool>(connection,
                    $"SELECT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass('{name}') AND inhparent = to_regclass('events'))",
                    cancellationToken).ConfigureAwait(false);
                if (!existed)
                {
                    await ExecuteAsync(connection, $"CREATE TABLE IF NOT EXISTS {name} (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)", cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection,
                        $"ALTER TABLE events ATTACH PARTITION {name} FOR VALUES FROM ({PostgresPartitions.Literal(from)}) TO ({PostgresPartitions.Literal(to)})",
                        cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            _partitions.MarkCovered(bucket);
            if (!existed)
            {
                PostgresStoreLog.PartitionCreated(_logger, name, from, to);
            }
        }
        catch (PostgresException e) when (!PostgresFailures.IsTransient(e.SqlState))
        {
            // Refused for good (the default partition holds rows of the range: 23514; another
            // partition overlaps it: 42P17; no right to create tables: 42501 …): the rows go where
            // PostgreSQL routes them, the default partition at worst, and are never refused for it.
            _partitions.MarkCovered(bucket);
            PostgresStoreLog.PartitionToDefault(_logger, name, from, to, PostgresFailures.ServerMessage(e));
        }
    }

    private long RetentionFloorBucket() =>
        _options.RetentionCutoff(_clock.GetUtcNow()) is { } cutoff ? _partitions.BucketOf(cutoff) : long.MinValue;

    private string LockTimeoutStatement() =>
        "SET LOCAL lock_timeout = '" + ((long)_options.LockTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms'";

    private static async Task<long> DeleteRowsAsync(NpgsqlConnection connection, string table, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var delete = new NpgsqlCommand($"DELETE FROM {table} WHERE time < $1", connection);
        delete.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = cutoff });
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
