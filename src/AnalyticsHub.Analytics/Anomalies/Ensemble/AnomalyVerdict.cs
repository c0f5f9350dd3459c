namespace AnalyticsHub.Analytics.Anomalies.Ensemble;

/// <summary>
/// The ensemble's full account of one point: the score and expected range of <see cref="AnomalyScore"/> plus severity,
/// confidence (the share of voting detectors that agree with the verdict), the detectors that fired and a sentence for
/// people, e.g. "value 812 is 6.1σ above the 1-hour median (expected 120–340); fired: robust-z, seasonal".
/// </summary>
public sealed record AnomalyVerdict(
    long TimestampUnixSeconds,
    double Value,
    double Score,
    AnomalySeverity Severity,
    double Confidence,
    double ExpectedLow,
    double ExpectedHigh,
    IReadOnlyList<string> Fired,
    string Explanation)
{
    /// <summary>Severity bands of the ensemble score.</summary>
    public static AnomalySeverity SeverityOf(double score) => score switch
    {
        >= 0.98 => AnomalySeverity.Critical,
        >= 0.9 => AnomalySeverity.High,
        >= 0.75 => AnomalySeverity.Medium,
        >= 0.5 => AnomalySeverity.Low,
        _ => AnomalySeverity.None,
    };
}
