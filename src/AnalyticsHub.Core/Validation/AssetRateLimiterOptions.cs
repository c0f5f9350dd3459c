namespace AnalyticsHub.Core.Validation;

/// <summary>Settings of <see cref="AssetRateLimiter"/> (configuration section <c>Hub:Ingest:AssetRateLimit</c>).</summary>
public sealed record AssetRateLimiterOptions
{
    /// <summary>Off by default: per-tenant quotas are the first line; this one guards against one noisy asset.</summary>
    public bool Enabled { get; init; }

    /// <summary>Sustained events per second allowed per asset.</summary>
    public double EventsPerSecond { get; init; } = 1_000;

    /// <summary>Bucket size: events an idle asset may send at once. 0 means "equal to <see cref="EventsPerSecond"/>".</summary>
    public double Burst { get; init; }

    /// <summary>Most assets tracked at once; beyond it the stalest are evicted.</summary>
    public int MaxTrackedAssets { get; init; } = 100_000;
}
