using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Storage.Stores.Internal;
using AnalyticsHub.Storage.Stores.Postgres.Internal;
using Npgsql;

namespace AnalyticsHub.Storage.Stores.Postgres;

/// <summary>
/// Raw-event queries (<see cref="IEventQueries"/>) on pooled connections, beside the drainer's writes.
/// Time ranges are given on <c>time</c> (partition pruning, <c>events_tenant_time</c>) and then made
/// exact on the nanosecond time.
/// </summary>
public sealed partial class PostgresEventStore : IEventQueries
{
    private const string SearchColumns =
        "tenant_id, {TIME} AS t_ns, {RECEIVED} AS r_ns, event_id, source_module, event_type, severity, payload_kind, value_dimension, "
        + "schema_version, correlation_id, parent_event_id, environment, asset_id, tags::text, name, value, unit, input_tokens, output_tokens, payload::text";

    private const string NewestFirst = "time DESC, time_ns DESC, event_id DESC";

    private EventQueryLimits _queryLimits = EventQueryLimits.Default;

    /// <inheritdoc />
    public EventQueryLimits QueryLimits
    {
        get => _queryLimits;
        set => _queryLimits = EventQueryLimits.Checked(value);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One statement: the scope newest first, at most <see cref="EventQueryLimits.MaxScanRows"/> rows,
    /// numbered, with the filters as a column; only the matching rows and the last examined one come back.
    /// </remarks>
    public async Task<EventSearchPage> SearchAsync(EventSearchQuery query, SeriesDimensions dimensions, CancellationToken cancellationToken)
    {
        EventQueryChecks.Check(query, dimensions);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var limits = _queryLimits;
        int skip = query.After is null ? query.Offset : 0;
        var (text, sql) = SearchStatement(query, dimensions, limits);

        return await ReadAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand(text, connection);
            command.Parameters.AddRange(sql.Parameters.ToArray());
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            var events = new List<SearchedEvent>(Math.Min(query.Limit, 128));
            SearchCursor? boundary = null;
            int toSkip = skip;
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                if (reader.GetInt64(22) == limits.MaxScanRows)
                {
                    boundary = new SearchCursor(reader.GetInt64(1), reader.GetGuid(3).ToString("D"));
                }

                if (!reader.GetBoolean(21))
                {
                    continue;
                }

                if (toSkip > 0)
                {
                    toSkip--;
                    continue;
                }

                events.Add(ReadEvent(reader));
            }

            SearchCursor? next = events.Count == query.Limit
                ? new SearchCursor(events[^1].TimeUnixNano, events[^1].EventId)
                : boundary;
            return new EventSearchPage(events, next);
        }, "searching events", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The search statement: at most the scan bound of the scope newest first, numbered, filters as <c>hit</c>; the hits and the row at the bound come back.</summary>
    internal (string Text, PostgresQuerySql Sql) SearchStatement(EventSearchQuery query, SeriesDimensions dimensions, EventQueryLimits limits)
    {
        int skip = query.After is null ? query.Offset : 0;
        var sql = new PostgresQuerySql(JsonType);
        var scope = Scope(sql, query.TenantId, query.StartUnixNano, query.EndUnixNano);
        if (query.After is { } after)
        {
            var (high, low) = EventQueryChecks.CursorId(after);
            SplitUnixNanos(after.TimeUnixNano, out long micros, out short nanos);
            string time = sql.Timestamp(ToUtc(micros));
            scope.Add($"time <= {time}");
            scope.Add($"(time, time_ns, event_id) < ({time}, {sql.Integer(nanos)}, {sql.Uuid(ToGuid(high, low))})");
        }

        if (!string.IsNullOrEmpty(query.CorrelationId))
        {
            // The literal "<> ''" lets the planner use the partial index events_tenant_correlation.
            scope.Add($"correlation_id = {sql.Text(query.CorrelationId)} AND correlation_id <> ''");
        }

        string hit = EventQuerySql.SearchHit(sql, query, dimensions);

        string columns = SearchColumns.Replace("{TIME}", PostgresQuerySql.Time(), StringComparison.Ordinal)
            .Replace("{RECEIVED}", PostgresQuerySql.Time("received_at", "received_ns"), StringComparison.Ordinal);
        string text =
            $"SELECT * FROM (SELECT {columns}, COALESCE(({hit}), FALSE) AS hit, row_number() OVER (ORDER BY {NewestFirst}) AS n, time, time_ns "
            + $"FROM events WHERE {QuerySqlDialect.And(scope)} ORDER BY {NewestFirst} LIMIT {limits.MaxScanRows}) s "
            + $"WHERE hit OR n = {limits.MaxScanRows} ORDER BY {NewestFirst} LIMIT {(long)skip + query.Limit}";

        return (text, sql);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AggregateCell>> AggregateAsync(MetricQuery query, SeriesDimensions dimensions, CancellationToken cancellationToken)
    {
        EventQueryChecks.Check(query, dimensions);
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        var limits = _queryLimits;
        var sql = new PostgresQuerySql(JsonType);
        var groups = query.GroupBy.Select(g => EventQuerySql.Group(sql, g, dimensions)).ToArray();
        var where = Scope(sql, query.TenantId, query.StartUnixNano, query.EndUnixNano);
        where.AddRange(EventQuerySql.MetricSelection(sql, query));
        where.Add($"NOT ({sql.KindIn(PayloadFields.ValueKinds)}) OR {PostgresQuerySql.IsFinite("value")}");
        where.Add(EventQuerySql.Filters(sql, query.Filters, dimensions));

        string bucket = EventQuerySql.Bucket(sql, PostgresQuerySql.Time(), query.BucketSeconds, query.StartUnixNano);
        string measured = EventQuerySql.MeasuredValue(sql);
        var (groupSelect, groupList, width) = EventQuerySql.GroupSelect(groups, "g");
        bool sketches = CellTable.WantsSketch(query);
        string rows =
            $"SELECT {bucket}::bigint AS b{groupSelect}, ({measured})::float8 AS v, input_tokens::float8 + output_tokens::float8 AS t, severity >= {(int)Severity.Error} AS e "
            + $"FROM events WHERE {QuerySqlDialect.And(where)}";
        string text = sketches
            ? rows
            : $"SELECT b{groupList}, count(*), sum(v), sum(v * v), min(v), max(v), sum(t), count(*) FILTER (WHERE e) FROM ({rows}) r GROUP BY b{groupList} LIMIT {limits.MaxCells + 1}";

        return await ReadAsync(async (connection, token) =>
        {
            await using var command = new NpgsqlCommand(text, connection);
            command.Parameters.AddRange(sql.Parameters.ToArray());
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            var cells = new CellTable(limits.MaxCells, sketches);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                DbAggregateRows.Add(reader, groups, width, sketches, cells);
            }

            return cells.Cells;
        }, "aggregating events", cancellationToken).ConfigureAwait(false);
    }

