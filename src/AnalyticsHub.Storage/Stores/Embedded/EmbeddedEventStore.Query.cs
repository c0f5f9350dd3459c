using System.Buffers.Binary;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Storage.Stores.Embedded.Internal;
using AnalyticsHub.Storage.Stores.Internal;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AnalyticsHub.Storage.Stores.Embedded;

/// <summary>
/// Raw-event queries (<see cref="IEventQueries"/>), each on a read-only connection of its own from the
/// probe's pool: SQLite's WAL mode lets them read beside the writer thread, which never waits for them.
/// They run on the thread pool; cancelling interrupts the statement (<c>sqlite3_interrupt</c>).
/// </summary>
public sealed partial class EmbeddedEventStore : IEventQueries
{
    private const string SearchColumns =
        "tenant_id, time_ns, received_ns, event_id, source_module, event_type, severity, payload_kind, value_dimension, "
        + "schema_version, correlation_id, parent_event_id, environment, asset_id, tags, name, value, unit, input_tokens, output_tokens, payload";

    private EventQueryLimits _queryLimits = EventQueryLimits.Default;

    /// <inheritdoc />
    public EventQueryLimits QueryLimits
    {
        get => _queryLimits;
        set => _queryLimits = EventQueryLimits.Checked(value);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One statement walks the tenant's range newest first on <c>ix_events_tenant_time</c> (or, with a
    /// correlation id, <c>ix_events_correlation</c>), computing the filters as a column; the reader stops
    /// at a full page or after <see cref="EventQueryLimits.MaxScanRows"/> rows.
    /// </remarks>
    public Task<EventSearchPage> SearchAsync(EventSearchQuery query, SeriesDimensions dimensions, CancellationToken cancellationToken)
    {
        EventQueryChecks.Check(query, dimensions);
        ThrowIfNotReady();
        var limits = _queryLimits;
        return Task.Run(() => Read(connection => Search(connection, query, dimensions, limits, cancellationToken), "searching events", cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AggregateCell>> AggregateAsync(MetricQuery query, SeriesDimensions dimensions, CancellationToken cancellationToken)
    {
        EventQueryChecks.Check(query, dimensions);
        ThrowIfNotReady();
        var limits = _queryLimits;
        return Task.Run(() => Read(connection => Aggregate(connection, query, dimensions, limits, cancellationToken), "aggregating events", cancellationToken), cancellationToken);
    }

    private T Read<T>(Func<SqliteConnection, T> work, string doing, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            using var connection = new SqliteConnection(_probeConnectionString);
            connection.Open();
            SqliteQuerySql.Register(connection);
            var handle = connection.Handle!;
            using var interrupt = cancellationToken.Register(() => raw.sqlite3_interrupt(handle));
            try
            {
                return work(connection);
            }
            catch (SqliteException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
        }
        catch (SqliteException e)
        {
            throw EmbeddedStoreErrors.Map(e, _path, doing) switch
            {
                StoreRejectedException rejected => new StoreUnavailableException(rejected.Message, e), // a read refuses no rows
                var mapped => mapped,
            };
        }
    }

    private static EventSearchPage Search(SqliteConnection connection, EventSearchQuery query, SeriesDimensions dimensions, EventQueryLimits limits, CancellationToken cancellationToken)
    {
        using var command = SearchCommand(connection, query, dimensions, limits);
        var events = new List<SearchedEvent>(Math.Min(query.Limit, 128));
        int skip = query.After is null ? query.Offset : 0;
        int scanned = 0;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            scanned++;
            if (reader.GetInt64(21) != 0 && skip-- <= 0)
            {
                var found = ReadEvent(reader);
                events.Add(found);
                if (events.Count == query.Limit)
                {
                    return new EventSearchPage(events, new SearchCursor(found.TimeUnixNano, found.EventId));
                }
            }

            if (scanned == limits.MaxScanRows)
            {
                // The scan bound: continue after the last row examined (a cursor is made for this row only).
                return new EventSearchPage(events, new SearchCursor(reader.GetInt64(1), IdText(reader, 3)));
            }

            if ((scanned & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return new EventSearchPage(events, null);
    }

    /// <summary>The search statement: the scope newest first (at most the scan bound), the filters as column <c>hit</c>.</summary>
    internal static SqliteCommand SearchCommand(SqliteConnection connection, EventSearchQuery query, SeriesDimensions dimensions, EventQueryLimits limits)
    {
        var sql = new SqliteQuerySql();
        // One upper bound on time_ns (the range's end or the cursor's time): with two, SQLite's planner
        // underrates the correlation index.
        long last = query.After is { } cursor ? Math.Min(query.EndUnixNano - 1, cursor.TimeUnixNano) : query.EndUnixNano - 1;
        var scope = new List<string>
        {
            $"tenant_id = {sql.Text(query.TenantId)}",
            $"time_ns >= {sql.Integer(query.StartUnixNano)}",
            $"time_ns <= {sql.Integer(last)}",
        };
        if (query.After is { } after)
        {
            var (high, low) = EventQueryChecks.CursorId(after);
            string id = sql.Blob(SqliteQuerySql.IdBytes(high, low));
            scope.Add($"(time_ns < {sql.Integer(after.TimeUnixNano)} OR event_id < {id})");
        }

        if (!string.IsNullOrEmpty(query.CorrelationId))
        {
            // The literal "<> ''" lets SQLite use the partial index ix_events_correlation.
            scope.Add($"correlation_id = {sql.Text(query.CorrelationId)} AND correlation_id <> ''");
        }

        string hit = EventQuerySql.SearchHit(sql, query, dimensions);

        var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {SearchColumns}, COALESCE(({hit}), 0) AS hit FROM events WHERE {QuerySqlDialect.And(scope)} "
            + $"ORDER BY time_ns DESC, event_id DESC LIMIT {limits.MaxScanRows}";
        command.Parameters.AddRange(sql.Parameters);
        return command;
    }

    private static IReadOnlyList<AggregateCell> Aggregate(SqliteConnection connection, MetricQuery query, SeriesDimensions dimensions, EventQueryLimits limits, CancellationToken cancellationToken)
    {
        var sql = new SqliteQuerySql();
        var groups = query.GroupBy.Select(g => EventQuerySql.Group(sql, g, dimensions)).ToArray();
        var where = new List<string>
        {
            $"tenant_id = {sql.Text(query.TenantId)}",
            $"time_ns >= {sql.Integer(query.StartUnixNano)}",
            $"time_ns < {sql.Integer(query.EndUnixNano)}",
        };
        where.AddRange(EventQuerySql.MetricSelection(sql, query));
        where.Add($"({sql.KindIn(PayloadFields.ValueKinds)}) = 0 OR {SqliteQuerySql.IsFinite("value")}");
        where.Add(EventQuerySql.Filters(sql, query.Filters, dimensions));

        string bucket = EventQuerySql.Bucket(sql, "time_ns", query.BucketSeconds, query.StartUnixNano);
        string measured = EventQuerySql.MeasuredValue(sql);
        string tokens = $"{sql.NumberColumn("input_tokens")} + {sql.NumberColumn("output_tokens")}";
        var (groupSelect, groupList, width) = EventQuerySql.GroupSelect(groups, "g");
        bool sketches = CellTable.WantsSketch(query);
        var cells = new CellTable(limits.MaxCells, sketches);

        using var command = connection.CreateCommand();
        string rows = $"SELECT {bucket} AS b{groupSelect}, {measured} AS v, {tokens} AS t, severity >= {(int)Severity.Error} AS e FROM events WHERE {QuerySqlDialect.And(where)}";
        command.CommandText = sketches
            ? rows
            : $"SELECT b{groupList}, count(*), total(v), total(v * v), min(v), max(v), total(t), total(e) "
              + $"FROM ({rows}) GROUP BY b{groupList} LIMIT {limits.MaxCells + 1}";
        command.Parameters.AddRange(sql.Parameters);

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            DbAggregateRows.Add(reader, groups, width, sketches, cells);
            cancellationToken.ThrowIfCancellationRequested();
        }

        return cells.Cells;
    }

    private static SearchedEvent ReadEvent(SqliteDataReader reader) => new()
    {
        TenantId = reader.GetString(0),
        TimeUnixNano = reader.GetInt64(1),
        ReceivedUnixNano = reader.GetInt64(2),
        EventId = IdText(reader, 3),
        SourceModule = (SourceModule)reader.GetInt32(4),
        EventType = (EventType)reader.GetInt32(5),
        Severity = (Severity)reader.GetInt32(6),
        PayloadKind = (PayloadKind)reader.GetInt32(7),
        ValueDimension = (UnitDimension)reader.GetInt32(8),
        SchemaVersion = reader.GetString(9),
        CorrelationId = reader.GetString(10),
        ParentEventId = reader.GetString(11),
        Environment = reader.GetString(12),
        AssetId = reader.GetString(13),
        TagsJson = reader.GetString(14),
        Name = reader.GetString(15),
        Value = reader.IsDBNull(16) ? double.NaN : reader.GetDouble(16),
        Unit = reader.GetString(17),
        InputTokens = unchecked((ulong)reader.GetInt64(18)),
        OutputTokens = unchecked((ulong)reader.GetInt64(19)),
        PayloadJson = reader.GetString(20),
    };

    private static string IdText(SqliteDataReader reader, int ordinal)
    {
        var blob = reader.GetFieldValue<byte[]>(ordinal);
        return blob.Length == 16
            ? EventQueryChecks.FormatId(BinaryPrimitives.ReadUInt64BigEndian(blob), BinaryPrimitives.ReadUInt64BigEndian(blob.AsSpan(8)))
            : Convert.ToHexStringLower(blob);
    }
}
