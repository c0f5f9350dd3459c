namespace AnalyticsHub.Analytics.Anomalies.Nab;

/// <summary>
/// One NAB data file: its path relative to the data folder (the key of the label files, e.g.
/// <c>realKnownCause/nyc_taxi.csv</c>), its rows in time order, and its anomaly windows as row ranges in time order.
/// </summary>
public sealed record NabSeries(string RelativePath, long[] TimestampsUnixSeconds, double[] Values, NabWindow[] Windows)
{
    /// <summary>Rows at the start of the file where detections are ignored (the detector is still learning).</summary>
    public int ProbationLength => ProbationLengthFor(Values.Length);

    /// <summary>NAB's probationary period: the first 15 % of the rows, at most 750 (15 % of 5000).</summary>
    public static int ProbationLengthFor(int rows) => Math.Min((int)Math.Floor(0.15 * rows), 750);
}
