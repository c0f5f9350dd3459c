namespace AnalyticsHub.Core.Query;

/// <summary>
/// A metric query as the client sent it, before validation: plain text and numbers, filled by
/// <see cref="QueryJson"/> (REST) or from the protobuf <c>QueryRequest</c> (gRPC). Empty strings
/// mean "not given", as in proto3. <see cref="QueryValidator"/> turns it into a
/// <see cref="MetricQuery"/>; its error paths use the names below in snake_case
/// (<c>aggregation.time_bucket</c>, <c>filters[1].op</c>), which both transports share.
/// </summary>
public sealed record QuerySpec
{
    /// <summary>Null or empty: <c>default</c>.</summary>
    public string? TenantId { get; init; }

    public string? Metric { get; init; }

    /// <summary>A composite metric name (<c>cost_per_request</c> …); with it, <see cref="Metric"/> may restrict it to one metric.</summary>
    public string? Composite { get; init; }

    public TimeRangeSpec? TimeRange { get; init; }

    public IReadOnlyList<FilterSpec> Filters { get; init; } = [];

    /// <summary><c>aggregation.functions</c>.</summary>
    public IReadOnlyList<string> Functions { get; init; } = [];

    /// <summary><c>aggregation.time_bucket</c>: 1m, 5m, 15m, 1h, 1d; null or empty for one bucket over the whole range.</summary>
    public string? TimeBucket { get; init; }

    /// <summary><c>aggregation.group_by</c>.</summary>
    public IReadOnlyList<string> GroupBy { get; init; } = [];

    public IReadOnlyList<OrderSpec> OrderBy { get; init; } = [];

    /// <summary>0: the default (<see cref="QueryLimits.DefaultLimit"/>); negative values are refused.</summary>
    public long Limit { get; init; }

    /// <summary><c>format</c>: <c>points</c> (the default) or <c>columns</c>; REST only.</summary>
    public string? Format { get; init; }
}
