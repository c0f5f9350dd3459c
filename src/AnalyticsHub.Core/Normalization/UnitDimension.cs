namespace AnalyticsHub.Core.Normalization;

/// <summary>What a unit measures, which decides its canonical unit.</summary>
public enum UnitDimension : byte
{
    /// <summary>Not a known unit; values are stored as given.</summary>
    None = 0,

    /// <summary>Canonical unit <c>ms</c>.</summary>
    Duration,

    /// <summary>Canonical unit <c>bytes</c>.</summary>
    Size,

    /// <summary>Canonical unit <c>per_second</c>.</summary>
    Rate,

    /// <summary>A cost amount converted to US dollars.</summary>
    Usd,
}
