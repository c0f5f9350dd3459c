using AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

namespace AnalyticsHub.Analytics.Anomalies.Detectors;

/// <summary>
/// Robust z-score: the distance of a point from the median of the last <c>window</c> points, in robust standard
/// deviations (see <c>RobustLevel</c>), calibrated through the Gaussian tail. Outliers barely move the median or the
/// scale, so a spike stands out even right after another spike. O(log window) per point.
/// </summary>
public sealed class RobustZDetector : IAnomalyDetector
{
    /// <summary>Width of the expected range, in robust standard deviations either side of the median.</summary>
    public const double ExpectedSigmas = 3.0;

    private readonly RobustLevel _level;
    private readonly int _warmUp;
    private readonly long[] _timestamps;
    private long _seen;

    /// <param name="window">Points in the sliding window.</param>
    /// <param name="warmUp">Points seen before the first score.</param>
    public RobustZDetector(int window = 512, int warmUp = 32)
    {
        _level = new RobustLevel(window);
        _warmUp = Math.Min(warmUp, window);
        _timestamps = new long[window];
    }

    /// <inheritdoc />
    public string Name => "robust-z";

    /// <summary>Median of the window before the last point (for explanations).</summary>
    public double Median => _level.Median;

    /// <summary>Robust standard deviation of the window before the last point.</summary>
    public double Sigma => _level.Sigma;

    /// <summary>Signed z of the last point.</summary>
    public double LastZ { get; private set; }

    /// <summary>Time the window spanned when the last point was scored.</summary>
    public long WindowSeconds { get; private set; }

    /// <inheritdoc />
    public AnomalyScore Observe(long timestampUnixSeconds, double value)
    {
        var score = AnomalyScore.Learning;
        LastZ = 0;
        if (_seen >= _warmUp)
        {
            _level.Refresh();
            LastZ = (value - _level.Median) / _level.Sigma;
            long oldest = _timestamps[_seen >= _timestamps.Length ? _seen % _timestamps.Length : 0];
            WindowSeconds = timestampUnixSeconds - oldest;
            double half = ExpectedSigmas * _level.Sigma;
            score = new AnomalyScore(ScoreCalibration.FromZ(LastZ), _level.Median - half, _level.Median + half);
        }

        _timestamps[_seen % _timestamps.Length] = timestampUnixSeconds;
        _level.Add(value);
        _seen++;
        return score;
    }
}
