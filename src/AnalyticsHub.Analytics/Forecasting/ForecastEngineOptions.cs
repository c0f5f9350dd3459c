namespace AnalyticsHub.Analytics.Forecasting;

/// <summary>Settings of <see cref="ForecastEngine"/>.</summary>
public sealed record ForecastEngineOptions
{
    public CombinationRule Rule { get; init; } = CombinationRule.InverseErrorWeights;

    /// <summary>At most this many candidates (the best by validation error) enter the inverse-error ensemble;
    /// giving a bad model even a small weight costs accuracy.</summary>
    public int MaxMembers { get; init; } = 3;

    /// <summary>Rolling-origin validation windows of one horizon each, ending at the forecast origin.</summary>
    public int ValidationWindows { get; init; } = 1;

    /// <summary>Refit every candidate on the full history, not only the ensemble's members, so that each
    /// candidate's own forecast is reported (evaluation wants this; it costs time).</summary>
    public bool ForecastAllCandidates { get; init; }

    /// <summary>Scale the combined interval so that it covers the validation actuals at the asked level
    /// (split-conformal on the validation windows).</summary>
    public bool CalibrateIntervals { get; init; } = true;

    /// <summary>Replace isolated outliers of the history by their robust-decomposition fit before validating and
    /// fitting (<see cref="Preprocessing.OutlierCleaner"/>). Off by default: it did not improve the M4 hourly
    /// holdout (docs/FORECASTING.md, "Outlier cleaning").</summary>
    public bool CleanOutliers { get; init; }
}
