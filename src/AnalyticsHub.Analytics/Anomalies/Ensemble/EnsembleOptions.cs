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

    /// <summary>Factor on the context-free members' weights (and their say in the max) once a season is found: every member but the seasonal and the context-novelty ones.</summary>
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

    /// <summary>
    /// The combined score is at least this times the contextual-novelty member's raw score (0: off). That score is 1
    /// exactly when the point's level is new to the member's memory, so a new level reports at this level (above
    /// <see cref="ReportLevel"/>) whatever the other members say. One seen once before, with every longer context new,
    /// scores 0.92 and still just reaches the report level; anything more familiar stays below it.
    /// </summary>
    public double NoveltyLevel { get; init; } = 0.55;

    /// <summary>
    /// A report is damped (capped just below <see cref="ReportLevel"/>) when reports also came within this many seconds
    /// of the same time of day on each of the previous <see cref="RecurrenceDays"/> days: a nightly job is a schedule,
    /// not an anomaly (0: off).
    /// </summary>
    public long RecurrenceToleranceSeconds { get; init; } = 3600;

    /// <summary>The previous days that must each hold a report at the same time of day (see <see cref="RecurrenceToleranceSeconds"/>).</summary>
    public int RecurrenceDays { get; init; } = 2;

    /// <summary>
    /// A score at least this much above the report that started a hold-down breaks through it (0: never). A hold-down
    /// started by a Low report (say a new level at 0.55) then lets a spike at 0.85 or more through, instead of hiding it.
    /// </summary>
    public double Escalation { get; init; } = 0.3;

    /// <summary>
    /// Points after a report during which nothing escalates: the incident is still building up (the members' evidence
    /// averages <see cref="ShortWindow"/> points), and a louder second alarm would repeat the first one.
    /// </summary>
    public int EscalationAfter { get; init; } = 8;

    /// <summary>The default configuration.</summary>
    public static EnsembleOptions Default { get; } = new();
}
