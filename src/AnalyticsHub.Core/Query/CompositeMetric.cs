namespace AnalyticsHub.Core.Query;

/// <summary>Derived metrics computed from several rollup aggregates per bucket and group.</summary>
public enum CompositeMetric : byte
{
    None,

    /// <summary>Σ cost amount (USD) ÷ number of cost events (each CostOps event prices one request).</summary>
    CostPerRequest,

    /// <summary>Telemetry events per second that are not errors: (count − count with severity ≥ error) ÷ bucket seconds.</summary>
    ErrorAdjustedThroughput,

    /// <summary>Σ cost amount (USD) ÷ Σ (input + output tokens) × 1000.</summary>
    CostPer1kTokens,
}
