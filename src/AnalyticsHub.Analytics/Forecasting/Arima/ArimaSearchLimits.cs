namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>Bounds of the automatic order search. Tighter than R's auto.arima defaults (p, q ≤ 5; P, Q ≤ 2) because
/// with hourly data a seasonal order of 2 means lags of 48 and a state of 50+ dimensions: the extra forms rarely win
/// on AICc and cost most of the time.</summary>
public sealed record ArimaSearchLimits
{
    public int MaxP { get; init; } = 3;

    public int MaxQ { get; init; } = 3;

    public int MaxSeasonalP { get; init; } = 1;

    public int MaxSeasonalQ { get; init; } = 1;

    /// <summary>Forms fitted at most in one search (R's default is 94).</summary>
    public int MaxModels { get; init; } = 30;

    /// <summary>Levenberg–Marquardt iterations of the exact-likelihood refit of the chosen form; 0 keeps the CSS fit.</summary>
    public int ExactLikelihoodIterations { get; init; } = 10;
}
