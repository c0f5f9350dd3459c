using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Rollups;
using Microsoft.Data.Sqlite;

namespace AnalyticsHub.Storage.Stores.Embedded;

/// <summary>Persisted rollups (<see cref="IRollupStore"/>) in the same SQLite file as the events.</summary>
/// <remarks>
/// <para>Tables and keys: <see cref="EmbeddedRollupSchema"/> (schema step 2, created by the same
/// migration as the events table, so <see cref="InitializeRollupsAsync"/> and
/// <see cref="InitializeAsync"/> are one and the same and may run in either order, or both).</para>
/// <para>Writes and retention run on the writer thread between event writes, each flush one
/// transaction fsync'd at commit (<see cref="EmbeddedSchema.Durability"/>). Reads open a read-only
/// pooled connection of their own (WAL mode: they see every committed flush and never wait for the
/// writer) and run on the caller's thread.</para>
/// </remarks>
public sealed partial class EmbeddedEventStore : IRollupStore
{
    /// <summary>The <c>node</c> of every rollup row and checkpoint in the embedded store: one database belongs to one node.</summary>
    public const string RollupNode = "local";

    /// <summary>Opens the file and brings the schema (rollup tables included) up to date: the same work as
    /// <see cref="InitializeAsync"/>; whichever runs first does it, the other finds it done.</summary>
    public Task InitializeRollupsAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _thread.RunAsync(Initialize, cancellationToken);
    }

    /// <summary>The position stored with the last committed <see cref="WriteRollupsAsync"/>; 0 when none ever committed.</summary>
    public Task<long> LoadRollupCheckpointAsync(CancellationToken cancellationToken)
    {
        ThrowIfNotReady();
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var connection = OpenReader();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = EmbeddedRollupSchema.SelectCheckpoint;
            command.Parameters.AddWithValue("$node", RollupNode);
            return Task.FromResult(command.ExecuteScalar() is long position ? position : 0L);
        }
        catch (SqliteException e)
        {
            throw EmbeddedStoreErrors.Map(e, _path, "reading the rollup checkpoint");
        }
    }

    /// <summary>Main rows (part 0) of <paramref name="resolutionSeconds"/> whose bucket starts at or after
    /// <paramref name="fromUnixNano"/>. The key holds one main row per bucket — the highest version written.</summary>
    public Task<IReadOnlyList<RollupRow>> LoadRollupsAsync(int resolutionSeconds, long fromUnixNano, CancellationToken cancellationToken)
    {
        RollupStoreRules.RequireResolution(resolutionSeconds, nameof(resolutionSeconds));
        ThrowIfNotReady();
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IReadOnlyList<RollupRow>>(ReadRows(
            EmbeddedRollupSchema.SelectNodeMainRows,
            command =>
            {
                command.Parameters.AddWithValue("$node", RollupNode);
                command.Parameters.AddWithValue("$resolution", resolutionSeconds);
                command.Parameters.AddWithValue("$from", RollupStoreRules.FirstBucketFrom(fromUnixNano, resolutionSeconds));
            },
            tenant: null,
            "loading rollups"));
    }

    /// <summary>
    /// One transaction on the writer thread: each main row (part 0) inserted or, when a main row with
    /// the same key exists, replacing it only if its <see cref="RollupRow.Version"/> is higher (equal
    /// or lower: the stored row stays); each late part inserted unless that exact part is already
    /// stored (a retried flush); then <c>rollup_checkpoints</c> set to <paramref name="checkpoint"/>.
    /// Durable when the task completes; after a failure or a crash nothing of it is stored.
    /// </summary>
    /// <exception cref="StoreRejectedException">A row no store can hold (<see cref="RollupStoreRules.RequireStorable"/>), or SQLite refused a value: nothing was written.</exception>
    /// <exception cref="StoreUnavailableException">Disk full, I/O error, lock timeout: nothing was written; retry later.</exception>
    public Task WriteRollupsAsync(IReadOnlyList<RollupRow> rows, long checkpoint, CancellationToken cancellationToken)
    {
        RollupStoreRules.RequireStorable(rows, checkpoint, $"Embedded event store '{_path}'");
        ThrowIfNotReady();
        return _thread.RunAsync(() =>
        {
            try
            {
                using var writer = new RollupWriter(Connection.Handle!);
                writer.Write(RollupNode, rows, checkpoint, ToUnixNano(DateTimeOffset.UtcNow));
                return true;
            }
            catch (SqliteException e)
            {
                throw EmbeddedStoreErrors.Map(e, _path, $"writing {rows.Count} rollup rows");
            }
        }, cancellationToken);
    }

    /// <summary>
    /// The tenant's rows of the request's resolution whose bucket starts in [start, end): of the one
    /// metric when <see cref="RollupReadRequest.Metric"/> is set (the event type is then not looked at),
    /// else of every metric of <see cref="RollupReadRequest.EventType"/>, else of every metric. Main rows
    /// and late parts, in no particular order (the embedded store has one node).
    /// </summary>
    public Task<IReadOnlyList<RollupRow>> ReadRollupsAsync(RollupReadRequest request, CancellationToken cancellationToken)
    {
        bool canMatch = RollupStoreRules.Require(request);
        ThrowIfNotReady();
        cancellationToken.ThrowIfCancellationRequested();
        if (!canMatch)
        {
            return Task.FromResult<IReadOnlyList<RollupRow>>([]);
        }

        string sql = EmbeddedRollupSchema.SelectTenantRows
            + (request.Metric is not null ? " AND metric = $metric" : request.EventType is not null ? " AND event_type = $type" : "");
        return Task.FromResult<IReadOnlyList<RollupRow>>(ReadRows(
            sql,
            command =>
            {
                command.Parameters.AddWithValue("$tenant", request.TenantId);
                command.Parameters.AddWithValue("$resolution", request.ResolutionSeconds);
                command.Parameters.AddWithValue("$from", RollupStoreRules.FirstBucketFrom(request.StartUnixNano, request.ResolutionSeconds));
                command.Parameters.AddWithValue("$to", RollupStoreRules.FirstBucketFrom(request.EndUnixNano, request.ResolutionSeconds));
                if (request.Metric is not null)
                {
                    command.Parameters.AddWithValue("$metric", request.Metric);
                }
                else if (request.EventType is { } type)
                {
                    command.Parameters.AddWithValue("$type", (int)type);
                }
            },
            request.TenantId,
            "reading rollups"));
    }

    /// <summary>
    /// Deletes rows (main rows and late parts) of <paramref name="resolutionSeconds"/> whose bucket starts
    /// before <paramref name="cutoff"/>, in transactions of at most
    /// <see cref="EmbeddedStoreOptions.RetentionChunkRows"/> rows queued on the writer thread like writes.
    /// Cancelling stops between chunks; chunks already committed stay deleted.
    /// </summary>
    public async Task DeleteRollupsOlderThanAsync(int resolutionSeconds, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        RollupStoreRules.RequireResolution(resolutionSeconds, nameof(resolutionSeconds));
        ThrowIfNotReady();
        long before = RollupStoreRules.FirstBucketFrom(cutoff, resolutionSeconds);
        int chunk = _options.RetentionChunkRows;
        int deleted;
        do
        {
            deleted = await _thread.RunAsync(() => DeleteRollupChunk(resolutionSeconds, before, chunk), cancellationToken).ConfigureAwait(false);
        }
        while (deleted == chunk);
    }

    private int DeleteRollupChunk(int resolutionSeconds, long before, int chunk) =>
        DeleteChunk(
            EmbeddedRollupSchema.DeleteChunk,
            command =>
            {
                command.Parameters.AddWithValue("$resolution", resolutionSeconds);
                command.Parameters.AddWithValue("$before", before);
            },
            chunk,
            "deleting old rollups");

    // A read-only connection from the pool the probe uses (DisposeAsync clears it).
    private SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(_probeConnectionString);
        connection.Open();
        return connection;
    }

    // Rows of a SELECT of EmbeddedRollupSchema.Columns. `tenant`, when the query fixed it, is reused
    // instead of a new string per row.
    private List<RollupRow> ReadRows(string sql, Action<SqliteCommand> bind, string? tenant, string doing)
    {
        try
        {
            using var connection = OpenReader();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = sql;
            bind(command);
            using SqliteDataReader reader = command.ExecuteReader();
            var rows = new List<RollupRow>();
            while (reader.Read())
            {
                rows.Add(new RollupRow
                {
                    TenantId = tenant ?? reader.GetString(1),
                    Metric = reader.GetString(2),
                    SeriesKey = reader.GetString(3),
                    SourceModule = (SourceModule)reader.GetInt32(4),
                    EventType = (EventType)reader.GetInt32(5),
                    ResolutionSeconds = reader.GetInt32(6),
                    Bucket = reader.GetInt64(7),
                    Part = reader.GetInt64(8),
                    Stats = new BucketStats(unchecked((ulong)reader.GetInt64(9)), Real(reader, 10), Real(reader, 11), Real(reader, 12), Real(reader, 13)),
                    Tokens = Real(reader, 14),
                    Errors = unchecked((ulong)reader.GetInt64(15)),
                    Sketch = reader.IsDBNull(16) ? [] : (byte[])reader.GetValue(16),
                    Version = reader.GetInt64(17),
                });
            }

            return rows;
        }
        catch (SqliteException e)
        {
            throw EmbeddedStoreErrors.Map(e, _path, doing);
        }
    }

    // SQLite stores NaN as NULL.
    private static double Real(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? double.NaN : reader.GetDouble(ordinal);
}
