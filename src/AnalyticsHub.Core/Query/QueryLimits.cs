namespace AnalyticsHub.Core.Query;

/// <summary>What one query may ask for (bound from configuration by the server; these are the defaults).</summary>
public sealed record QueryLimits
{
    public static QueryLimits Default { get; } = new();

    /// <summary>Longest time range of a metric query or an event search.</summary>
    public TimeSpan MaxRange { get; init; } = TimeSpan.FromDays(400);

    /// <summary>Most buckets per series: the requested span ÷ the bucket width, rounded up (alignment may add one partial bucket at an edge).</summary>
    public int MaxPointsPerSeries { get; init; } = 10_080;

    /// <summary>Series returned when a metric query gives no limit.</summary>
    public int DefaultLimit { get; init; } = 100;

    public int MaxLimit { get; init; } = 10_000;

    /// <summary>Most values of one <c>in</c> filter.</summary>
    public int MaxInValues { get; init; } = 1_000;

    public int MaxFilters { get; init; } = 32;

    public int MaxGroupBy { get; init; } = 4;

    /// <summary>Longest filter value, metric name excluded, in UTF-8 bytes.</summary>
    public int MaxValueBytes { get; init; } = 4_096;

    /// <summary>Event search: the range when none is given.</summary>
    public TimeSpan DefaultSearchRange { get; init; } = TimeSpan.FromHours(24);

    public int DefaultSearchLimit { get; init; } = 100;

    public int MaxSearchLimit { get; init; } = 1_000;

    public int MaxSearchOffset { get; init; } = 100_000;
}
