using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Storage.Stores.ClickHouse.Internal;
using AnalyticsHub.Storage.Stores.Internal;

namespace AnalyticsHub.Storage.Stores.ClickHouse;

/// <summary>
/// Raw-event queries (<see cref="IEventQueries"/>) over the HTTP interface, answers in
/// <c>FORMAT RowBinary</c> read as they stream in. SQL text carries values as escaped literals only
/// (<see cref="ClickHouseLiteral"/>). On a cluster the <c>Distributed</c> table answers for all shards.
/// </summary>
public sealed partial class ClickHouseEventStore : IEventQueries
{
    private const string IdOrder = "toString(event_id)";

    private EventQueryLimits _queryLimits = EventQueryLimits.Default;

    /// <inheritdoc />
    public EventQueryLimits QueryLimits
    {
        get => _queryLimits;
        set => _queryLimits = EventQueryLimits.Checked(value);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One query: the matching rows among the first <see cref="EventQueryLimits.MaxScanRows"/> of the
    /// scope in newest-first order (a set of their keys), sorted and paged. When that page is short, a
    /// second query asks for the scope's row at the scan bound, the place to continue from.
    /// </remarks>
    public async Task<EventSearchPage> SearchAsync(EventSearchQuery query, SeriesDimensions dimensions, CancellationToken cancellationToken)
    {
        EventQueryChecks.Check(query, dimensions);
        EnsureInitialized();
        var limits = _queryLimits;
        var sql = new ClickHouseQuerySql(Layout);
        string time = sql.Time;
        var scope = Scope(sql, query.TenantId, query.StartUnixNano, query.EndUnixNano);
        if (query.After is { } after)
        {
            var (high, low) = EventQueryChecks.CursorId(after);
            string id = sql.Text(EventQueryChecks.FormatId(high, low));
            long seconds = EventRowEncoder.Seconds(after.TimeUnixNano);
            if (seconds is >= 0 and <= uint.MaxValue)
            {
                scope.Add($"time <= toDateTime({ClickHouseLiteral.Integer(seconds)})");
            }

            scope.Add($"({time} < {sql.Integer(after.TimeUnixNano)} OR ({time} = {sql.Integer(after.TimeUnixNano)} AND {IdOrder} < {id}))");
        }

        if (!string.IsNullOrEmpty(query.CorrelationId))
        {
            scope.Add($"correlation_id = {sql.Text(query.CorrelationId)}");
        }

        string hit = EventQuerySql.SearchHit(sql, query, dimensions);

        string table = $"{_database}.{ClickHouseSchema.EventsTable}";
        string where = QuerySqlDialect.And(scope);
        // (ORDER BY names the expressions: positional ORDER BY arrived in 21.x, behind a setting.)
        string newestFirst = $"{time} DESC, {IdOrder} DESC";
        string scanned = $"SELECT {time}, {IdOrder} FROM {table} WHERE {where} ORDER BY {newestFirst} LIMIT {limits.MaxScanRows}";
        int skip = query.After is null ? query.Offset : 0;
        // Without filters every examined row is a hit, so the page fills before the scan bound (unless the
        // offset reaches past it) and the set of examined keys is not needed.
        bool everyRowHits = query.Filters.Count == 0 && query.MinSeverity == Severity.Unspecified && (long)skip + query.Limit <= limits.MaxScanRows;
        string page =
            $"SELECT tenant_id, {time}, {sql.Received}, {IdOrder}, source_module, event_type, severity, payload_kind, value_dimension, "
            + "schema_version, correlation_id, parent_event_id, environment, asset_id, tags, name, value, unit, input_tokens, output_tokens, payload "
            + $"FROM {table} "
            // PREWHERE: only the examined rows' other columns are read and filtered (JSON functions included).
            + (everyRowHits ? $"WHERE {where} " : $"PREWHERE ({time}, {IdOrder}) IN ({scanned}) WHERE {where} AND {hit} ")
            + $"ORDER BY {newestFirst} LIMIT {skip}, {query.Limit} FORMAT RowBinary";

        var events = await _http.ReadAsync(_server, page, "the event search", async (stream, token) =>
        {
            var reader = new RowBinaryReader(stream);
            var rows = new List<SearchedEvent>(Math.Min(query.Limit, 128));
            while (await reader.HasRowAsync(token).ConfigureAwait(false))
            {
                rows.Add(await ReadEventAsync(reader, token).ConfigureAwait(false));
            }

            return rows;
        }, cancellationToken).ConfigureAwait(false);

        if (events.Count == query.Limit)
        {
            return new EventSearchPage(events, new SearchCursor(events[^1].TimeUnixNano, events[^1].EventId));
        }

        string bound = $"SELECT {time}, {IdOrder} FROM {table} WHERE {where} ORDER BY {newestFirst} LIMIT {limits.MaxScanRows - 1}, 1 FORMAT RowBinary";
        var boundary = await _http.ReadAsync(_server, bound, "the event search bound", async (stream, token) =>
        {
            var reader = new RowBinaryReader(stream);
            return await reader.HasRowAsync(token).ConfigureAwait(false)
                ? new SearchCursor(await reader.Int64Async(token).ConfigureAwait(false), await reader.StringAsync(token).ConfigureAwait(false))
                : (SearchCursor?)null;
        }, cancellationToken).ConfigureAwait(false);
        return new EventSearchPage(events, boundary);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AggregateCell>> AggregateAsync(MetricQuery query, SeriesDimensions dimensions, CancellationToken cancellationToken)
    {
        EventQueryChecks.Check(query, dimensions);
        EnsureInitialized();
        var limits = _queryLimits;
        var sql = new ClickHouseQuerySql(Layout);
        var groups = query.GroupBy.Select(g => EventQuerySql.Group(sql, g, dimensions)).ToArray();
        var where = Scope(sql, query.TenantId, query.StartUnixNano, query.EndUnixNano);
        where.AddRange(EventQuerySql.MetricSelection(sql, query));
        where.Add($"NOT ({sql.KindIn(PayloadFields.ValueKinds)}) OR isFinite(value)");
        where.Add(EventQuerySql.Filters(sql, query.Filters, dimensions));

        string bucket = $"toInt64({EventQuerySql.Bucket(sql, sql.Time, query.BucketSeconds, query.StartUnixNano)})";
        string measured = $"toFloat64({EventQuerySql.MeasuredValue(sql)})";
        var (groupSelect, groupList, _) = EventQuerySql.GroupSelect(groups, "hub_g");
        bool sketches = CellTable.WantsSketch(query);
        string rows =
            $"SELECT {bucket} AS hub_b{groupSelect}, {measured} AS hub_v, toFloat64(input_tokens) + toFloat64(output_tokens) AS hub_t, "
            + $"toUInt8(severity >= {(int)Severity.Error}) AS hub_e FROM {_database}.{ClickHouseSchema.EventsTable} WHERE {QuerySqlDialect.And(where)}";
        string text = sketches
            ? rows + " FORMAT RowBinary"
            : $"SELECT hub_b{groupList}, count(), sum(hub_v), sum(hub_v * hub_v), min(hub_v), max(hub_v), sum(hub_t), countIf(hub_e = 1) "
              + $"FROM ({rows}) GROUP BY hub_b{groupList} LIMIT {limits.MaxCells + 1} FORMAT RowBinary";

        return await _http.ReadAsync(_server, text, "the metric query", async (stream, token) =>
        {
            var reader = new RowBinaryReader(stream);
            var cells = new CellTable(limits.MaxCells, sketches);
            while (await reader.HasRowAsync(token).ConfigureAwait(false))
            {
                long bucketStart = await reader.Int64Async(token).ConfigureAwait(false);
                var group = await ReadGroupAsync(reader, groups, token).ConfigureAwait(false);
                if (sketches)
                {
                    double value = await reader.Float64Async(token).ConfigureAwait(false);
                    double tokens = await reader.Float64Async(token).ConfigureAwait(false);
                    bool error = await reader.UInt8Async(token).ConfigureAwait(false) != 0;
                    cells.AddValue(bucketStart, group, value, tokens, error);
                }
                else
                {
                    ulong count = await reader.UInt64Async(token).ConfigureAwait(false);
                    double sum = await reader.Float64Async(token).ConfigureAwait(false);
                    double squares = await reader.Float64Async(token).ConfigureAwait(false);
                    double min = await reader.Float64Async(token).ConfigureAwait(false);
                    double max = await reader.Float64Async(token).ConfigureAwait(false);
                    double tokens = await reader.Float64Async(token).ConfigureAwait(false);
                    ulong errors = await reader.UInt64Async(token).ConfigureAwait(false);
                    cells.AddAggregate(bucketStart, group, new BucketStats(count, sum, squares, min, max), tokens, errors);
                }
            }

            return cells.Cells;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static List<string> Scope(ClickHouseQuerySql sql, string tenant, long startUnixNano, long endUnixNano)
    {
        var scope = new List<string> { $"tenant_id = {sql.Text(tenant)}" };
        // Whole seconds on `time` first: partition pruning and the primary key's range.
        long first = EventRowEncoder.Seconds(startUnixNano), last = EventRowEncoder.Seconds(endUnixNano - 1);
        if (first is > 0 and <= uint.MaxValue)
        {
            scope.Add($"time >= toDateTime({ClickHouseLiteral.Integer(first)})");
        }

        if (last is >= 0 and < uint.MaxValue)
        {
            scope.Add($"time <= toDateTime({ClickHouseLiteral.Integer(last)})");
        }

        scope.Add($"{sql.Time} >= {sql.Integer(startUnixNano)}");
        scope.Add($"{sql.Time} < {sql.Integer(endUnixNano)}");
        return scope;
    }

    private static async Task<string[]> ReadGroupAsync(RowBinaryReader reader, GroupColumn[] groups, CancellationToken cancellationToken)
    {
        var values = new string[groups.Length];
        for (int i = 0; i < groups.Length; i++)
        {
            var group = groups[i];
            if (group.Kind != GroupKind.Value)
            {
                values[i] = EventQuerySql.EnumName(group.Kind, await reader.UInt8Async(cancellationToken).ConfigureAwait(false));
                continue;
            }

            string? text = group.Text is null ? null : await reader.StringAsync(cancellationToken).ConfigureAwait(false);
            double? number = group.Number is null ? null : await reader.Float64Async(cancellationToken).ConfigureAwait(false);
            values[i] = EventQuerySql.ValueText(text, number);
        }

        return values;
    }

    private static async Task<SearchedEvent> ReadEventAsync(RowBinaryReader reader, CancellationToken token) => new()
    {
        TenantId = await reader.StringAsync(token).ConfigureAwait(false),
        TimeUnixNano = await reader.Int64Async(token).ConfigureAwait(false),
        ReceivedUnixNano = await reader.Int64Async(token).ConfigureAwait(false),
        EventId = await reader.StringAsync(token).ConfigureAwait(false),
        SourceModule = (SourceModule)await reader.UInt8Async(token).ConfigureAwait(false),
        EventType = (EventType)await reader.UInt8Async(token).ConfigureAwait(false),
        Severity = (Severity)await reader.UInt8Async(token).ConfigureAwait(false),
        PayloadKind = (PayloadKind)await reader.UInt8Async(token).ConfigureAwait(false),
        ValueDimension = (UnitDimension)await reader.UInt8Async(token).ConfigureAwait(false),
        SchemaVersion = await reader.StringAsync(token).ConfigureAwait(false),
        CorrelationId = await reader.StringAsync(token).ConfigureAwait(false),
        ParentEventId = await reader.StringAsync(token).ConfigureAwait(false),
        Environment = await reader.StringAsync(token).ConfigureAwait(false),
        AssetId = await reader.StringAsync(token).ConfigureAwait(false),
        TagsJson = await reader.StringAsync(token).ConfigureAwait(false),
        Name = await reader.StringAsync(token).ConfigureAwait(false),
        Value = await reader.Float64Async(token).ConfigureAwait(false),
        Unit = await reader.StringAsync(token).ConfigureAwait(false),
        InputTokens = await reader.UInt64Async(token).ConfigureAwait(false),
        OutputTokens = await reader.UInt64Async(token).ConfigureAwait(false),
        PayloadJson = await reader.StringAsync(token).ConfigureAwait(false),
    };
}