    private static List<string> Scope(PostgresQuerySql sql, string tenant, long startUnixNano, long endUnixNano)
    {
        SplitUnixNanos(startUnixNano, out long startMicros, out _);
        SplitUnixNanos(endUnixNano - 1, out long lastMicros, out _);
        string time = PostgresQuerySql.Time();
        return
        [
            $"tenant_id = {sql.Text(tenant)}",
            $"time >= {sql.Timestamp(ToUtc(startMicros))}",
            $"time <= {sql.Timestamp(ToUtc(lastMicros))}",
            $"{time} >= {sql.Integer(startUnixNano)}",
            $"{time} < {sql.Integer(endUnixNano)}",
        ];
    }

    /// <summary>PostgreSQL microseconds (since 2000-01-01) as a UTC <see cref="DateTime"/>, clamped to what it can hold.</summary>
    private static DateTime ToUtc(long postgresMicros)
    {
        long unixMicros = postgresMicros + PostgresPartitions.PostgresEpochUnixMicros;
        long ticks = DateTime.UnixEpoch.Ticks + Math.Clamp(unixMicros, (DateTime.MinValue.Ticks - DateTime.UnixEpoch.Ticks) / 10, (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / 10) * 10;
        return new DateTime(ticks, DateTimeKind.Utc);
    }

    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> read, string doing, CancellationToken cancellationToken)
    {
        try
        {
            return await OnConnectionAsync(read, commitSent: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (PostgresFailures.IsStoreFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            if (e is not PostgresException)
            {
                _dataSource.Clear();
            }

            throw PostgresFailures.Unavailable(e, Endpoint, doing);
        }
    }

    private static SearchedEvent ReadEvent(NpgsqlDataReader reader) => new()
    {
        TenantId = reader.GetString(0),
        TimeUnixNano = reader.GetInt64(1),
        ReceivedUnixNano = reader.GetInt64(2),
        EventId = reader.GetGuid(3).ToString("D"),
        SourceModule = (SourceModule)reader.GetInt16(4),
        EventType = (EventType)reader.GetInt16(5),
        Severity = (Severity)reader.GetInt16(6),
        PayloadKind = (PayloadKind)reader.GetInt16(7),
        ValueDimension = (UnitDimension)reader.GetInt16(8),
        SchemaVersion = reader.GetString(9),
        CorrelationId = reader.GetString(10),
        ParentEventId = reader.GetString(11),
        Environment = reader.GetString(12),
        AssetId = reader.GetString(13),
        TagsJson = reader.GetString(14),
        Name = reader.GetString(15),
        Value = reader.GetDouble(16),
        Unit = reader.GetString(17),
        InputTokens = (ulong)reader.GetInt64(18),
        OutputTokens = (ulong)reader.GetInt64(19),
        PayloadJson = reader.GetString(20),
    };
}
