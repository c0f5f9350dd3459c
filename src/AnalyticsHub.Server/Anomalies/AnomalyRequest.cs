namespace AnalyticsHub.Server.Anomalies;

/// <summary>A validated <c>POST /api/v1/anomalies/detect</c> body: the series and the detector to run on it.</summary>
internal sealed record AnomalyRequest(DateTimeOffset[] Timestamps, double[] Values, string Detector);
