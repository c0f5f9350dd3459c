using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Tests.Rollups;

/// <summary>
/// An answer extended from an earlier one (its settled buckets plus a recomputed tail) equals the answer computed
/// from scratch, after live-edge ingestion, when the range slides on, when groups appear only at the live edge or
/// vanish with the bucket that slid out; and the change log refuses the extension once a settled bucket changed.
/// </summary>
public sealed class QueryResultSpliceTests
{
    private const long Second = 1_000_000_000L;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;

    private static readonly long T0 = DateTimeOffset.Parse("2026-11-24T13:37:41.25Z").ToUnixTimeMilliseconds() * 1_000_000;
    private static readonly QueryField Model = new(FieldKind.SeriesTag, "model", "model");
    private static readonly QueryField Region = new(FieldKind.SeriesTag, "region", "region");
    private static readonly AggregateFunction[] Functions =
    [
        AggregateFunction.Count, AggregateFunction.Sum, AggregateFunction.Avg, AggregateFunction.Min, AggregateFunction.Max,
        AggregateFunction.StdDev, AggregateFunction.P50, AggregateFunction.P95, AggregateFunction.P99, AggregateFunction.Rate,
    ];

    [Theory]
    [InlineData(60L, 0L)]              // refreshed in place: the same range
    [InlineData(60L, 75L)]             // "last 2h" a minute and a bit later: the range slid on by a bucket
    [InlineData(300L, 75L)]
    [InlineData(300L, 240L)]
    [InlineData(3600L, 75L)]
    public void Extended_AfterLiveEdgeIngestion_EqualsTheFullAnswer(long bucketSeconds, long laterSeconds)
    {
        var random = new Random(unchecked((int)((bucketSeconds * 31) + laterSeconds)));
        var engine = new RollupEngine(new RollupOptions(), T0 - (30 * Second));
        Feed(engine, History(random, T0), T0 - (30 * Second), T0);
        // A group whose only events lie in the first bucket of the earlier range: gone once the range slides.
        Feed(engine, [new RollupEvent(Last(bucketSeconds, 2 * Hour, T0).StartUnixNano + Second, 5, Model: "retired-model")], T0, T0);

        var earlierQuery = Last(bucketSeconds, 2 * Hour, T0);
        var earlier = Answer(engine, earlierQuery);
        long version = engine.Version;
        long liveEdgeFrom = engine.RolledThroughUnixNano - (10 * Second);

        long t1 = T0 + (laterSeconds * Second);
        var live = LiveEdge(random, liveEdgeFrom, t1);
        live.Add(new RollupEvent(t1 - (2 * Second), 42, Model: "new-model", Region: "eu-west-1")); // a group seen only at the live edge
        Feed(engine, live, T0, t1);

        var query = Last(bucketSeconds, 2 * Hour, t1);
        Assert.Equal(RangeChange.LiveEdgeOnly, engine.Changes.ChangesSince(version, "default", query.StartUnixNano, query.EndUnixNano, liveEdgeFrom));
        Assert.True(QueryResultSplice.CanExtend(query, earlier, 100));
        long tailStart = QueryResultSplice.TailStart(query, earlierQuery.StartUnixNano, earlierQuery.EndUnixNano, liveEdgeFrom)
            ?? throw new Xunit.Sdk.XunitException("expected a tail");
        Assert.Equal(0, tailStart % (bucketSeconds * Second));
        Assert.True(tailStart <= liveEdgeFrom);

        var tail = Answer(engine, query with { StartUnixNano = tailStart });
        var extended = QueryResultSplice.Splice(query, earlier, tail, tailStart, 100);

        var full = Answer(engine, query);
        AssertSame(full, extended);
        Assert.Contains(extended.Series, s => s.Group["model"] == "new-model");
        bool slid = query.StartUnixNano != earlierQuery.StartUnixNano;
        Assert.Equal(!slid, extended.Series.Any(s => s.Group["model"] == "retired-model"));
    }

