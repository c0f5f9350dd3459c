namespace AnalyticsHub.Core.Query;

/// <summary>What a metric query computes per bucket and group. Percentiles come from rollup sketches (≤ 1 % relative error) or, on the store path, from a sketch of the matching values.</summary>
public enum AggregateFunction : byte
{
    Count,
    Sum,
    Avg,
    Min,
    Max,
    /// <summary>Population standard deviation.</summary>
    StdDev,
    P50,
    P90,
    P95,
    P99,
    /// <summary>Events per second over the bucket (count ÷ bucket seconds; for the whole range, ÷ range seconds).</summary>
    Rate,
}
