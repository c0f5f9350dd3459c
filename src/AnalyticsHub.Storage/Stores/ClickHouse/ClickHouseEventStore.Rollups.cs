using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Storage.Stores.ClickHouse.Internal;

namespace AnalyticsHub.Storage.Stores.ClickHouse;

/// <summary>Persisted rollups (<see cref="IRollupStore"/>) in the <c>rollups</c> table (<see cref="ClickHouseRollupSchema"/>).</summary>
/// <remarks>
/// <para>ClickHouse has no transactions. A flush is one <c>INSERT … FORMAT RowBinary</c> of its rows and a
/// checkpoint marker row, sent as one block into an unpartitioned table, so it becomes visible all at once
/// or not at all; the checkpoint is the highest marker version of this node
/// (<see cref="LoadRollupCheckpointAsync"/>).</para>
/// <para>Reads never rely on background merges: they group by the key and take each column set of the
/// highest version (<c>argMax(tuple(…), version)</c>, one tuple so every value comes from the same row).
/// Answers are RowBinary, read as they stream in (<see cref="RowBinaryReader"/>).
/// 18.16 has no query parameters: values in SQL go through <see cref="ClickHouseLiteral"/>.</para>
/// </remarks>
public sealed partial class ClickHouseEventStore : IRollupStore
{
    /// <summary><c>min_insert_block_size_bytes</c> of a rollup insert: far above any flush, so no byte threshold ends a block early.</summary>
    private const long LargeInsertBlockBytes = 1L << 40;

    private static readonly TimeSpan MutationPollInterval = TimeSpan.FromMilliseconds(100);

    private volatile bool _rollupsInitialized;
    private string _rollupInsertQuery = "";
    private string _rollupInsertSettings = "";

    /// <summary>Every rollup insert of this node carries a query id starting so (see <see cref="LoadRollupCheckpointAsync"/>).</summary>
    private string RollupQueryIdPrefix => $"hub-rollups-{_options.NodeId}-";

    /// <summary>
    /// Reads the server version, creates the database and the <c>rollups</c> table when missing (Legacy DDL
    /// before 20.3, Modern from it; on a cluster <c>rollups_local</c> on each node and a <c>Distributed</c>
    /// <c>rollups</c>), checks an existing table has the columns the writer sends, and learns which
    /// insert settings the server knows. Needs nothing of <see cref="InitializeAsync"/> and may run beside it.
    /// </summary>
    /// <exception cref="StoreUnavailableException">The server cannot be reached or is busy.</exception>
    /// <exception cref="StoreRejectedException">The server refused the DDL, or <c>rollups</c> exists with other columns.</exception>
    public async Task InitializeRollupsAsync(CancellationToken cancellationToken)
    {
        var version = await VersionAsync(_server, cancellationToken).ConfigureAwait(false);
        if (_options.IsCluster)
        {
            await RequireClusterAsync(cancellationToken).ConfigureAwait(false);
        }

        var (nodes, onCluster) = SchemaTargets();
        foreach (var node in nodes)
        {
            var layout = (node == _server ? version : await VersionAsync(node, cancellationToken).ConfigureAwait(false)).LayoutForNewTables;
            foreach (var (sql, what) in RollupSchemaStatements(layout, onCluster))
            {
                await RollupSchemaAsync(node, sql, what, onCluster, cancellationToken).ConfigureAwait(false);
            }
        }

        var columns = await ColumnsAsync(ClickHouseRollupSchema.Table, cancellationToken).ConfigureAwait(false);
        string problem = columns.Count == 0 ? "it does not exist (with ClusterNodeUrls, Url must be one of the nodes)" : ClickHouseRollupSchema.Mismatch(columns);
        if (problem.Length > 0)
        {
            string message = $"ClickHouse table {_database}.{ClickHouseRollupSchema.Table} at {Authority}: {problem}.";
            throw new StoreRejectedException(message, message);
        }

        _rollupInsertSettings = await RollupInsertSettingsAsync(cancellationToken).ConfigureAwait(false);
        _rollupInsertQuery = $"INSERT INTO {_database}.{ClickHouseRollupSchema.Table} "
            + $"{ClickHouseSchema.InsertColumnList(ClickHouseTableLayout.Legacy, ClickHouseRollupSchema.Columns)} FORMAT RowBinary";
        _rollupsInitialized = true;
    }