    [Fact]
    public void Extension_IsRefused_WhenASettledBucketChanged()
    {
        var random = new Random(3);
        var engine = new RollupEngine(new RollupOptions(), T0 - (30 * Second));
        Feed(engine, History(random, T0), T0 - (30 * Second), T0);
        var query = Last(60, 2 * Hour, T0);
        _ = Answer(engine, query);
        long version = engine.Version;
        long liveEdgeFrom = engine.RolledThroughUnixNano - (10 * Second);

        Feed(engine, [new RollupEvent(T0 - (40 * Minute), 7, Model: "gpt-4o")], T0, T0 + Second); // a late event, long settled

        Assert.Equal(RangeChange.Changed, engine.Changes.ChangesSince(version, "default", query.StartUnixNano, query.EndUnixNano, liveEdgeFrom));
    }

    [Fact]
    public void CanExtend_OnlyWhenOrderAndCutDoNotDependOnValues()
    {
        var query = Last(60, 2 * Hour, T0) with { GroupBy = [Model] };
        var two = new QueryResult { Columns = ["count"], Series = [Series("a"), Series("b")], Source = "rollup" };

        Assert.True(QueryResultSplice.CanExtend(query, two, 100));
        Assert.True(QueryResultSplice.CanExtend(query with { OrderBy = [new QueryOrder(null, Model, Descending: true)] }, two, 100));
        Assert.False(QueryResultSplice.CanExtend(query with { OrderBy = [new QueryOrder(AggregateFunction.Avg, null, Descending: true)] }, two, 100));
        Assert.False(QueryResultSplice.CanExtend(query with { Limit = 2 }, two, 100)); // may have cut groups
        Assert.False(QueryResultSplice.CanExtend(query, two, defaultLimit: 2));
        Assert.False(QueryResultSplice.CanExtend(query with { BucketSeconds = 0 }, two, 100)); // one bucket over the whole range
    }

    [Fact]
    public void TailStart_IsTheBucketHoldingTheChange_OrNullWhenNothingIsSaved()
    {
        var query = Last(60, 2 * Hour, T0);
        long end = query.EndUnixNano;
        long changedFrom = end - (90 * Second) + (7 * Second);

        Assert.Equal(end - (2 * Minute), QueryResultSplice.TailStart(query, query.StartUnixNano, end, changedFrom));
        // An earlier answer that ended before the change: the tail starts at its end.
        Assert.Equal(end - (5 * Minute), QueryResultSplice.TailStart(query, query.StartUnixNano - Minute, end - (5 * Minute), changedFrom));
        // The earlier answer starts after this query: its head is missing.
        Assert.Null(QueryResultSplice.TailStart(query, query.StartUnixNano + Minute, end, changedFrom));
        // Changes from before the start: nothing to keep.
        Assert.Null(QueryResultSplice.TailStart(query, query.StartUnixNano, end, query.StartUnixNano - Second));
    }

    [Fact]
    public void Splice_OrdersGroupsAsAskedAndCutsToTheLimit()
    {
        var query = Last(60, 2 * Hour, T0) with { GroupBy = [Model], OrderBy = [new QueryOrder(null, Model, Descending: true)], Limit = 3 };
        long tailStart = query.EndUnixNano - Minute;
        var earlier = new QueryResult
        {
            Columns = ["count"],
            Series = [Series("b", query.StartUnixNano, tailStart), Series("d", query.StartUnixNano)],
            Source = "rollup",
        };
        var tail = new QueryResult { Columns = ["count"], Series = [Series("a", tailStart), Series("c", tailStart), Series("b", tailStart) with { Points = [new ResultPoint(tailStart, [9.0])] }], Source = "rollup" };

        var spliced = QueryResultSplice.Splice(query, earlier, tail, tailStart, 100);

        Assert.Equal(["d", "c", "b"], spliced.Series.Select(s => s.Group["model"]));
        Assert.Equal([query.StartUnixNano, tailStart], spliced.Series[2].Points.Select(p => p.BucketStartUnixNano)); // b's stale tail point replaced
        Assert.Equal(9.0, spliced.Series[2].Points[1].Values[0]);
    }

