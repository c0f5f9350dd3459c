using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Storage.Stores;
using static AnalyticsHub.Storage.Tests.Query.QueryTestKit;

namespace AnalyticsHub.Storage.Tests.Query;

/// <summary>AggregateAsync on the three real stores holding <see cref="QueryScenario"/>, against <see cref="QueryReference"/>.</summary>
[Collection(QueryStoresCollection.Name)]
public sealed class AggregateTests(QueryStoresFixture stores)
{
    private static readonly AggregateFunction[] Basic = [AggregateFunction.Count, AggregateFunction.Sum, AggregateFunction.Min, AggregateFunction.Max];
    private static readonly AggregateFunction[] Percentiles = [AggregateFunction.Count, AggregateFunction.P50, AggregateFunction.P90, AggregateFunction.P99];
    private static readonly double[] Quantiles = [0.5, 0.9, 0.95, 0.99];

    public static TheoryData<string, long> StoresAndBuckets()
    {
        var data = new TheoryData<string, long>();
        foreach (var store in QueryStoresFixture.StoreNames)
        {
            foreach (long bucket in new long[] { 60, 300, 900, 3600, 86400, 0 })
            {
                data.Add(store, bucket);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StoresAndBuckets))]
    public async Task Aggregate_EveryBucketSize_MatchesTheReference(string store, long bucketSeconds)
    {
        var query = Metric("latency_ms", bucketSeconds, Basic);

        var cells = await stores.Store(store).AggregateAsync(query, stores.Dimensions, CancellationToken.None);

        AssertCells(query, cells);
        Assert.All(cells, c => Assert.Null(c.Sketch));
        if (bucketSeconds == 0)
        {
            Assert.Equal(QueryScenario.Start, Assert.Single(cells).BucketStartUnixNano);
        }
        else
        {
            Assert.True(cells.Count > 1);
            Assert.All(cells, c => Assert.Equal(0, c.BucketStartUnixNano % (bucketSeconds * 1_000_000_000L)));
        }
    }

    public static TheoryData<string, int> StoresAndGroupings()
    {
        var data = new TheoryData<string, int>();
        foreach (var store in QueryStoresFixture.StoreNames)
        {
            for (int i = 0; i < Groupings.Length; i++)
            {
                data.Add(store, i);
            }
        }

        return data;
    }

    private static readonly (string? Metric, QueryField[] GroupBy)[] Groupings =
    [
        ("latency_ms", [SeriesTag("model")]),
        ("latency_ms", [Tag("user_tier")]),
        ("latency_ms", [Dimension("endpoint"), SeriesTag("region")]),
        ("throughput", [Payload("metric_value")]),
        ("inference", [SeriesTag("team"), Payload("model_id"), Dimension("model_id")]),
        ("pii-filter", [Payload("evaluation_ms"), Payload("passed"), SeverityField]),
        ("prompt_injection", [SourceModuleField, EventTypeField, Tag("label"), EnvironmentField]),
        ("custom_event", [AssetIdField, Tag("label")]),
    ];

