using System.Diagnostics;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Server.Configuration;
using AnalyticsHub.Server.Rollups;
using AnalyticsHub.Storage.Stores;

namespace AnalyticsHub.Server.Query;

/// <summary>
/// Runs validated queries for every transport. Metric queries on series dimensions come from
/// rollups: buckets still in memory from the engine, older ones from the store's persisted
/// rollups; anything naming a per-event or payload field runs as SQL on the store. Rollup
/// answers are cached until a change overlaps their tenant and time range.
/// </summary>
public sealed class QueryExecutor(
    RollupEngine engine,
    RollupStatus rollupStatus,
    IRollupStore rollups,
    IEventQueries events,
    QueryResultCache cache,
    QueryMetrics metrics,
    HubOptions hub)
{
    public const string RollupSource = "rollup";
    public const string StoreSource = "store";

    public QueryLimits Limits { get; } = new()
    {
        MaxRange = TimeSpan.FromDays(hub.Query.MaxRangeDays),
        MaxPointsPerSeries = hub.Query.MaxPointsPerSeries,
        DefaultLimit = hub.Query.DefaultLimit,
        MaxLimit = hub.Query.MaxLimit,
    };

    public SeriesDimensions Dimensions => engine.Series.Dimensions;

    public TimeSpan Timeout { get; } = TimeSpan.FromSeconds(hub.Query.TimeoutSeconds);

    public async Task<QueryAnswer> RunAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        long began = Stopwatch.GetTimestamp();
        if (hub.Rollups.Enabled && cache.TryGet(query, engine.Changes, out var cached))
        {
            var hit = new QueryAnswer(cached with { Cached = true }, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
            metrics.Answered(RollupSource, cached: true, hit.TookMs);
            return hit;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        QueryResult result;
        if (query.IsRollupAnswerable && hub.Rollups.Enabled)
        {
            await WaitForWarmUpAsync(timeout.Token).ConfigureAwait(false);
            long version = engine.Version;
            result = await FromRollupsAsync(query, timeout.Token).ConfigureAwait(false);
            cache.Add(query, result, version);
        }
        else
        {
            var cells = await events.AggregateAsync(query, Dimensions, timeout.Token).ConfigureAwait(false);
            result = QueryResultBuilder.Build(query, cells, StoreSource, Limits.DefaultLimit);
        }

        var answer = new QueryAnswer(result, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
        metrics.Answered(result.Source, cached: false, answer.TookMs);
        return answer;
    }

    public async Task<EventSearchPage> SearchAsync(EventSearchQuery query, CancellationToken cancellationToken)
    {
        long began = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var page = await events.SearchAsync(query, Dimensions, timeout.Token).ConfigureAwait(false);
        metrics.Answered("search", cached: false, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
        return page;
    }

    /// <summary>Right after a start memory holds nothing until persisted rollups are reloaded: wait for that rather than answer from nothing.</summary>
    private async Task WaitForWarmUpAsync(CancellationToken cancellationToken)
    {
        var ready = rollupStatus.Ready;
        if (!ready.IsCompleted)
        {
            try
            {
                await ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new StoreUnavailableException("rollups are still being reloaded from the store after a restart: " + (rollupStatus.Problem ?? "warming up"));
            }
        }
    }

    private async Task<QueryResult> FromRollupsAsync(MetricQuery query, CancellationToken cancellationToken)
    {
        int level = RollupCellAccumulator.LevelFor(query);
        long width = RollupEngine.LevelSeconds[level] * 1_000_000_000L;
        var accumulator = new RollupCellAccumulator(query, level);
        var keys = new Dictionary<string, SeriesInfo?>(StringComparer.Ordinal);
        long coldFrom = query.StartUnixNano;
        while (true)
        {
            // Buckets that left memory come from the store; the memory window may move on while
            // we read, so the gap is read again until memory starts where the store read ended.
            long hotStart = engine.HotStart(level) * width;
            long coldEnd = Math.Min(query.EndUnixNano, hotStart);
            if (coldFrom < coldEnd)
            {
                await AddPersistedAsync(query, level, coldFrom, coldEnd, accumulator, keys, cancellationToken).ConfigureAwait(false);
                coldFrom = coldEnd;
            }

            using (engine.EnterRead())
            {
                long hotFirst = engine.HotStart(level);
                if (hotFirst * width > Math.Max(coldFrom, query.StartUnixNano) && coldFrom < query.EndUnixNano)
                {
                    continue; // the window moved past what the store read covered
                }

                long first = Math.Max(hotFirst, accumulator.FirstBucket);
                foreach (var series in accumulator.Candidates(engine.Series))
                {
                    if (accumulator.Matches(series))
                    {
                        accumulator.AddHot(series, engine.Level(series.Id, level), first, Math.Min(engine.HotEnd(level), accumulator.EndBucket));
                    }
                }

                // Built inside the lock: cells borrow the engine's sketches.
                return QueryResultBuilder.Build(query, accumulator.ToCells(), RollupSource, Limits.DefaultLimit);
            }
        }
    }

    private async Task AddPersistedAsync(
        MetricQuery query, int level, long start, long end, RollupCellAccumulator accumulator,
        Dictionary<string, SeriesInfo?> keys, CancellationToken cancellationToken)
    {
        EventType? type = query.Composite switch
        {
            CompositeMetric.None => null,
            CompositeMetric.ErrorAdjustedThroughput => EventType.Telemetry,
            _ => EventType.Cost,
        };
        var request = new RollupReadRequest(query.TenantId, RollupEngine.LevelSeconds[level], start, end, query.Metric, type);
        var rows = await rollups.ReadRollupsAsync(request, cancellationToken).ConfigureAwait(false);
        bool wantSketch = query.Functions.Any(f => f is >= AggregateFunction.P50 and <= AggregateFunction.P99)
            || query.OrderBy.Any(o => o.Function is >= AggregateFunction.P50 and <= AggregateFunction.P99);
        foreach (var row in rows)
        {
            if (!keys.TryGetValue(row.SeriesKey, out var series))
            {
                keys[row.SeriesKey] = series = SeriesInfo.FromKey(row.TenantId, row.SeriesKey, Dimensions);
            }
            if (series is null || !accumulator.Matches(series))
            {
                continue;
            }

            QuantileSketch? sketch = null;
            if (wantSketch && row.Sketch.Length > 0)
            {
                sketch = new QuantileSketch();
                if (!QuantileSketch.TryReadFrom(row.Sketch, sketch))
                {
                    sketch = null;
                }
            }
            accumulator.AddRow(series, row, sketch);
        }
    }
}

/// <summary>A query's result and how long it took.</summary>
public sealed record QueryAnswer(QueryResult Result, double TookMs);
