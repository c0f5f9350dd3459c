namespace AnalyticsHub.Analytics.Anomalies.Feedback;

/// <summary>What an operator says about a point the engine scored.</summary>
public enum FeedbackKind
{
    /// <summary>The engine flagged the point, and it was not an anomaly.</summary>
    FalsePositive,

    /// <summary>The engine did not flag the point, and it was one.</summary>
    MissedAnomaly,
}
