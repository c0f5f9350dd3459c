using AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

namespace AnalyticsHub.Analytics.Anomalies.Ensemble;

/// <summary>
/// How surprising the recent combined score is for this series (after Numenta's "anomaly likelihood"): the mean of the
/// last few scores, as a one-sided z against the mean and deviation of that short mean over a long window, through the
/// Gaussian tail. A series whose members are always half-alarmed (heavy tails, discrete values) learns that this is
/// normal, so one threshold fits every series. O(1) per point with running sums.
/// </summary>
internal sealed class ScoreSurprise
{
    private readonly double[] _short;
    private readonly double[] _long;
    private double _shortSum;
    private double _longSum;
    private double _longSquares;
    private long _count;

    private readonly double _sigmaFloor;

    public ScoreSurprise(int shortWindow, int longWindow, double sigmaFloor)
    {
        _sigmaFloor = sigmaFloor;
        _short = new double[shortWindow];
        _long = new double[longWindow];
    }

    /// <summary>Adds a combined score and returns the surprise of the new short-term mean, in [0, 1].</summary>
    public double Add(double score)
    {
        int s = (int)(_count % _short.Length);
        _shortSum += score - _short[s];
        _short[s] = score;
        double shortMean = _shortSum / Math.Min(_count + 1, _short.Length);

        long longCount = Math.Min(_count, _long.Length);
        double surprise = 0;
        if (longCount >= _short.Length * 4)
        {
            double mean = _longSum / longCount;
            double variance = Math.Max((_longSquares / longCount) - (mean * mean), 0);
            // Floor: a member that is almost always quiet has almost no variance, and a ripple would look like an alarm.
            double sigma = Math.Max(Math.Sqrt(variance), _sigmaFloor);
            double z = (shortMean - mean) / sigma;
            surprise = z > 0 ? ScoreCalibration.FromZ(z) : 0;
        }

        int l = (int)(_count % _long.Length);
        double leaving = _count >= _long.Length ? _long[l] : 0;
        _longSum += shortMean - leaving;
        _longSquares += (shortMean * shortMean) - (leaving * leaving);
        _long[l] = shortMean;
        _count++;
        if (l == _long.Length - 1)
        {
            RecomputeLongSums(); // once per lap: running sums of squares drift on series of millions of points
        }

        return surprise;
    }

    private void RecomputeLongSums()
    {
        _longSum = 0;
        _longSquares = 0;
        foreach (double v in _long)
        {
            _longSum += v;
            _longSquares += v * v;
        }
    }
}