    [Theory]
    [MemberData(nameof(StoresAndGroupings))]
    public async Task Aggregate_GroupBy_MatchesTheReference(string store, int grouping)
    {
        var (metric, groupBy) = Groupings[grouping];
        var query = Metric(metric, 3600, Basic, groupBy);

        var cells = await stores.Store(store).AggregateAsync(query, stores.Dimensions, CancellationToken.None);

        AssertCells(query, cells);
        Assert.True(cells.Select(c => string.Join("|", c.Group)).Distinct().Count() > 1, "one group only: the grouping is not exercised");
    }

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task Aggregate_Composites_SelectTheirEventsWithTokensAndErrors(string store)
    {
        var perRequest = Metric(null, 3600, [], composite: CompositeMetric.CostPerRequest);
        var perTokens = Metric("inference", 0, [], [SeriesTag("model")], composite: CompositeMetric.CostPer1kTokens);
        var throughput = Metric(null, 900, [], composite: CompositeMetric.ErrorAdjustedThroughput);

        foreach (var query in new[] { perRequest, perTokens, throughput })
        {
            var cells = await stores.Store(store).AggregateAsync(query, stores.Dimensions, CancellationToken.None);
            AssertCells(query, cells);
        }

        var costs = await stores.Store(store).AggregateAsync(perTokens, stores.Dimensions, CancellationToken.None);
        Assert.All(costs, c => Assert.True(c.Tokens > 1000 * c.Stats.Count));
        var telemetry = await stores.Store(store).AggregateAsync(throughput, stores.Dimensions, CancellationToken.None);
        Assert.True(telemetry.Sum(c => (double)c.Errors) > 0);
        Assert.True(telemetry.Sum(c => (double)c.Stats.Count) > telemetry.Sum(c => (double)c.Errors));
    }

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task Aggregate_Percentiles_SketchWithinOnePercentOfExact(string store)
    {
        var query = Metric("latency_ms", 0, Percentiles, [SeriesTag("model")], [Filter(Tag("user_tier"), FilterOperator.Neq, "bronze")]);
        var expected = QueryReference.Measured(query, stores.Dimensions);

        var cells = await stores.Store(store).AggregateAsync(query, stores.Dimensions, CancellationToken.None);

        AssertCells(query, cells);
        foreach (var cell in cells)
        {
            var values = expected.Where(r => r.Group.SequenceEqual(cell.Group)).Select(r => r.Value).ToList();
            var sketch = Assert.IsType<QuantileSketch>(cell.Sketch);
            Assert.Equal((ulong)values.Count, sketch.Count);
            Assert.True(values.Count > 30);
            foreach (double q in Quantiles)
            {
                double exact = QueryReference.ExactQuantile(values, q);
                double estimate = sketch.Quantile(q);
                Assert.True(Math.Abs(estimate - exact) <= 0.01 * Math.Abs(exact), $"{store} {string.Join(",", cell.Group)} p{q * 100}: {estimate} vs exact {exact}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task Aggregate_RawFieldFilters_MatchTheReference(string store)
    {
        var failures = new List<string>();
        foreach (var (filter, _) in EventSearchTests.FilterCases().Where((_, i) => i % 7 == 0))
        {
            var query = Metric(null, 86400, Basic, [EventTypeField], [filter]);
            var expected = Expected(query);
            var cells = await stores.Store(store).AggregateAsync(query, stores.Dimensions, CancellationToken.None);
            if (Describe(cells) != Describe(expected))
            {
                failures.Add($"{QueryTestKit.Describe(filter)}:\n  expected {Describe(expected)}\n  actual   {Describe(cells)}");
            }
            else
            {
                AssertSameCells(expected, cells, QueryTestKit.Describe(filter), sketches: false);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task Aggregate_NonFiniteValues_LeftOut(string store)
    {
        var nan = QueryScenario.Events.Single(e => double.IsNaN(e.Value));
        var infinite = QueryScenario.Events.Single(e => double.IsInfinity(e.Value));
        var query = Metric("latency_ms", 0, Basic, filters: [Filter(EventIdField, FilterOperator.In, nan.Id, infinite.Id)]);

        var cells = await stores.Store(store).AggregateAsync(query, stores.Dimensions, CancellationToken.None);

        Assert.Empty(cells);
    }

    [Theory]
    [MemberData(nameof(QueryStoresFixture.Stores), MemberType = typeof(QueryStoresFixture))]
    public async Task Aggregate_MoreCellsThanTheBound_RejectedAsTooManyGroups(string store)
    {
        await stores.WithLimitsAsync(new EventQueryLimits { MaxCells = 50 }, async () =>
        {
            var fine = await stores.Store(store).AggregateAsync(Metric("latency_ms", 86400, Basic, [SeriesTag("model")]), stores.Dimensions, CancellationToken.None);
            Assert.InRange(fine.Count, 2, 50);
            foreach (var tooMany in new[] { Metric("latency_ms", 60, Basic), Metric("latency_ms", 0, Percentiles, [EventIdField]) })
            {
                var e = await Assert.ThrowsAsync<QueryRejectedException>(() => stores.Store(store).AggregateAsync(tooMany, stores.Dimensions, CancellationToken.None));
                Assert.Equal(QueryRejection.TooManyGroups, e.Reason);
                Assert.Contains("too many groups", e.Message, StringComparison.Ordinal);
            }
        });
    }

    [Fact]
    public async Task Aggregate_ThreeStores_GiveTheSameCells()
    {
        var queries = new[]
        {
            Metric("latency_ms", 300, Percentiles, [SeriesTag("model"), Tag("user_tier")]),
            Metric(null, 3600, Basic, [SourceModuleField, SeverityField], [Filter(Dimension("endpoint"), FilterOperator.Eq, "/v1/chat")]),
            Metric(null, 0, [], [SeriesTag("team")], composite: CompositeMetric.CostPer1kTokens),
        };
        foreach (var query in queries)
        {
            var results = new List<IReadOnlyList<AggregateCell>>();
            foreach (var name in QueryStoresFixture.StoreNames)
            {
                results.Add(await stores.Store(name).AggregateAsync(query, stores.Dimensions, CancellationToken.None));
            }

            for (int i = 1; i < results.Count; i++)
            {
                AssertSameCells(results[0], results[i], $"{QueryStoresFixture.StoreNames[0]} vs {QueryStoresFixture.StoreNames[i]}");
            }
        }
    }

    [Fact]
    public async Task Search_ThreeStores_GiveTheSamePages()
    {
        var query = Search(limit: 50, Filter(Tag("label"), FilterOperator.Neq, "x")) with { MinSeverity = Severity.Info };
        var pages = new List<List<SearchedEvent>>();
        foreach (var name in QueryStoresFixture.StoreNames)
        {
            pages.Add(await EventSearchTests.WalkAsync(stores.Store(name), query));
        }

        foreach (var other in pages.Skip(1))
        {
            Assert.Equal(pages[0].Select(e => (e.EventId, e.TimeUnixNano, e.Severity, e.Name, e.Value)), other.Select(e => (e.EventId, e.TimeUnixNano, e.Severity, e.Name, e.Value)));
        }
    }

    private void AssertCells(MetricQuery query, IReadOnlyList<AggregateCell> cells)
    {
        AssertSameCells(Expected(query), cells, "reference vs store", sketches: false);
        bool sketches = query.Functions.Any(f => f >= AggregateFunction.P50 && f <= AggregateFunction.P99);
        Assert.All(cells, c => Assert.Equal(sketches, c.Sketch is not null));
    }

    private List<AggregateCell> Expected(MetricQuery query)
    {
        var cells = new List<AggregateCell>();
        foreach (var group in QueryReference.Measured(query, stores.Dimensions).GroupBy(r => r.Bucket + "\u0001" + string.Join("\u0001", r.Group)))
        {
            var first = group.First();
            var stats = new BucketStats();
            foreach (var row in group)
            {
                stats.Add(row.Value);
            }

            cells.Add(new AggregateCell(first.Bucket, first.Group)
            {
                Stats = stats,
                Tokens = group.Sum(r => r.Event.InputTokens + (double)r.Event.OutputTokens),
                Errors = (ulong)group.Count(r => r.Event.Severity >= Severity.Error),
            });
        }

        return cells;
    }

    /// <summary>The cells as sorted text, with what every store must give exactly: keys, counts, min, max, errors.</summary>
    private static string Describe(IEnumerable<AggregateCell> cells) => string.Join("\n", cells
        .Select(c => $"{c.BucketStartUnixNano} [{string.Join("|", c.Group)}] n={c.Stats.Count} min={c.Stats.Min:R} max={c.Stats.Max:R} errors={c.Errors}")
        .Order(StringComparer.Ordinal));

    /// <summary>Sums are added in each store's own order: equal to 1e-12 relative.</summary>
    private static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{what}: {actual:R}, expected {expected:R}");

    private static void AssertSameCells(IReadOnlyList<AggregateCell> a, IReadOnlyList<AggregateCell> b, string what, bool sketches = true)
    {
        Assert.Equal(Describe(a), Describe(b));
        var byKey = b.ToDictionary(c => c.BucketStartUnixNano + "|" + string.Join("|", c.Group));
        foreach (var cell in a)
        {
            string key = cell.BucketStartUnixNano + "|" + string.Join("|", cell.Group);
            var other = byKey[key];
            AssertClose(cell.Stats.Sum, other.Stats.Sum, $"{what} {key} sum");
            AssertClose(cell.Stats.SumOfSquares, other.Stats.SumOfSquares, $"{what} {key} sum of squares");
            AssertClose(cell.Tokens, other.Tokens, $"{what} {key} tokens");
            if (!sketches)
            {
                continue;
            }

            Assert.Equal(cell.Sketch is null, other.Sketch is null);
            if (cell.Sketch is { } sketch)
            {
                Assert.Equal(sketch.Count, other.Sketch!.Count);
                foreach (double q in Quantiles.Append(0).Append(1))
                {
                    Assert.Equal(sketch.Quantile(q), other.Sketch.Quantile(q));
                }
            }
        }
    }
}