    /// <summary>
    /// The highest checkpoint marker of this node (0 when it never flushed). First waits until no rollup
    /// insert of this node is still running on the server (a hub killed mid-flush leaves one behind), so
    /// the answer cannot be overtaken by a flush landing after it: that flush's late parts would otherwise
    /// be counted twice once the WAL is replayed from the older checkpoint.
    /// </summary>
    /// <remarks>Monotonic: a marker with a lower checkpoint than one already stored does not lower it.</remarks>
    public async Task<long> LoadRollupCheckpointAsync(CancellationToken cancellationToken)
    {
        EnsureRollupsInitialized();
        // (LIKE: '_' in a node id may match another character; waiting a little longer is harmless.)
        await SettleAsync($"query_id LIKE {ClickHouseLiteral.Quote(RollupQueryIdPrefix + "%")}").ConfigureAwait(false);
        string sql = $"SELECT max(version) FROM {_database}.{ClickHouseRollupSchema.Table} WHERE {MarkerFilter()} FORMAT RowBinary";
        return await _http.ReadAsync(_server, sql, "the rollup checkpoint lookup", async (stream, token) =>
        {
            var reader = new RowBinaryReader(stream);
            long checkpoint = (long)await reader.UInt64Async(token).ConfigureAwait(false); // max() of no rows is one row, 0
            return await reader.HasRowAsync(token).ConfigureAwait(false)
                ? throw new IOException("The checkpoint lookup answered more than one value.")
                : checkpoint;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The newest version per key (<c>argMax</c>), whether or not ClickHouse has merged older ones away.
    /// Reads this node's rows of the resolution from every tenant: a scan of those columns, run once per restart.</remarks>
    public async Task<IReadOnlyList<RollupRow>> LoadRollupsAsync(int resolutionSeconds, long fromUnixNano, CancellationToken cancellationToken)
    {
        RollupStoreRules.RequireResolution(resolutionSeconds, nameof(resolutionSeconds));
        EnsureRollupsInitialized();
        string filter = $"node = {ClickHouseLiteral.Quote(_options.NodeId)} AND resolution = {ClickHouseLiteral.Integer(resolutionSeconds)} "
            + $"AND part = 0 AND bucket >= {ClickHouseLiteral.Integer(RollupStoreRules.FirstBucketFrom(fromUnixNano, resolutionSeconds))}";
        return await ReadRollupRowsAsync(resolutionSeconds, filter, "loading rollups", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends <paramref name="rows"/> and a checkpoint marker (version <paramref name="checkpoint"/>) as one
    /// <c>INSERT … FORMAT RowBinary</c> that the server takes as one block — all of it or none becomes
    /// visible. Main rows need no upsert: reads take the highest version per key. A late part sent again
    /// (a retried flush) is the same key and collapses with the first.
    /// </summary>
    /// <remarks>
    /// One block: <c>max_insert_block_size</c> and <c>min_insert_block_size_rows</c> are raised above the row count,
    /// <c>min_insert_block_size_bytes</c> far above the body, and on servers that have them parallel parsing is
    /// off and <c>max_insert_block_size_bytes</c> is 0, so no setting splits the input. On a cluster all rows
    /// of a node go to one shard (sharded by node) with <c>insert_distributed_sync=1</c>.
    /// After a timeout or dropped connection the call waits until the server is done with the insert, so a
    /// <see cref="LoadRollupCheckpointAsync"/> right after it sees whether it landed.
    /// </remarks>
    /// <exception cref="StoreRejectedException">A row no store can hold, or the server refused the data; nothing is stored.</exception>
    /// <exception cref="StoreUnavailableException">Unreachable, too slow, or a server error worth retrying.</exception>
    public async Task WriteRollupsAsync(IReadOnlyList<RollupRow> rows, long checkpoint, CancellationToken cancellationToken)
    {
        RollupStoreRules.RequireStorable(rows, checkpoint, $"ClickHouse at {Authority}");
        EnsureRollupsInitialized();
        cancellationToken.ThrowIfCancellationRequested();

        string queryId = RollupQueryIdPrefix + Guid.NewGuid().ToString("N");
        long blockRows = Math.Max(DefaultInsertBlockRows, rows.Count + 1L);
        var settings = new List<string>(6)
        {
            "query_id=" + queryId,
            "max_insert_block_size=" + ClickHouseLiteral.Integer(blockRows),
            "min_insert_block_size_rows=" + ClickHouseLiteral.Integer(blockRows),
            "min_insert_block_size_bytes=" + ClickHouseLiteral.Integer(LargeInsertBlockBytes),
        };
        if (_rollupInsertSettings.Length > 0)
        {
            settings.Add(_rollupInsertSettings);
        }

        if (_options.GzipInserts)
        {
            settings.Add("enable_http_compression=1");
        }

        using var content = new RollupRowsContent(rows, _nodeBytes, checkpoint, _options.GzipInserts);
        string what = $"a rollup flush of {rows.Count} rows (checkpoint {checkpoint}) into {_database}.{ClickHouseRollupSchema.Table}";
        try
        {
            await _http.InsertAsync(_server, _rollupInsertQuery, string.Join('&', settings), content, what, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            await SettleAsync($"query_id = {ClickHouseLiteral.Quote(queryId)}").ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Every node's rows of the request's tenant and resolution whose bucket starts in [start, end): of the
    /// one metric when <see cref="RollupReadRequest.Metric"/> is set (the event type is then not looked at),
    /// else of every metric of <see cref="RollupReadRequest.EventType"/>, else of every metric. Main rows (the
    /// newest version per node and key) and late parts (each once), in no particular order. Never a checkpoint
    /// marker: markers have resolution 0, which no row can have (<see cref="RollupStoreRules.RequireStorable"/>).
    /// </summary>
    public async Task<IReadOnlyList<RollupRow>> ReadRollupsAsync(RollupReadRequest request, CancellationToken cancellationToken)
    {
        if (!RollupStoreRules.Require(request))
        {
            return [];
        }

        EnsureRollupsInitialized();
        int resolution = request.ResolutionSeconds;
        string filter = $"tenant_id = {ClickHouseLiteral.Quote(request.TenantId)} AND resolution = {ClickHouseLiteral.Integer(resolution)} "
            + $"AND bucket >= {ClickHouseLiteral.Integer(RollupStoreRules.FirstBucketFrom(request.StartUnixNano, resolution))} "
            + $"AND bucket < {ClickHouseLiteral.Integer(RollupStoreRules.FirstBucketFrom(request.EndUnixNano, resolution))}"
            + (request.Metric is not null ? $" AND metric = {ClickHouseLiteral.Quote(request.Metric)}"
                : request.EventType is { } type ? $" AND event_type = {ClickHouseLiteral.Integer((int)type)}" : "");
        return await ReadRollupRowsAsync(resolution, filter, $"reading rollups of tenant {ClickHouseLiteral.Quote(request.TenantId)}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes every node's rows of <paramref name="resolutionSeconds"/> whose bucket starts before
    /// <paramref name="cutoff"/> with <c>ALTER TABLE … DELETE</c> (a mutation: 18.16 has no other delete; on
    /// each shard of a cluster), then waits — up to <see cref="ClickHouseStoreOptions.RequestTimeout"/> — until
    /// the table has no unfinished mutation, so the rows are gone when it returns. A slower mutation goes on
    /// in the background. A mutation rewrites the table's parts: call it rarely (hourly or daily), not per flush.
    /// Checkpoint markers (resolution 0) are never deleted.
    /// </summary>
    public async Task DeleteRollupsOlderThanAsync(int resolutionSeconds, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        RollupStoreRules.RequireResolution(resolutionSeconds, nameof(resolutionSeconds));
        EnsureRollupsInitialized();
        long before = RollupStoreRules.FirstBucketFrom(cutoff, resolutionSeconds);
        string table = StorageTable(ClickHouseRollupSchema.Table);
        var (nodes, onCluster) = SchemaTargets();
        foreach (var node in nodes)
        {
            await _http.QueryAsync(
                node,
                $"ALTER TABLE {_database}.{table}{onCluster} DELETE WHERE resolution = {ClickHouseLiteral.Integer(resolutionSeconds)} AND bucket < {ClickHouseLiteral.Integer(before)}",
                FailureKind.Read, $"deleting {resolutionSeconds} s rollups before {cutoff.UtcDateTime:O}", cancellationToken).ConfigureAwait(false);
        }

        var deadline = DateTime.UtcNow + _options.RequestTimeout;
        string pending = $"SELECT count() FROM system.mutations WHERE database = {ClickHouseLiteral.Quote(_database)} AND table = {ClickHouseLiteral.Quote(table)} AND NOT is_done";
        foreach (var node in nodes)
        {
            while (DateTime.UtcNow < deadline
                && (await _http.QueryAsync(node, pending, FailureKind.Read, "the mutation status", cancellationToken).ConfigureAwait(false)).Trim() != "0")
            {
                await Task.Delay(MutationPollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private IEnumerable<(string Sql, string What)> RollupSchemaStatements(ClickHouseTableLayout layout, string onCluster)
    {
        yield return (ClickHouseSchema.CreateDatabase(_database, onCluster), $"creating database {_database}");
        string table = StorageTable(ClickHouseRollupSchema.Table);
        yield return (ClickHouseRollupSchema.CreateTable(layout, _database, table, onCluster, _options.Replicated), $"creating table {_database}.{table}");
        if (_options.IsCluster)
        {
            yield return (ClickHouseRollupSchema.CreateDistributedTable(_database, _options.Cluster, onCluster), $"creating Distributed table {_database}.{ClickHouseRollupSchema.Table}");
        }
    }

    // CREATE … IF NOT EXISTS racing the same statement of InitializeAsync (or another node) may still answer
    // "already exists" on old servers: that is the outcome wanted.
    private async Task RollupSchemaAsync(Uri node, string sql, string what, string onCluster, CancellationToken cancellationToken)
    {
        try
        {
            await SchemaAsync(node, sql, what, onCluster, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreRejectedException e) when (ClickHouseError.TryParse(e.ServerMessage, out var error) && error.Code is 57 or 82)
        {
            // 57 TABLE_ALREADY_EXISTS, 82 DATABASE_ALREADY_EXISTS
        }
    }

    // Settings of every rollup insert that depend only on the server: the ones that could split an insert
    // into several blocks on newer servers, where they exist, and the synchronous Distributed insert.
    private async Task<string> RollupInsertSettingsAsync(CancellationToken cancellationToken)
    {
        string known = await _http.QueryAsync(
            _server,
            "SELECT name FROM system.settings WHERE name IN ('input_format_parallel_parsing', 'max_insert_block_size_bytes') FORMAT TabSeparatedRaw",
            FailureKind.Schema, "the settings lookup", cancellationToken).ConfigureAwait(false);
        var settings = new List<string>(3);
        foreach (var name in known.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            settings.Add(name == "input_format_parallel_parsing" ? "input_format_parallel_parsing=0" : "max_insert_block_size_bytes=0");
        }

        if (_options.IsCluster)
        {
            settings.Add("insert_distributed_sync=1");
        }

        return string.Join('&', settings);
    }

    // Rows of `resolution` matching `filter`, newest version per key, in RollupRow form. The sketch comes
    // as the raw bytes of its String column.
    private Task<IReadOnlyList<RollupRow>> ReadRollupRowsAsync(int resolution, string filter, string what, CancellationToken cancellationToken)
    {
        string sql =
            "SELECT bucket, part, tenant_id, metric, series_key, "
            + "argMax(tuple(source_module, event_type, count, sum, sum_sq, min, max, tokens, errors, sketch), version), max(version) "
            + $"FROM {_database}.{ClickHouseRollupSchema.Table} WHERE {filter} "
            + $"GROUP BY {ClickHouseRollupSchema.OrderBy} FORMAT RowBinary";
        return _http.ReadAsync<IReadOnlyList<RollupRow>>(_server, sql, what, async (stream, token) =>
        {
            var reader = new RowBinaryReader(stream);
            var rows = new List<RollupRow>();
            while (await reader.HasRowAsync(token).ConfigureAwait(false))
            {
                long bucket = await reader.Int64Async(token).ConfigureAwait(false);
                long part = (long)await reader.UInt64Async(token).ConfigureAwait(false);
                string tenant = await reader.StringAsync(token).ConfigureAwait(false);
                string metric = await reader.StringAsync(token).ConfigureAwait(false);
                string seriesKey = await reader.StringAsync(token).ConfigureAwait(false);
                var module = (SourceModule)await reader.UInt8Async(token).ConfigureAwait(false);
                var type = (EventType)await reader.UInt8Async(token).ConfigureAwait(false);
                ulong count = await reader.UInt64Async(token).ConfigureAwait(false);
                double sum = await reader.Float64Async(token).ConfigureAwait(false);
                double sumOfSquares = await reader.Float64Async(token).ConfigureAwait(false);
                double min = await reader.Float64Async(token).ConfigureAwait(false);
                double max = await reader.Float64Async(token).ConfigureAwait(false);
                double tokens = await reader.Float64Async(token).ConfigureAwait(false);
                ulong errors = await reader.UInt64Async(token).ConfigureAwait(false);
                byte[] sketch = await reader.BytesAsync(token).ConfigureAwait(false);
                long version = (long)await reader.UInt64Async(token).ConfigureAwait(false);
                rows.Add(new RollupRow
                {
                    TenantId = tenant,
                    Metric = metric,
                    SeriesKey = seriesKey,
                    SourceModule = module,
                    EventType = type,
                    ResolutionSeconds = resolution,
                    Bucket = bucket,
                    Part = part,
                    Stats = new BucketStats(count, sum, sumOfSquares, min, max),
                    Tokens = tokens,
                    Errors = errors,
                    Sketch = sketch,
                    Version = version,
                });
            }

            return rows;
        }, cancellationToken);
    }

    // This node's checkpoint markers; the key's prefix (tenant '', resolution 0, metric '') makes it a range read.
    private string MarkerFilter() =>
        $"tenant_id = '' AND resolution = 0 AND metric = '' AND series_key = {ClickHouseLiteral.Quote(ClickHouseRollupSchema.CheckpointSeriesKey)} "
        + $"AND node = {ClickHouseLiteral.Quote(_options.NodeId)}";

    private string Authority => _server.GetLeftPart(UriPartial.Authority);

    private void EnsureRollupsInitialized()
    {
        if (!_rollupsInitialized)
        {
            throw new InvalidOperationException("Call InitializeRollupsAsync before using the ClickHouse rollup store.");
        }
    }
}
