using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Tests.Rollups;

/// <summary>
/// Rollup answers against exact answers computed from the raw events: random events over several
/// series, across bucket boundaries, through the fast (1 s) and direct paths, flushes and a
/// restart; counts, sums, min and max exact, percentiles within the sketch's 1 % bound.
/// </summary>
public sealed class RollupEngineTests
{
    private const long Second = 1_000_000_000L;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;
    private const long Day = 24 * Hour;

    // 2026-11-24T13:37:11.5Z: not aligned to anything.
    private static readonly long Now = DateTimeOffset.Parse("2026-11-24T13:37:11.5Z").ToUnixTimeMilliseconds() * 1_000_000;

    private static readonly string[] Models = ["gpt-4o", "claude-3", "llama-3", ""];
    private static readonly AggregateFunction[] AllFunctions =
    [
        AggregateFunction.Count, AggregateFunction.Sum, AggregateFunction.Avg, AggregateFunction.Min, AggregateFunction.Max,
        AggregateFunction.StdDev, AggregateFunction.P50, AggregateFunction.P90, AggregateFunction.P95, AggregateFunction.P99, AggregateFunction.Rate,
    ];

    [Theory]
    [InlineData(60L, 2 * Hour)]
    [InlineData(300L, 6 * Hour)]
    [InlineData(900L, 6 * Hour)]
    [InlineData(3600L, 2 * Day)]
    [InlineData(86400L, 4 * Day)]
    [InlineData(0L, 3 * Hour)]
    public void Query_RandomEvents_MatchesExactAnswers(long bucketSeconds, long span)
    {
        var random = new Random(unchecked((int)(bucketSeconds * 7919 + span)));
        var events = RandomEvents(random, 6000, span);
        var engine = Feed(events, new RollupOptions());

        var query = Query(bucketSeconds, span, groupBy: [Model]);
        AssertMatches(engine, query, events);
    }

    [Theory]
    [InlineData(60L)]
    [InlineData(3600L)]
    public void Query_RangeEndingTomorrow_ReadsNoSlotPastTheMemoryWindow(long bucketSeconds)
    {
        // Ring slots past the clock (plus the future skew) alias older buckets: a range ending
        // at tomorrow's midnight must not read them.
        var events = RandomEvents(new Random(11), 4000, 20 * Hour);
        var engine = Feed(events, new RollupOptions());
        var query = Query(bucketSeconds, 20 * Hour, groupBy: [Model]);
        long tomorrow = ((Now / Day) + 2) * Day;
        AssertMatches(engine, query with { EndUnixNano = tomorrow }, events);
    }

    [Fact]
    public void Query_AfterFlushAndRestart_MatchesExactAnswers()
    {
        var random = new Random(42);
        var events = RandomEvents(random, 8000, 3 * Hour);
        var first = events.Take(5000).ToList();
        var engine = Feed(first, new RollupOptions());
        var rows = engine.CollectFlush(version: 1234, Now);
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(1234, r.Version));

        // A new process: persisted rows back into memory, the rest "replayed".
        var restarted = new RollupEngine(new RollupOptions(), Now);
        restarted.Load(rows, r => SeriesInfo.FromKey(r.TenantId, r.SeriesKey, restarted.Series.Dimensions));
        Apply(restarted, events.Skip(5000));
        restarted.Roll(Now, everything: true);

