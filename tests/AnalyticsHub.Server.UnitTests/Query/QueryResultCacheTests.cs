using System.Diagnostics;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Server.Query;

namespace AnalyticsHub.Server.UnitTests.Query;

public sealed class QueryResultCacheTests : IDisposable
{
    private const long Second = 1_000_000_000L;
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 30, TimeSpan.Zero);
    private static readonly long NowNano = (Now.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;

    private readonly QueryMetrics _metrics = new();
    private readonly RollupChangeLog _changes = new();

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public void Unchanged_IsServed_WithoutARefresh()
    {
        var cache = Cache();
        var query = Query("last 1h");
        cache.Add(query, Answer(query, version: 1));

        Assert.NotNull(cache.TryGet(query, _changes, out bool refresh));
        Assert.False(refresh);
    }

    [Fact]
    public void LiveEdgeChange_IsServedWithinTheLag_AndOneCallerRefreshesAfterHalfOfIt()
    {
        var cache = Cache(lag: TimeSpan.FromMinutes(10));
        var query = Query("last 1h");
        cache.Add(query, Answer(query, version: 1, age: TimeSpan.FromMinutes(1)));
        _changes.Record(2, "default", NowNano - Second, NowNano);

        Assert.NotNull(cache.TryGet(query, _changes, out bool early));
        Assert.False(early); // younger than half the lag (the computation took no time)

        var older = Query("last 2h");
        cache.Add(older, Answer(older, version: 1, age: TimeSpan.FromMinutes(6)));
        Assert.NotNull(cache.TryGet(older, _changes, out bool first));
        Assert.NotNull(cache.TryGet(older, _changes, out bool second));
        Assert.True(first);
        Assert.False(second); // a refresh is already running
    }

    [Theory]
    [InlineData(0, 5_000)]      // fast computations refresh at half the lag
    [InlineData(3_000, 4_000)]  // slower ones early enough to land in time: lag − 2 × compute
    [InlineData(4_500, 2_500)]  // never before a quarter of the lag
    public void RefreshAge_LeavesTimeForTheComputation(int computeMs, int expectedMs)
    {
        var cache = Cache(lag: TimeSpan.FromSeconds(10));
        var query = Query("last 1h");

        var age = cache.RefreshAge(Answer(query, 1));
        var slow = cache.RefreshAge(new CachedAnswer(query, Answer(query, 1).Result, 1, NowNano, NowNano) { ComputeTime = TimeSpan.FromMilliseconds(computeMs) });

        Assert.Equal(TimeSpan.FromSeconds(5), age);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), slow);
    }

    [Fact]
    public void LiveEdgeChange_PastTheLag_IsAMiss()
    {
        var cache = Cache(lag: TimeSpan.FromSeconds(1));
        var query = Query("last 1h");
        cache.Add(query, Answer(query, version: 1, age: TimeSpan.FromSeconds(2)));
        _changes.Record(2, "default", NowNano - Second, NowNano);

        Assert.Null(cache.TryGet(query, _changes, out _));
    }

    [Fact]
    public void LagZero_ServesExactAnswersOnly()
    {
        var cache = Cache(lag: TimeSpan.Zero);
        var query = Query("last 1h");
        cache.Add(query, Answer(query, version: 1));
        _changes.Record(2, "default", NowNano - Second, NowNano);

        Assert.Null(cache.TryGet(query, _changes, out _));
    }

    [Fact]
    public void SettledChange_IsAMissAtOnce()
    {
        var cache = Cache(lag: TimeSpan.FromMinutes(10));
        var query = Query("last 1h");
        cache.Add(query, Answer(query, version: 1));
        _changes.Record(2, "default", NowNano - (30 * 60 * Second), NowNano - (30 * 60 * Second) + Second); // a late event

        Assert.Null(cache.TryGet(query, _changes, out _));
    }

    [Fact]
    public void EntryBound_EvictsTheLeastRecentlyUsed()
    {
        var cache = Cache(entries: 2);
        var (a, b, c) = (Query("last 1h"), Query("last 2h"), Query("last 3h"));
        cache.Add(a, Answer(a, 1));
        cache.Add(b, Answer(b, 1));
        Assert.NotNull(cache.TryGet(a, _changes, out _)); // a is now the most recent
        cache.Add(c, Answer(c, 1));

        Assert.Equal(2, cache.Count);
        Assert.NotNull(cache.TryGet(a, _changes, out _));
        Assert.Null(cache.TryGet(b, _changes, out _));
        Assert.NotNull(cache.TryGet(c, _changes, out _));
    }

    [Fact]
    public void ByteBound_CountsRenderedAnswers_AndEvicts()
    {
        var (a, b) = (Query("last 1h"), Query("last 2h"));
        var answerA = Answer(a, 1, points: 2000);
        var answerB = Answer(b, 1, points: 2000);
        long objects = answerA.Bytes;
        var cache = Cache(bytes: (2 * objects) + 1024);
        cache.Add(a, answerA);
        cache.Add(b, answerB);
        Assert.Equal(2 * objects, cache.Bytes);

        // Rendering b's JSON (tens of KB) takes the cache over its bound: a, the least recently used, goes.
        var rendered = answerB.Rendered(ResultFormat.Columns, out bool renderedNow);
        Assert.True(renderedNow);
        Assert.True(rendered.Length > 1024);
        cache.Grew(b, answerB);

        Assert.Equal(1, cache.Count);
        Assert.Equal(answerB.Bytes, cache.Bytes);
        Assert.Null(cache.TryGet(a, _changes, out _));
        Assert.Same(rendered, answerB.Rendered(ResultFormat.Columns, out bool again));
        Assert.False(again);
    }

    [Fact]
    public void Replacing_KeepsTheByteCountExact()
    {
        var query = Query("last 1h");
        var cache = Cache();
        var first = Answer(query, 1, points: 100);
        cache.Add(query, first);
        first.Rendered(ResultFormat.Points, out _);
        cache.Grew(query, first);
        var second = Answer(query, 2, points: 10);
        cache.Add(query, second);
        cache.Grew(query, first); // a late report about the replaced entry changes nothing

        Assert.Equal(second.Bytes, cache.Bytes);
    }

    private QueryResultCache Cache(int entries = 100, long bytes = 1 << 30, TimeSpan? lag = null) =>
        new(new QueryCacheSettings(entries, bytes, TimeSpan.FromSeconds(10), lag ?? TimeSpan.FromSeconds(1)), _metrics);

    private static MetricQuery Query(string range)
    {
        var spec = new QuerySpec { Metric = "latency_ms", TimeRange = new TimeRangeSpec { Relative = range }, Functions = ["avg", "p99"], TimeBucket = "1m" };
        var validated = QueryValidator.Validate(spec, Now, QueryLimits.Default, new SeriesDimensions([]));
        Assert.True(validated.IsValid, string.Join(" | ", validated.Errors));
        return validated.Value;
    }

    private static CachedAnswer Answer(MetricQuery query, long version, TimeSpan age = default, int points = 3)
    {
        var series = new ResultSeries(
            new Dictionary<string, string>(),
            [.. Enumerable.Range(0, points).Select(i => new ResultPoint(query.StartUnixNano + (i * 60 * Second), [i * 1.5, i * 2.25]))]);
        var result = new QueryResult { Columns = ["avg", "p99"], Series = [series], Source = QueryExecutor.RollupSource };
        return new CachedAnswer(query, result, version, NowNano, NowNano - (10 * Second))
        {
            ComputedAt = Stopwatch.GetTimestamp() - (long)(age.TotalSeconds * Stopwatch.Frequency),
        };
    }
}
