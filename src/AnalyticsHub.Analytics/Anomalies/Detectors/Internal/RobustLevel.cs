namespace AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

/// <summary>
/// Median and a robust standard deviation of a sliding window. The scale is the larger of the IQR estimate
/// (IQR / 1.349) and half the 5–95% estimate, so a window whose middle half is one repeated value (common in counters
/// and CPU series) still has a usable scale; a small floor keeps flat lines from dividing by zero.
/// </summary>
internal sealed class RobustLevel(int window)
{
    private readonly SlidingQuantiles _values = new(window);

    public int Count => _values.Count;

    public double Median { get; private set; }

    public double Sigma { get; private set; }

    public double Q1 { get; private set; }

    public double Q3 { get; private set; }

    public void Add(double value) => _values.Add(value);

    public void Clear() => _values.Clear();

    /// <summary>Recomputes the statistics from the window (call before scoring the next point).</summary>
    public void Refresh()
    {
        Median = _values.Quantile(0.5);
        Q1 = _values.Quantile(0.25);
        Q3 = _values.Quantile(0.75);
        double p05 = _values.Quantile(0.05);
        double p95 = _values.Quantile(0.95);
        double floor = 1e-3 * Math.Max(1.0, Math.Abs(Median));
        Sigma = Math.Max(Math.Max((Q3 - Q1) / 1.349, 0.5 * (p95 - p05) / 3.29), floor);
    }
}