        AssertMatches(restarted, Query(60, 3 * Hour, groupBy: [Model]), events);
        AssertMatches(restarted, Query(3600, 3 * Hour, groupBy: []), events);
    }

    [Fact]
    public void Query_AfterFlush_FrozenQuantilesMatchAndAreUsed()
    {
        var events = RandomEvents(new Random(21), 6000, 3 * Hour);
        var engine = Feed(events, new RollupOptions());
        engine.CollectFlush(7, Now); // freezes every flushed bucket's quantiles

        var query = Query(60, 3 * Hour, groupBy: [Model]);
        var cells = Cells(engine, query);
        Assert.Contains(cells, c => c.Sketch is null && c.Quantiles.Length == BucketRing.QuantileCount);
        AssertMatches(engine, query, events);

        // A late event changes a frozen bucket: its quantiles come from the sketch again, and stay right.
        var late = new RollupEvent(Now - (2 * Hour), 99_999, Model: "gpt-4o");
        Apply(engine, [late]);
        engine.Roll(Now, everything: true);
        AssertMatches(engine, query, [.. events, late]);
    }

    [Fact]
    public void CollectFlush_SecondTime_WritesOnlyChangedBuckets()
    {
        var events = RandomEvents(new Random(7), 2000, 2 * Hour);
        var engine = Feed(events, new RollupOptions());
        var all = engine.CollectFlush(1, Now);
        Assert.Empty(engine.CollectFlush(2, Now));

        Apply(engine, [new RollupEvent(Now - (90 * Minute), 5.0, Model: "gpt-4o")]);
        var changed = engine.CollectFlush(3, Now);

        // One event changes its 1 m, 1 h and 1 d bucket, and each row carries the bucket's whole aggregate.
        Assert.Equal(3, changed.Count);
        var minute = Assert.Single(changed, r => r.ResolutionSeconds == 60);
        var before = all.Single(r => r.ResolutionSeconds == 60 && r.Bucket == minute.Bucket && r.SeriesKey == minute.SeriesKey && r.TenantId == minute.TenantId);
        Assert.Equal(before.Stats.Count + 1, minute.Stats.Count);
    }

    [Fact]
    public void RestoreFlush_RefusedRows_AreWrittenByTheNextFlush()
    {
        var events = RandomEvents(new Random(8), 500, Hour);
        var engine = Feed(events, new RollupOptions());
        var rows = engine.CollectFlush(1, Now);
        engine.RestoreFlush(rows);
        var again = engine.CollectFlush(2, Now);
        Assert.Equal(Keys(rows), Keys(again));
        Assert.Equal(rows.Sum(r => (double)r.Stats.Count), again.Sum(r => (double)r.Stats.Count));
    }

    [Fact]
    public void Apply_EventOlderThanMemory_BecomesLatePartNotLost()
    {
        var options = new RollupOptions { HotMinutes = 60, HotHours = 24, HotDays = 1 };
        var engine = Feed([], options);
        long old = Now - (3 * Day);
        Apply(engine, [new RollupEvent(old, 10), new RollupEvent(old + Second, 20)]);
        var rows = engine.CollectFlush(99, Now);

        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(99, r.Part));
        Assert.All(rows, r => Assert.Equal(2UL, r.Stats.Count));
        Assert.All(rows, r => Assert.Equal(30, r.Stats.Sum));
    }

    [Fact]
    public void NotePersisted_LatePart_InvalidatesResultsCoveringItsBucket()
    {
        var options = new RollupOptions { HotMinutes = 60, HotHours = 24, HotDays = 1 };
        var engine = Feed([], options);
        long old = Now - (3 * Day);
        Apply(engine, [new RollupEvent(old, 10)]);
        var rows = engine.CollectFlush(5, Now);
        long beforeStore = engine.Version;

        // Until the store holds the late part, a result computed from the store is still what it shows.
        Assert.True(engine.Changes.UnchangedSince(beforeStore, "default", old - Hour, old + Hour));
        engine.NotePersisted(rows);
        Assert.False(engine.Changes.UnchangedSince(beforeStore, "default", old - Hour, old + Hour));
        Assert.True(engine.Changes.UnchangedSince(beforeStore, "default", Now - Hour, Now));
    }

    [Fact]
    public void Resolve_TenantOverCap_CountsEventsInOverflowSeries()
    {
        var options = new RollupOptions { MaxSeriesPerTenant = 3 };
        var events = Enumerable.Range(0, 50).Select(i => new RollupEvent(Now - (10 * Minute), i, Model: "m" + i)).ToList();
        var engine = Feed(events, options);

        Assert.Equal(3, engine.Series.All.Count(s => !s.IsOverflow));
        var overflow = Assert.Single(engine.Series.All, s => s.IsOverflow);
        Assert.Equal(SeriesInfo.Other, overflow.TagValues[1]);
        Assert.Equal(47, engine.Series.OverflowEvents);

        var cells = Cells(engine, Query(0, Hour, groupBy: []));
        Assert.Equal(50UL, Assert.Single(cells).Stats.Count);
    }

    [Fact]
    public void Resolve_HubWideCapReached_NewSeriesGoToEachTenantsCatchAll()
    {
        var options = new RollupOptions { MaxSeriesPerTenant = 100, MaxSeries = 5 };
        var events = Enumerable.Range(0, 40)
            .Select(i => new RollupEvent(Now - Minute, i, Model: "m" + i, Tenant: i % 2 == 0 ? "" : "t2"))
            .ToList();
        var engine = Feed(events, options);

        // 5 ordinary series, then one catch-all per tenant: memory stays bounded, no event is lost.
        Assert.Equal(5, engine.Series.All.Count(s => !s.IsOverflow));
        Assert.Equal(2, engine.Series.All.Count(s => s.IsOverflow && s.Metric == SeriesInfo.Other));
        Assert.Equal(35, engine.Series.OverflowEvents);
    }

    [Fact]
    public void Resolve_HighCardinalityTags_DoNotSplitSeries()
    {
        // Every event has its own user_id tag (RollupEvents adds one); only the model splits.
        var events = Enumerable.Range(0, 100).Select(i => new RollupEvent(Now - Minute, i, Model: i % 2 == 0 ? "a" : "b")).ToList();
        var engine = Feed(events, new RollupOptions());
        Assert.Equal(2, engine.Series.Count);
    }

    [Fact]
    public void Resolve_ModelInPayloadDimensions_IsTheSameDimension()
    {
        var engine = Feed(
            [new RollupEvent(Now - Minute, 1, Model: "gpt-4o"), new RollupEvent(Now - Minute, 2, Model: "gpt-4o", ModelInPayload: true)],
            new RollupOptions());
        var series = Assert.Single(engine.Series.All);
        Assert.Equal("gpt-4o", series.TagValues[1]);
    }

    [Fact]
    public void Query_Composites_MatchExactFormulas()
    {
        var random = new Random(5);
        var events = new List<RollupEvent>();
        for (int i = 0; i < 3000; i++)
        {
            long t = Now - (long)(random.NextDouble() * 2 * Hour);
            events.Add(i % 2 == 0
                ? new RollupEvent(t, Math.Round(random.NextDouble(), 6), Metric: "token_cost", Type: EventType.Cost, Kind: PayloadKind.Cost,
                    Model: Models[i % 3], InputTokens: (ulong)random.Next(1, 2000), OutputTokens: (ulong)random.Next(0, 800))
                : new RollupEvent(t, random.Next(1, 900), Model: Models[i % 3], Severity: i % 7 == 0 ? Severity.Error : Severity.Info));
        }
        var engine = Feed(events, new RollupOptions());

        foreach (var composite in new[] { CompositeMetric.CostPerRequest, CompositeMetric.CostPer1kTokens, CompositeMetric.ErrorAdjustedThroughput })
        {
            var query = Query(3600, 3 * Hour, groupBy: [Model]) with { Composite = composite, Metric = null, Functions = [] };
            var result = QueryResultBuilder.Build(query, Cells(engine, query), "rollup", 100);
            foreach (var series in result.Series)
            {
                foreach (var point in series.Points)
                {
                    var selected = events.Where(e => InBucket(e, point.BucketStartUnixNano, 3600) && e.Model == series.Group["model"]
                        && e.Type == (composite == CompositeMetric.ErrorAdjustedThroughput ? EventType.Telemetry : EventType.Cost)).ToList();
                    double expected = composite switch
                    {
                        CompositeMetric.CostPerRequest => selected.Sum(e => e.Value) / selected.Count,
                        CompositeMetric.CostPer1kTokens => selected.Sum(e => e.Value) / selected.Sum(e => (double)(e.InputTokens + e.OutputTokens)) * 1000,
                        _ => selected.Count(e => e.Severity < Severity.Error) / 3600.0,
                    };
                    Assert.Equal(expected, point.Values[0], 1e-9 * Math.Max(1, Math.Abs(expected)));
                }
            }
        }
    }

    [Fact]
    public void CompleteThrough_FollowsTheNewestAppliedEvent_OnlyWhileTheLogIsBehind()
    {
        var engine = new RollupEngine(new RollupOptions(), Now - (5 * Second));
        Apply(engine, [new RollupEvent(Now - (90 * Second), 1), new RollupEvent(Now - (60 * Second) - 1, 2)]);
        engine.Roll(Now);
        long rolled = engine.RolledThroughUnixNano;
        Assert.Equal(rolled, engine.CompleteThroughUnixNano); // caught up: the clock says how far buckets are complete

        engine.NoteBacklog(behind: true);
        Assert.Equal(((Now - (60 * Second) - 1) / Second * Second) + Second, engine.CompleteThroughUnixNano);

        engine.NoteBacklog(behind: false);
        Assert.Equal(rolled, engine.CompleteThroughUnixNano);
    }

    [Fact]
    public void ChangeLog_HoldsOneEntryPerTenantPerBatch_SoLiveIngestionDoesNotOverflowIt()
    {
        // 30 batches of 1,000 live-edge events, series and seconds alternating event by event: an entry per event
        // would overflow the log (8,192 entries) and make every cached answer look stale.
        var engine = new RollupEngine(new RollupOptions(), Now - (5 * Second));
        engine.Roll(Now);
        long version = engine.Version;
        long liveEdgeFrom = Now - (20 * Second);
        var random = new Random(9);
        for (int b = 0; b < 30; b++)
        {
            var events = Enumerable.Range(0, 1000).Select(i => new RollupEvent(
                Now - (random.Next(2, 9) * Second), i, Model: Models[i % 3], Tenant: i % 2 == 0 ? "" : "other-tenant")).ToList();
            using var batch = RollupEvents.Batch(events);
            engine.Apply(batch);
        }

        Assert.Equal(RangeChange.LiveEdgeOnly, engine.Changes.ChangesSince(version, "default", Now - Hour, Now + Hour, liveEdgeFrom));
        Assert.Equal(RangeChange.LiveEdgeOnly, engine.Changes.ChangesSince(version, "other-tenant", Now - Hour, Now + Hour, liveEdgeFrom));
        Assert.Equal(RangeChange.None, engine.Changes.ChangesSince(version, "default", Now - Hour, Now - (10 * Second), liveEdgeFrom));
    }

    private static readonly QueryField Model = new(FieldKind.SeriesTag, "model", "model");

    private static List<RollupEvent> RandomEvents(Random random, int count, long span)
    {
        var events = new List<RollupEvent>(count);
        for (int i = 0; i < count; i++)
        {
            // Most events near "now" (the 1 s path), the rest spread over the span (the direct path).
            long age = random.NextDouble() < 0.5 ? (long)(random.NextDouble() * 20 * Second) : (long)(random.NextDouble() * span);
            double value = Math.Exp(random.NextDouble() * 6) * (random.NextDouble() < 0.01 ? 1000 : 1);
            events.Add(new RollupEvent(Now - age, value, Model: Models[random.Next(Models.Length)],
                Severity: random.NextDouble() < 0.1 ? Severity.Error : Severity.Info,
                Tenant: random.NextDouble() < 0.1 ? "other-tenant" : ""));
        }
        return events;
    }

    /// <summary>Feeds events in batches of 100 with the clock moving over the last 20 s, then rolls everything.</summary>
    private static RollupEngine Feed(IReadOnlyList<RollupEvent> events, RollupOptions options)
    {
        var engine = new RollupEngine(options, Now - (25 * Second));
        Apply(engine, events);
        engine.Roll(Now, everything: true);
        return engine;
    }

    private static void Apply(RollupEngine engine, IEnumerable<RollupEvent> events)
    {
        int i = 0;
        foreach (var chunk in events.Chunk(100))
        {
            using var batch = RollupEvents.Batch(chunk);
            engine.Apply(batch);
            engine.Roll(Now - (25 * Second) + (i++ * Second / 4));
        }
    }

    private static MetricQuery Query(long bucketSeconds, long span, IReadOnlyList<QueryField> groupBy)
    {
        long width = (bucketSeconds == 0 ? 60 : bucketSeconds) * Second;
        long end = ((Now / width) + 1) * width;
        long start = (Now - span) / width * width;
        return new MetricQuery
        {
            TenantId = "default",
            Metric = "latency_ms",
            StartUnixNano = start,
            EndUnixNano = end,
            BucketSeconds = bucketSeconds,
            Functions = AllFunctions,
            GroupBy = groupBy,
            NormalizedKey = "test",
        };
    }

    private static List<AggregateCell> Cells(RollupEngine engine, MetricQuery query)
    {
        int level = RollupCellAccumulator.LevelFor(query);
        var accumulator = new RollupCellAccumulator(query, level);
        using var _ = engine.EnterRead();
        foreach (var series in accumulator.Candidates(engine.Series))
        {
            if (accumulator.Matches(series))
            {
                accumulator.AddHot(series, engine.Level(series.Id, level), Math.Max(engine.HotStart(level), accumulator.FirstBucket), Math.Min(engine.HotEnd(level), accumulator.EndBucket));
            }
        }
        return accumulator.ToCells().Select(c => Copy(c)).ToList();
    }

    /// <summary>Cells borrow engine sketches: copy them out of the lock for assertions.</summary>
    private static AggregateCell Copy(AggregateCell cell)
    {
        var copy = new AggregateCell(cell.BucketStartUnixNano, cell.Group) { Stats = cell.Stats, Tokens = cell.Tokens, Errors = cell.Errors, Quantiles = cell.Quantiles.ToArray() };
        if (cell.Sketch is { } sketch)
        {
            copy.Sketch = new QuantileSketch();
            copy.Sketch.CopyFrom(sketch);
        }
        return copy;
    }

    private static void AssertMatches(RollupEngine engine, MetricQuery query, IReadOnlyList<RollupEvent> events)
    {
        var cells = Cells(engine, query);
        long width = query.BucketSeconds == 0 ? query.EndUnixNano - query.StartUnixNano : query.BucketSeconds * Second;
        var expected = events
            .Where(e => e.Tenant == "" && e.Metric == query.Metric && e.TimeUnixNano >= query.StartUnixNano && e.TimeUnixNano < query.EndUnixNano)
            .GroupBy(e => (Bucket: query.StartUnixNano + ((e.TimeUnixNano - query.StartUnixNano) / width * width), Model: query.GroupBy.Count == 0 ? "" : e.Model))
            .ToDictionary(g => g.Key, g => g.Select(e => e.Value).Order().ToArray());

        Assert.Equal(expected.Count, cells.Count);
        foreach (var cell in cells)
        {
            var key = (cell.BucketStartUnixNano, query.GroupBy.Count == 0 ? "" : cell.Group[0]);
            Assert.True(expected.TryGetValue(key, out var values), $"unexpected cell {cell}");
            Assert.Equal((ulong)values.Length, cell.Stats.Count);
            Assert.Equal(values.Sum(), cell.Stats.Sum, 1e-9 * values.Sum());
            Assert.Equal(values[0], cell.Stats.Min);
            Assert.Equal(values[^1], cell.Stats.Max);
            double mean = values.Average();
            double variance = values.Sum(v => (v - mean) * (v - mean)) / values.Length;
            Assert.Equal(Math.Sqrt(variance), cell.Stats.StandardDeviation, 1e-6 * Math.Max(1, Math.Sqrt(variance)));
            foreach (var (q, function) in new[] { (0.5, AggregateFunction.P50), (0.9, AggregateFunction.P90), (0.95, AggregateFunction.P95), (0.99, AggregateFunction.P99) })
            {
                double exact = values[(int)Math.Floor(q * (values.Length - 1))];
                double estimate = QueryResultBuilder.Function(function, cell, 60);
                Assert.True(Math.Abs(estimate - exact) <= 0.01 * Math.Abs(exact) + 1e-12, $"p{q * 100} {estimate} vs exact {exact} in {key}");
            }
        }
    }

    private static bool InBucket(RollupEvent e, long start, long seconds) => e.TimeUnixNano >= start && e.TimeUnixNano < start + (seconds * Second);

    private static HashSet<(string, int, long, long)> Keys(IEnumerable<RollupRow> rows) =>
        [.. rows.Select(r => (r.SeriesKey, r.ResolutionSeconds, r.Bucket, r.Part))];
}
