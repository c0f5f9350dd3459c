using System.Collections.Concurrent;
using System.Diagnostics;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Server.Configuration;
using AnalyticsHub.Server.Rollups;
using AnalyticsHub.Server.Tracing;
using AnalyticsHub.Storage.Stores;

namespace AnalyticsHub.Server.Query;

/// <summary>
/// Runs validated queries for every transport. Metric queries on series dimensions come from
/// rollups: buckets still in memory from the engine, older ones from the store's persisted
/// rollups; anything naming a per-event or payload field runs as SQL on the store. Rollup
/// answers are cached (see <see cref="QueryResultCache"/>) and computed once for all callers asking at the same time.
/// </summary>
public sealed class QueryExecutor(
    RollupEngine engine,
    RollupStatus rollupStatus,
    IRollupStore rollups,
    IEventQueries events,
    QueryResultCache cache,
    PersistedRowsCache persistedRows,
    QueryMetrics metrics,
    HubOptions hub,
    ILogger<QueryExecutor> logger)
{
    private readonly ConcurrentDictionary<string, Computation> _computations = new(StringComparer.Ordinal);

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

    /// <param name="traceParent">The caller's trace context: the query's span hangs under it (default: a new trace).</param>
    public async Task<QueryAnswer> RunAsync(MetricQuery query, ActivityContext traceParent, CancellationToken cancellationToken)
    {
        long began = Stopwatch.GetTimestamp();
        using var span = QuerySpan.Start(query, traceParent);
        try
        {
            if (!query.IsRollupAnswerable || !hub.Rollups.Enabled)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(Timeout);
                var cells = await events.AggregateAsync(query, Dimensions, timeout.Token).ConfigureAwait(false);
                var result = QueryResultBuilder.Build(query, cells, StoreSource, Limits.DefaultLimit);
                return Answered(new QueryAnswer(result, Stopwatch.GetElapsedTime(began).TotalMilliseconds), span);
            }

            var hit = cache.TryGet(query, engine.Changes, out bool refresh);
            if (hit is not null)
            {
                if (refresh)
                {
                    _ = RefreshAsync(query, hit);
                }
                return Answered(new QueryAnswer(hit.Result with { Cached = true }, Stopwatch.GetElapsedTime(began).TotalMilliseconds, hit), span);
            }

            await WaitForWarmUpAsync(cancellationToken).ConfigureAwait(false);
            var computed = await ComputeSharedAsync(query).WaitAsync(cancellationToken).ConfigureAwait(false);
            return Answered(new QueryAnswer(computed.Result, Stopwatch.GetElapsedTime(began).TotalMilliseconds, computed), span);
        }
        catch (Exception e)
        {
            SpanFailure.Record(span, e);
            throw;
        }
    }

    private QueryAnswer Answered(QueryAnswer answer, Activity? span)
    {
        metrics.Answered(answer.Result.Source, answer.Result.Cached, answer.TookMs);
        QuerySpan.Answered(span, answer);
        return answer;
    }

    /// <summary>
    /// One computation per query at a time: a caller joins one already running when nothing but the live edge changed
    /// since it began (the answer it gets is as fresh as a cached one may be); otherwise it starts its own. The
    /// computation has its own time limit and is not cancelled when a caller goes away, since others may wait on it.
    /// </summary>
    private Task<CachedAnswer> ComputeSharedAsync(MetricQuery query)
    {
        string key = query.NormalizedKey;
        if (_computations.TryGetValue(key, out var running)
            && engine.Changes.ChangesSince(running.Version, query.TenantId, query.StartUnixNano, query.EndUnixNano, running.LiveEdgeFromUnixNano) != RangeChange.Changed)
        {
            return running.Task;
        }

        long version = engine.Version;
        long liveEdgeFrom = cache.LiveEdgeFrom(engine.CompleteThroughUnixNano);
        var computation = new Computation(ComputeAsync(query, version), version, liveEdgeFrom);
        _computations[key] = computation;
        _ = computation.Task.ContinueWith(
            (_, state) => _computations.TryRemove(new KeyValuePair<string, Computation>(key, (Computation)state!)),
            computation, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return computation.Task;
    }

    private async Task<CachedAnswer> ComputeAsync(MetricQuery query, long version)
    {
        await Task.Yield(); // the caller registers the computation before it runs
        long began = Stopwatch.GetTimestamp();
        using var timeout = new CancellationTokenSource(Timeout);
        var times = new ComputationTimes();
        QueryResult result;
        long asOf;
        var basis = cache.LatestOfShape(query);
        string kind = "full: no earlier answer of this shape";
        long? tailStart = basis is null ? null : TailOf(query, basis, out kind);
        if (tailStart is { } from)
        {
            // Only the live edge changed since a cached answer of the same shape: recompute its tail, keep the rest.
            (var tail, asOf) = await FromRollupsAsync(query with { StartUnixNano = from }, times, timeout.Token).ConfigureAwait(false);
            result = QueryResultSplice.Splice(query, basis!.Result, tail, from, Limits.DefaultLimit);
        }
        else
        {
            (result, asOf) = await FromRollupsAsync(query, times, timeout.Token).ConfigureAwait(false);
        }
        metrics.Computed(extended: tailStart is not null);
        var took = Stopwatch.GetElapsedTime(began);
        var answer = new CachedAnswer(query, result, version, asOf, cache.LiveEdgeFrom(asOf)) { ComputeTime = took, Extended = tailStart is not null };
        cache.Add(query, answer);
        if (took.TotalMilliseconds >= hub.Query.SlowComputationMs)
        {
            QueryLog.SlowComputation(
                logger, kind, took.TotalMilliseconds, times.Store.TotalMilliseconds, times.LockWait.TotalMilliseconds,
                times.Accumulate.TotalMilliseconds, times.Build.TotalMilliseconds, result.RowCount, query.NormalizedKey);
        }
        return answer;
    }

    /// <summary>
    /// Where <paramref name="basis"/> stops being usable for <paramref name="query"/>: the bucket holding the start of
    /// its live edge (or its end, for a range that slid on), when nothing before that changed since it was computed;
    /// null when it cannot be extended.
    /// </summary>
    private long? TailOf(MetricQuery query, CachedAnswer basis, out string kind)
    {
        if (!hub.Query.ExtendAnswers || !QueryResultSplice.CanExtend(query, basis.Result, Limits.DefaultLimit))
        {
            kind = "full: not extensible";
            return null;
        }

        var change = engine.Changes.ChangesSince(basis.Version, query.TenantId, query.StartUnixNano, query.EndUnixNano, basis.LiveEdgeFromUnixNano);
        if (change == RangeChange.Changed)
        {
            kind = "full: settled buckets changed";
            return null;
        }

        var tail = QueryResultSplice.TailStart(query, basis.Query.StartUnixNano, basis.Query.EndUnixNano, basis.LiveEdgeFromUnixNano);
        kind = tail is null ? "full: the earlier answer covers too little" : "extended";
        return tail;
    }

    /// <summary>Recomputes an answer served behind the live edge, so the next callers get a fresher one without waiting.</summary>
    private async Task RefreshAsync(MetricQuery query, CachedAnswer stale)
    {
        try
        {
            var fresh = await ComputeSharedAsync(query).ConfigureAwait(false);
            // Render what the stale answer was asked in, here, rather than on the next caller's request.
            foreach (var format in Enum.GetValues<ResultFormat>())
            {
                if (stale.IsRendered(format))
                {
                    cache.Render(query, fresh, format);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or StoreUnavailableException or QueryRejectedException)
        {
            // Callers see the same problem when the stale answer expires and they compute it themselves.
        }
        catch (Exception e)
        {
            QueryLog.RefreshFailed(logger, query.NormalizedKey, e);
        }
        finally
        {
            Volatile.Write(ref stale.Refreshing, 0);
        }
    }

    /// <param name="traceParent">The caller's trace context: the search's span hangs under it (default: a new trace).</param>
    public async Task<EventSearchPage> SearchAsync(EventSearchQuery query, ActivityContext traceParent, CancellationToken cancellationToken)
    {
        long began = Stopwatch.GetTimestamp();
        using var span = QuerySpan.StartSearch(traceParent);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            var page = await events.SearchAsync(query, Dimensions, timeout.Token).ConfigureAwait(false);
            metrics.Answered("search", cached: false, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
            QuerySpan.Searched(span, page);
            return page;
        }
        catch (Exception e)
        {
            SpanFailure.Record(span, e);
            throw;
        }
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

    /// <summary>The answer and the time through which the hot buckets it read were complete.</summary>
    private async Task<(QueryResult Result, long AsOfUnixNano)> FromRollupsAsync(MetricQuery query, ComputationTimes times, CancellationToken cancellationToken)
    {
        int level = RollupCellAccumulator.LevelFor(query);
        long width = RollupEngine.LevelSeconds[level] * 1_000_000_000L;
        var accumulator = new RollupCellAccumulator(query, level);
        long coldFrom = query.StartUnixNano;
        while (true)
        {
            // Buckets that left memory come from the store; the memory window may move on while
            // we read, so the gap is read again until memory starts where the store read ended.
            long hotStart = engine.HotStart(level) * width;
            long coldEnd = Math.Min(query.EndUnixNano, hotStart);
            if (coldFrom < coldEnd)
            {
                long readBegan = Stopwatch.GetTimestamp();
                await AddPersistedAsync(query, level, coldFrom, coldEnd, accumulator, cancellationToken).ConfigureAwait(false);
                times.Store += Stopwatch.GetElapsedTime(readBegan);
                coldFrom = coldEnd;
            }

            long waitBegan = Stopwatch.GetTimestamp();
            using (engine.EnterRead())
            {
                long entered = Stopwatch.GetTimestamp();
                times.LockWait += Stopwatch.GetElapsedTime(waitBegan, entered);
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

                long merged = Stopwatch.GetTimestamp();
                times.Accumulate += Stopwatch.GetElapsedTime(entered, merged);
                // Built inside the lock: cells borrow the engine's sketches.
                var result = QueryResultBuilder.Build(query, accumulator.ToCells(), RollupSource, Limits.DefaultLimit);
                times.Build = Stopwatch.GetElapsedTime(merged);
                return (result, engine.CompleteThroughUnixNano);
            }
        }
    }

    private async Task AddPersistedAsync(
        MetricQuery query, int level, long start, long end, RollupCellAccumulator accumulator, CancellationToken cancellationToken)
    {
        EventType? type = query.Composite switch
        {
            CompositeMetric.None => null,
            CompositeMetric.ErrorAdjustedThroughput => EventType.Telemetry,
            _ => EventType.Cost,
        };
        var request = new RollupReadRequest(query.TenantId, RollupEngine.LevelSeconds[level], start, end, query.Metric, type);
        bool wantSketch = query.AsksPercentiles || query.OrdersByPercentile;
        var persisted = await persistedRows.GetAsync(
            request, wantSketch, engine.PersistedChanges, engine.Version, token => ReadPersistedAsync(request, wantSketch, token), cancellationToken).ConfigureAwait(false);
        foreach (var (series, row, sketch) in persisted.Rows)
        {
            if (series is not null && accumulator.Matches(series))
            {
                accumulator.AddRow(series, row, sketch, ownsSketch: false); // the cache shares the sketch with later reads
            }
        }
    }

    private async Task<IReadOnlyList<PersistedRow>> ReadPersistedAsync(RollupReadRequest request, bool wantSketch, CancellationToken cancellationToken)
    {
        var rows = await rollups.ReadRollupsAsync(request, cancellationToken).ConfigureAwait(false);
        var keys = new Dictionary<string, SeriesInfo?>(StringComparer.Ordinal);
        var parsed = new List<PersistedRow>(rows.Count);
        foreach (var row in rows)
        {
            if (!keys.TryGetValue(row.SeriesKey, out var series))
            {
                keys[row.SeriesKey] = series = SeriesInfo.FromKey(row.TenantId, row.SeriesKey, Dimensions);
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
            parsed.Add(new PersistedRow(series, row, sketch));
        }
        return parsed;
    }
}

/// <summary>A query's result, how long it took, and for rollup answers the cache entry behind it (its rendered JSON, its as-of time).</summary>
public sealed record QueryAnswer(QueryResult Result, double TookMs, CachedAnswer? Cached = null);

/// <summary>Where a rollup computation's time went, for the slow-computation log.</summary>
internal sealed class ComputationTimes
{
    public TimeSpan Store { get; set; }

    public TimeSpan LockWait { get; set; }

    public TimeSpan Accumulate { get; set; }

    public TimeSpan Build { get; set; }
}

/// <summary>A rollup answer being computed, the engine version it started at, and where its live edge begins.</summary>
internal sealed record Computation(Task<CachedAnswer> Task, long Version, long LiveEdgeFromUnixNano);
