namespace AnalyticsHub.Server.Anomalies;

/// <summary>
/// A validated <c>POST /api/v1/anomalies/detect</c> body: the series, the detector to run on it, and optionally the
/// series' name, whose operator feedback sets the alert threshold.
/// </summary>
internal sealed record AnomalyRequest(DateTimeOffset[] Timestamps, double[] Values, string Detector, string? Series = null);
