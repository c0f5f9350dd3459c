namespace AnalyticsHub.Analytics.Anomalies.Ensemble;

/// <summary>
/// The ensemble's one configuration for every series (NAB is scored with these defaults, no per-series tuning). The
/// defaults were picked by a coarse sweep on the NAB development subset (docs/ANOMALY.md): in-sample, so expect a
/// few points less on unseen series.
/// </summary>
public sealed record EnsembleOptions
{
    /// <summary>Weight of the strongest member over the weighted mean: combined = mean + MaxBoost·(max − mean).</summary>
    public double MaxBoost { get; init; } = 0.7;

    /// <summary>Factor on the context-free members' weights (and their say in the max) once a season is found.</summary>
    public double SeasonalDiscount { get; init; } = 0.25;

    /// <summary>A member's evidence is at most its calibrated score divided by this (0: no cap).</summary>
    public double RawEvidenceGate { get; init; } = 0.3;

    /// <summary>Points averaged into the short-term level of the combined score.</summary>
    public int ShortWindow { get; init; } = 8;

    /// <summary>Smallest standard deviation of a member's short-term score the surprise is measured in.</summary>
    public double SurpriseSigmaFloor { get; init; } = 0.02;

    /// <summary>Points of history the short-term level is judged against.</summary>
    public int LongWindow { get; init; } = 2048;

    /// <summary>Points after a reported anomaly during which further reports are damped.</summary>
    public int SuppressFor { get; init; } = 80;

    /// <summary>Output at or above which a point counts as reported (and starts the suppression).</summary>
    public double ReportLevel { get; init; } = 0.5;

    /// <summary>A member whose calibrated score reaches this level is listed as fired.</summary>
    public double FiredLevel { get; init; } = 0.5;

    /// <summary>The default configuration.</summary>
    public static EnsembleOptions Default { get; } = new();
}
