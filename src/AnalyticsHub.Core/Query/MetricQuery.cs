namespace AnalyticsHub.Core.Query;

/// <summary>
/// A validated metric query (REST <c>POST /api/v1/query</c>, gRPC <c>QueryService.Query</c>):
/// one metric (or a composite) of one tenant over [<see cref="StartUnixNano"/>,
/// <see cref="EndUnixNano"/>), filtered, bucketed and grouped. Built only by the query parser,
/// which resolves relative ranges against the clock and rejects what cannot be answered.
/// </summary>
public sealed record MetricQuery
{
    public required string TenantId { get; init; }

    /// <summary>The series metric: telemetry metric_name, cost cost_type, or the name of a count-measured event (threat_type, governance_type, change_type, policy_id). For a composite: null, or the one metric name the composite is restricted to.</summary>
    public string? Metric { get; init; }

    public CompositeMetric Composite { get; init; }

    /// <summary>Inclusive start, aligned down to the bucket width (to the minute for one bucket over the whole range). Buckets align to the Unix epoch in UTC, so 1d buckets are UTC days.</summary>
    public required long StartUnixNano { get; init; }

    /// <summary>Exclusive end, aligned up to the bucket width (to the minute for one bucket over the whole range).</summary>
    public required long EndUnixNano { get; init; }

    public IReadOnlyList<QueryFilter> Filters { get; init; } = [];

    /// <summary>In the order asked for; the result's values follow it. For a composite: empty.</summary>
    public IReadOnlyList<AggregateFunction> Functions { get; init; } = [];

    /// <summary>Bucket width in seconds (60, 300, 900, 3600, 86400); 0 = one bucket for the whole range.</summary>
    public long BucketSeconds { get; init; }

    public IReadOnlyList<QueryField> GroupBy { get; init; } = [];

    public IReadOnlyList<QueryOrder> OrderBy { get; init; } = [];

    /// <summary>Most series returned (top-N after ordering); 0 = the server's default. The validator always sets the effective limit.</summary>
    public int Limit { get; init; }

    /// <summary>The REST answer's layout; not part of <see cref="NormalizedKey"/> (the values do not depend on it).</summary>
    public ResultFormat Format { get; init; }

    /// <summary>A percentile among <see cref="Functions"/>: answering it needs quantile sketches.</summary>
    public bool AsksPercentiles => Functions.Any(IsPercentile);

    /// <summary>Series are ordered by a percentile over the whole range (which merges sketches, not frozen quantiles).</summary>
    public bool OrdersByPercentile => OrderBy.Any(o => o.Function is { } f && IsPercentile(f));

    /// <summary>True when rollups can answer: every filter and group_by names a series dimension.</summary>
    public bool IsRollupAnswerable =>
        Filters.All(f => f.Field.IsSeriesDimension) && GroupBy.All(g => g.IsSeriesDimension);

    /// <summary>The query in one canonical text (relative ranges already resolved), for the result cache.</summary>
    public required string NormalizedKey { get; init; }

    /// <summary>
    /// <see cref="NormalizedKey"/> without the range: queries with the same shape ask the same question of different
    /// times (a "last 24h" query each minute), so one's answer can be extended into another's.
    /// </summary>
    public string ShapeKey => QueryKey.Of(TenantId, Metric, Composite, 0, 0, BucketSeconds, Filters, Functions, GroupBy, OrderBy, Limit);

    /// <summary>True for p50, p90, p95 and p99: estimates from quantile sketches (accurate to 1 %), not exact aggregates.</summary>
    public static bool IsPercentile(AggregateFunction function) => function is >= AggregateFunction.P50 and <= AggregateFunction.P99;

    /// <summary>Which of the answer's columns are percentiles (a composite's single column is not).</summary>
    public bool[] PercentileColumns() => Composite == CompositeMetric.None ? [.. Functions.Select(IsPercentile)] : [false];
}
