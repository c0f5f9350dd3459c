using AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

namespace AnalyticsHub.Analytics.Anomalies.Detectors;

/// <summary>
/// Deviation from an exponentially weighted moving average, in units of the EW standard deviation of the one-step
/// residuals. The update uses the residual clipped at <see cref="ClipSigmas"/>, so one spike does not inflate the
/// scale and hide the next. O(1) time and memory.
/// </summary>
public sealed class EwmaDetector : IAnomalyDetector
{
    /// <summary>Residuals beyond this many standard deviations are clipped before they update the state.</summary>
    public const double ClipSigmas = 4.0;

    private readonly double _alpha;
    private readonly int _warmUp;
    private double _mean;
    private double _variance;
    private long _seen;

    /// <param name="alpha">Smoothing factor of the mean and variance (1/alpha ≈ the memory in points).</param>
    /// <param name="warmUp">Points seen before the first score.</param>
    public EwmaDetector(double alpha = 0.05, int warmUp = 32)
    {
        _alpha = alpha;
        _warmUp = warmUp;
    }

    /// <inheritdoc />
    public string Name => "ewma";

    /// <inheritdoc />
    public AnomalyScore Observe(long timestampUnixSeconds, double value)
    {
        if (_seen == 0)
        {
            _mean = value;
        }

        double floor = 1e-3 * Math.Max(1.0, Math.Abs(_mean));
        double sigma = Math.Max(Math.Sqrt(_variance), floor);
        double residual = value - _mean;
        var score = _seen < _warmUp
            ? AnomalyScore.Learning
            : new AnomalyScore(ScoreCalibration.FromZ(residual / sigma), _mean - (3 * sigma), _mean + (3 * sigma));

        // During warm-up the variance is still forming: learn from the raw residual.
        double clipped = _seen < _warmUp ? residual : Math.Clamp(residual, -ClipSigmas * sigma, ClipSigmas * sigma);
        _mean += _alpha * clipped;
        _variance = ((1 - _alpha) * _variance) + (_alpha * clipped * clipped);
        _seen++;
        return score;
    }
}
