namespace AnalyticsHub.Core.Rollups;

/// <summary>How much of each bucket width the hub keeps in memory, and the series cap (<c>Hub:Rollups</c>).</summary>
public sealed record RollupOptions
{
    /// <summary>Seconds of 1 s buckets kept (the live window; events later than this take the slower direct path).</summary>
    public int SecondBuckets { get; init; } = 30;

    /// <summary>Past 1 m buckets kept in memory (default 25 h, so "last 24h" at 1 m never leaves memory).</summary>
    public int HotMinutes { get; init; } = 1500;

    /// <summary>Past 1 h buckets kept (default 8 days + 1 h).</summary>
    public int HotHours { get; init; } = 193;

    /// <summary>Past 1 d buckets kept.</summary>
    public int HotDays { get; init; } = 8;

    /// <summary>How far ahead of the clock event times may lie (the timestamp rule's future skew), in seconds.</summary>
    public int FutureSeconds { get; init; } = 3600;

    /// <summary>A second is rolled into 1 m / 1 h / 1 d this long after it ends, so slightly late events still take the fast path.</summary>
    public int GraceSeconds { get; init; } = 1;

    /// <summary>Series per tenant before new ones go to overflow series (<c>__other__</c>).</summary>
    public int MaxSeriesPerTenant { get; init; } = 10_000;

    /// <summary>Series in all tenants before new ones go to their tenant's single catch-all series (each costs ~100 KB of columns plus up to a few KB of sketch per non-empty bucket).</summary>
    public int MaxSeries { get; init; } = 50_000;

    /// <summary>Extra tag keys that become series dimensions (besides region, model, service, version).</summary>
    public IReadOnlyList<string> Dimensions { get; init; } = [];

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SecondBuckets, 2, "Hub:Rollups:SecondBuckets");
        ArgumentOutOfRangeException.ThrowIfLessThan(HotMinutes, 60, "Hub:Rollups:HotMinutes");
        ArgumentOutOfRangeException.ThrowIfLessThan(HotHours, 24, "Hub:Rollups:HotHours");
        ArgumentOutOfRangeException.ThrowIfLessThan(HotDays, 1, "Hub:Rollups:HotDays");
        ArgumentOutOfRangeException.ThrowIfNegative(FutureSeconds, "Hub:Rollups:FutureSeconds");
        ArgumentOutOfRangeException.ThrowIfNegative(GraceSeconds, "Hub:Rollups:GraceSeconds");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSeriesPerTenant, 1, "Hub:Rollups:MaxSeriesPerTenant");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSeries, 1, "Hub:Rollups:MaxSeries");
    }
}
