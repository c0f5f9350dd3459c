using AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

namespace AnalyticsHub.Analytics.Anomalies.Detectors;

/// <summary>
/// Trend change: the least-squares slope of the last <c>length</c> points against the slope's own recent behaviour
/// (EW mean and standard deviation of past slopes, updated with a clipped value so a new trend is flagged before it is
/// learnt). A ramp that starts, stops or reverses moves the slope by many of its usual deviations. O(1) per point.
/// </summary>
public sealed class TrendChangeDetector : IAnomalyDetector
{
    private readonly SlidingSlope _slope;
    private readonly int _length;
    private readonly double _alpha;
    private readonly int _warmUp;
    private double _meanSlope;
    private double _slopeVariance;
    private double _lastValue;
    private long _seen;

    /// <param name="length">Points the slope is fitted over.</param>
    /// <param name="alpha">EW smoothing of the slope's mean and variance.</param>
    /// <param name="warmUp">Slopes seen before the first score (counted once the window is full).</param>
    public TrendChangeDetector(int length = 48, double alpha = 0.01, int warmUp = 96)
    {
        _slope = new SlidingSlope(length);
        _length = length;
        _alpha = alpha;
        _warmUp = warmUp;
    }

    /// <inheritdoc />
    public string Name => "trend-change";

    /// <inheritdoc />
    public AnomalyScore Observe(long timestampUnixSeconds, double value)
    {
        _slope.Add(value);
        if (!_slope.IsFull)
        {
            _lastValue = value;
            return AnomalyScore.Learning;
        }

        double slope = _slope.Slope;
        if (_seen == 0)
        {
            _meanSlope = slope;
        }

        double floor = 1e-6 * Math.Max(1.0, Math.Abs(value));
        double sigma = Math.Max(Math.Sqrt(_slopeVariance), floor);
        double deviation = slope - _meanSlope;
        var score = AnomalyScore.Learning;
        if (_seen >= _warmUp)
        {
            // Expected: the previous value carried forward along the usual slope, ± 3 slope deviations over the fit.
            double spread = 3 * sigma * _length;
            score = new AnomalyScore(ScoreCalibration.FromZ(deviation / sigma), _lastValue + _meanSlope - spread, _lastValue + _meanSlope + spread);
        }

        double clipped = _seen < _warmUp ? deviation : Math.Clamp(deviation, -3 * sigma, 3 * sigma);
        _meanSlope += _alpha * clipped;
        _slopeVariance = ((1 - _alpha) * _slopeVariance) + (_alpha * clipped * clipped);
        _lastValue = value;
        _seen++;
        return score;
    }
}
