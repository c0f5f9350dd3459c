using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Protocol.Events;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using V1 = AnalyticsHub.Contracts.V1;

namespace AnalyticsHub.Benchmarks;

/// <summary>
/// The rollup engine's per-event update (<see cref="RollupEngine.Apply"/>: series lookup over
/// tenant, module, type, severity, metric, environment, asset and four tag dimensions, then the
/// 1 s bucket's stats and sketch) on a decoded 1,000-event batch spread over 50 series (one per
/// model) — the fast path, events inside the 1 s window — and the direct path (events minutes
/// old: 1 m, 1 h and 1 d buckets updated). One operation = one event. Then the hot query the
/// issue's latency target names: 24 h at 1 m buckets, p50/p95/p99/avg, grouped by model over the
/// 50 series, from memory (no HTTP) after a flush (so closed buckets' quantiles are frozen), one
/// operation = one query; and the same question over 300 series, six per model (regions), as the
/// load runner's events make them: every cell then merges six sketches.
/// </summary>
[BenchmarkCategory("Rollup")]
public class RollupBenchmarks
{
    public const int EventsPerBatch = 1000;
    private const int Models = 50;
    private const long Second = 1_000_000_000L;

    private static readonly long Now = DateTimeOffset.Parse("2026-11-24T12:00:30.5Z").ToUnixTimeMilliseconds() * 1_000_000;

    private Core.Events.EventBatch _fresh = null!;
    private Core.Events.EventBatch _old = null!;
    private RollupEngine _engine = null!;
    private RollupEngine _queried = null!;
    private RollupEngine _queriedSixPerModel = null!;
    private MetricQuery _query = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fresh = Decode(Now);
        _old = Decode(Now - (10 * 60 * Second));
        _engine = new RollupEngine(new RollupOptions(), Now);
        _engine.Apply(_fresh); // series and slots exist: what is measured is the steady state
        _engine.Apply(_old);

        // 24 h of 1 m buckets for 50 series (~20 values each), and for 300 series (~3-4 each), all rolled into memory.
        _queried = Day(regions: 1);
        _queriedSixPerModel = Day(regions: 6);
        long end = (Now / (60 * Second) + 1) * 60 * Second;
        _query = new MetricQuery
        {
            TenantId = "default",
            Metric = "latency_ms",
            StartUnixNano = end - (24 * 3600 * Second),
            EndUnixNano = end,
            BucketSeconds = 60,
            Functions = [AggregateFunction.Avg, AggregateFunction.P50, AggregateFunction.P95, AggregateFunction.P99],
            GroupBy = [new QueryField(FieldKind.SeriesTag, "model", "model")],
            NormalizedKey = "bench",
        };
        Console.WriteLine($"// query: {HotQuery()} points; six series per model: {HotQuery_SixSeriesPerModel()} points");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fresh.Dispose();
        _old.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerBatch)]
    public void Apply_OneSecondWindow() => _engine.Apply(_fresh);

    [Benchmark(OperationsPerInvoke = EventsPerBatch)]
    public void Apply_DirectPath() => _engine.Apply(_old);

    [Benchmark]
    public int HotQuery() => Answer(_queried);

    [Benchmark]
    public int HotQuery_SixSeriesPerModel() => Answer(_queriedSixPerModel);

    private int Answer(RollupEngine engine)
    {
        int level = RollupCellAccumulator.LevelFor(_query);
        var accumulator = new RollupCellAccumulator(_query, level);
        using var _ = engine.EnterRead();
        foreach (var series in accumulator.Candidates(engine.Series))
        {
            if (accumulator.Matches(series))
            {
                accumulator.AddHot(series, engine.Level(series.Id, level), Math.Max(engine.HotStart(level), accumulator.FirstBucket), Math.Min(engine.HotEnd(level), accumulator.EndBucket));
            }
        }
        return QueryResultBuilder.Build(_query, accumulator.ToCells(), "rollup", 100).RowCount;
    }

    private static RollupEngine Day(int regions)
    {
        var engine = new RollupEngine(new RollupOptions(), Now - (24 * 3600 * Second));
        var random = new Random(1);
        for (long t = Now - (24 * 3600 * Second); t < Now; t += 60 * Second)
        {
            using var batch = Decode(t, random, regions);
            engine.Apply(batch);
            engine.Roll(t + (3 * Second));
        }
        engine.Roll(Now, everything: true);
        engine.CollectFlush(version: 1, Now); // as the hub's worker does every few seconds: freezes closed buckets' quantiles
        return engine;
    }

    private static Core.Events.EventBatch Decode(long time, Random? random = null, int regions = 1)
    {
        var batch = new V1.EventBatch();
        for (int i = 0; i < EventsPerBatch; i++)
        {
            var e = EventDecodeBenchmarks.TypicalTelemetryEvent(i);
            e.TimeUnixNano = (ulong)(time + (i % 1000) * 1000);
            e.Tags["model"] = "model-" + (i % Models);
            e.Tags["region"] = "region-" + (i / Models % regions);
            e.Tags["user_id"] = Guid.NewGuid().ToString(); // high cardinality: ignored by series keys
            e.Telemetry.MetricValue = random is null ? 100 + (i % 400) : Math.Exp(random.NextDouble() * 7);
            batch.Events.Add(e);
        }

        var decoded = new Core.Events.EventBatch();
        decoded.Load(batch.ToByteArray());
        EventBatchDecoder.TryDecode(decoded, out _);
        return decoded;
    }
}
