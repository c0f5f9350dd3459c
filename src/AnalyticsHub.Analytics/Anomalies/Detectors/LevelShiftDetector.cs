using AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

namespace AnalyticsHub.Analytics.Anomalies.Detectors;

/// <summary>
/// Change-point / level-shift detection by a two-sided CUSUM on residuals standardised against a slow robust baseline
/// (median and scale of a long sliding window). Each side accumulates z − k, so a sustained shift of a few σ — too
/// small for any single point to look odd — builds up; the score is the run length scaled by the decision interval
/// (1 − e^(−S/h)). Once S passes h the shift is accepted: the baseline window restarts from the new level (a short
/// warm-up of silence), so the new level is not flagged again while a long window would catch up. O(log window) per point.
/// </summary>
public sealed class LevelShiftDetector : IAnomalyDetector
{
    private readonly RobustLevel _baseline;
    private readonly int _warmUp;
    private readonly double _slack;
    private readonly double _decisionInterval;
    private double _upper;
    private double _lower;
    private long _sinceRestart;

    /// <param name="window">Points in the baseline window.</param>
    /// <param name="slack">k: the drift, in σ, allowed per point before it counts toward a shift.</param>
    /// <param name="decisionInterval">h: the cumulative excess at which a shift is accepted.</param>
    /// <param name="warmUp">Points seen before the first score.</param>
    public LevelShiftDetector(int window = 512, double slack = 1.0, double decisionInterval = 12.0, int warmUp = 32)
    {
        _baseline = new RobustLevel(window);
        _slack = slack;
        _decisionInterval = decisionInterval;
        _warmUp = Math.Min(warmUp, window);
    }

    /// <inheritdoc />
    public string Name => "level-shift";

    /// <inheritdoc />
    public AnomalyScore Observe(long timestampUnixSeconds, double value)
    {
        var score = AnomalyScore.Learning;
        if (_sinceRestart >= _warmUp)
        {
            _baseline.Refresh();
            // Clip each point's contribution so one spike cannot pass for a shift.
            double z = Math.Clamp((value - _baseline.Median) / _baseline.Sigma, -4.0, 4.0);
            _upper = Math.Max(0, _upper + z - _slack);
            _lower = Math.Max(0, _lower - z - _slack);
            double run = Math.Max(_upper, _lower);
            double half = 3 * _baseline.Sigma;
            score = new AnomalyScore(1 - Math.Exp(-run / _decisionInterval), _baseline.Median - half, _baseline.Median + half);
            if (run > _decisionInterval)
            {
                _upper = 0;
                _lower = 0;
                _baseline.Clear();
                _sinceRestart = 0;
            }
        }

        _baseline.Add(value);
        _sinceRestart++;
        return score;
    }
}
