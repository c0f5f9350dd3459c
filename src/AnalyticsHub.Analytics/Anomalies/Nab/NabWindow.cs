namespace AnalyticsHub.Analytics.Anomalies.Nab;

/// <summary>A labelled anomaly window as the rows it covers, <see cref="FirstRow"/> to <see cref="LastRow"/> inclusive.</summary>
public readonly record struct NabWindow(int FirstRow, int LastRow)
{
    /// <summary>Rows in the window.</summary>
    public int Width => LastRow - FirstRow + 1;
}
