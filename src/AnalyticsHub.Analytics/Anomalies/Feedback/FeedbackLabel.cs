namespace AnalyticsHub.Analytics.Anomalies.Feedback;

/// <summary>One operator label: the point (by time), what it was, and the score the engine gave it (0–1).</summary>
public readonly record struct FeedbackLabel(long TimestampUnixSeconds, FeedbackKind Kind, double Score);