    private static ResultSeries Series(string model, params long[] buckets) =>
        new(new Dictionary<string, string> { ["model"] = model }, [.. buckets.Select((b, i) => new ResultPoint(b, [i + 1.0]))]);

    /// <summary>"last <paramref name="span"/>" at <paramref name="now"/> as the validator resolves it, grouped by model and region.</summary>
    private static MetricQuery Last(long bucketSeconds, long span, long now)
    {
        long width = bucketSeconds * Second;
        long end = ((now + width - 1) / width) * width;
        long start = (now - span) / width * width;
        return new MetricQuery
        {
            TenantId = "default",
            Metric = "latency_ms",
            StartUnixNano = start,
            EndUnixNano = end,
            BucketSeconds = bucketSeconds,
            Functions = Functions,
            GroupBy = [Model, Region],
            NormalizedKey = "test",
        };
    }

    /// <summary>Two hours of events for three models in two regions, denser towards now.</summary>
    private static List<RollupEvent> History(Random random, long now)
    {
        string[] models = ["gpt-4o", "claude-3", "llama-3"];
        string[] regions = ["us-east-1", "eu-west-1"];
        var events = new List<RollupEvent>();
        for (int i = 0; i < 4000; i++)
        {
            long age = random.NextDouble() < 0.4 ? (long)(random.NextDouble() * 30 * Second) : (long)(random.NextDouble() * 2 * Hour);
            events.Add(new RollupEvent(now - age, Math.Exp(random.NextDouble() * 6), Model: models[random.Next(3)], Region: regions[random.Next(2)]));
        }
        return events;
    }

    /// <summary>Events in [from, to): what live ingestion adds after an answer was computed.</summary>
    private static List<RollupEvent> LiveEdge(Random random, long from, long to)
    {
        string[] models = ["gpt-4o", "claude-3", "llama-3"];
        var events = new List<RollupEvent>();
        for (int i = 0; i < 1500; i++)
        {
            long t = from + (long)(random.NextDouble() * (to - from));
            events.Add(new RollupEvent(t, Math.Exp(random.NextDouble() * 6), Model: models[random.Next(3)], Region: "us-east-1"));
        }
        return events;
    }

    /// <summary>Applies the events in time order in batches while the clock moves from <paramref name="from"/> to <paramref name="to"/>, rolling as the hub does.</summary>
    private static void Feed(RollupEngine engine, IReadOnlyList<RollupEvent> events, long from, long to)
    {
        var ordered = events.OrderBy(e => e.TimeUnixNano).ToList();
        var chunks = ordered.Chunk(100).ToList();
        for (int i = 0; i < chunks.Count; i++)
        {
            using var batch = RollupEvents.Batch(chunks[i]);
            engine.Apply(batch);
            engine.Roll(from + ((to - from) * (i + 1) / chunks.Count));
        }
        engine.Roll(to);
    }

    /// <summary>What the query executor does: merge matching series and build the result under the read lock.</summary>
    private static QueryResult Answer(RollupEngine engine, MetricQuery query)
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
        return QueryResultBuilder.Build(query, accumulator.ToCells(), "rollup", 100);
    }

    private static void AssertSame(QueryResult expected, QueryResult actual)
    {
        Assert.Equal(expected.Columns, actual.Columns);
        Assert.Equal(expected.Series.Select(s => Key(s)), actual.Series.Select(s => Key(s)));
        for (int s = 0; s < expected.Series.Count; s++)
        {
            var want = expected.Series[s].Points;
            var got = actual.Series[s].Points;
            Assert.Equal(want.Select(p => p.BucketStartUnixNano), got.Select(p => p.BucketStartUnixNano));
            for (int p = 0; p < want.Count; p++)
            {
                Assert.Equal(want[p].Values, got[p].Values); // bit for bit: the same buckets, the same merges
            }
        }
    }

    private static string Key(ResultSeries series) => string.Join("|", series.Group.OrderBy(kv => kv.Key).Select(kv => kv.Key + "=" + kv.Value));
}
