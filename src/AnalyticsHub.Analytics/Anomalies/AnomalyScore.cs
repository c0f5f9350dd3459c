namespace AnalyticsHub.Analytics.Anomalies;

/// <summary>
/// A detector's verdict on one point: the score in [0, 1] (0 normal … 1 extreme) and the range it expected the value
/// in (NaN bounds while it is still learning), for explanations ("812 is above the expected 120–340").
/// </summary>
public readonly record struct AnomalyScore(double Score, double ExpectedLow, double ExpectedHigh)
{
    /// <summary>No opinion yet (warming up): score 0, no expected range.</summary>
    public static AnomalyScore Learning => new(0, double.NaN, double.NaN);
}
