using AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

namespace AnalyticsHub.Analytics.Anomalies.Detectors;

/// <summary>
/// Tukey's fences on a sliding window: a point beyond Q1 − k·IQR or Q3 + k·IQR is an outlier. Its distance past the
/// quartile, in IQRs, is converted to the z a Gaussian would need for it (0.674 + 1.349·d) and calibrated like a
/// z-score, so the score rises smoothly past the fence instead of jumping. O(log window) per point.
/// </summary>
public sealed class IqrDetector : IAnomalyDetector
{
    private readonly SlidingQuantiles _values;
    private readonly int _warmUp;
    private readonly double _fence;
    private long _seen;

    /// <param name="window">Points in the sliding window.</param>
    /// <param name="fence">k in Q3 + k·IQR: the width of the expected range.</param>
    /// <param name="warmUp">Points seen before the first score.</param>
    public IqrDetector(int window = 512, double fence = 1.5, int warmUp = 32)
    {
        _values = new SlidingQuantiles(window);
        _fence = fence;
        _warmUp = Math.Min(warmUp, window);
    }

    /// <inheritdoc />
    public string Name => "iqr";

    /// <inheritdoc />
    public AnomalyScore Observe(long timestampUnixSeconds, double value)
    {
        var score = AnomalyScore.Learning;
        if (_seen >= _warmUp)
        {
            double q1 = _values.Quantile(0.25);
            double q3 = _values.Quantile(0.75);
            double median = _values.Quantile(0.5);
            // A window whose middle half is one value has IQR 0: fall back to the 5–95% spread, then a floor.
            double iqr = Math.Max(q3 - q1, Math.Max(0.25 * (_values.Quantile(0.95) - _values.Quantile(0.05)), 1e-3 * Math.Max(1.0, Math.Abs(median))));
            double beyond = value > q3 ? (value - q3) / iqr : value < q1 ? (q1 - value) / iqr : 0.0;
            double z = beyond > 0 ? 0.6745 + (1.349 * beyond) : 0.0;
            score = new AnomalyScore(ScoreCalibration.FromZ(z), q1 - (_fence * iqr), q3 + (_fence * iqr));
        }

        _values.Add(value);
        _seen++;
        return score;
    }
}
