namespace AnalyticsHub.Analytics.Anomalies.Ensemble;

/// <summary>How bad an anomaly is, from the ensemble score (see <see cref="AnomalyVerdict.SeverityOf"/>).</summary>
public enum AnomalySeverity
{
    /// <summary>Below the reporting level: not an anomaly.</summary>
    None,

    /// <summary>Worth a look.</summary>
    Low,

    /// <summary>Likely an anomaly.</summary>
    Medium,

    /// <summary>An anomaly by most detectors' account.</summary>
    High,

    /// <summary>Extreme: act now.</summary>
    Critical,
}
