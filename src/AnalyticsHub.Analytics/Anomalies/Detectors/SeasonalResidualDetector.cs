using AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

namespace AnalyticsHub.Analytics.Anomalies.Detectors;

/// <summary>
/// Seasonal decomposition residuals. A warm-up buffer gives the series' spacing and its period (autocorrelation at an
/// hour, a day or a week, see <c>PeriodDetection</c>); from then on each point is compared with a per-phase baseline
/// (an EW mean per phase of the cycle, the median of it and its two neighbours) and the residual is scored as a robust z
/// against the recent residuals. A series without a period gets no opinion (score 0): the plain detectors cover it.
/// O(log window) per point; memory bounded by the largest period (a week of points, capped at <c>maxPeriod</c>).
/// </summary>
public sealed class SeasonalResidualDetector : IAnomalyDetector
{
    private double[] _warmUpValues;
    private long[] _warmUpTimes;
    private readonly int _maxPeriod;
    private readonly double _alpha;
    private readonly RobustLevel _residuals;
    private double[] _baseline = [];
    private int _period;
    private long _spacing;
    private long _origin;
    private int _buffered;
    private bool _decided;

    /// <param name="warmUp">Points buffered before the period is chosen.</param>
    /// <param name="maxPeriod">Largest period, in points, the detector keeps a baseline for.</param>
    /// <param name="alpha">EW smoothing of each phase's baseline (per cycle).</param>
    /// <param name="residualWindow">Recent residuals the robust z is taken against.</param>
    public SeasonalResidualDetector(int warmUp = 700, int maxPeriod = 4096, double alpha = 0.2, int residualWindow = 512)
    {
        _warmUpValues = new double[warmUp];
        _warmUpTimes = new long[warmUp];
        _maxPeriod = maxPeriod;
        _alpha = alpha;
        _residuals = new RobustLevel(residualWindow);
    }

    /// <inheritdoc />
    public string Name => "seasonal";

    /// <summary>Detected period in points (0: none, or still warming up).</summary>
    public int Period => _period;

    /// <inheritdoc />
    public AnomalyScore Observe(long timestampUnixSeconds, double value)
    {
        if (!_decided)
        {
            _warmUpValues[_buffered] = value;
            _warmUpTimes[_buffered] = timestampUnixSeconds;
            if (++_buffered == _warmUpValues.Length)
            {
                Decide();
            }

            return AnomalyScore.Learning;
        }

        if (_period == 0)
        {
            return AnomalyScore.Learning;
        }

        int phase = PhaseOf(timestampUnixSeconds);
        double expected = Expected(phase);
        double residual = value - expected;
        _residuals.Refresh();
        double z = (residual - _residuals.Median) / _residuals.Sigma;
        double half = 3 * _residuals.Sigma;
        var score = new AnomalyScore(ScoreCalibration.FromZ(z), expected + _residuals.Median - half, expected + _residuals.Median + half);

        // Learn from a clipped residual, so an anomaly does not become next cycle's baseline at once.
        double clipped = Math.Clamp(residual, _residuals.Median - (4 * _residuals.Sigma), _residuals.Median + (4 * _residuals.Sigma));
        _baseline[phase] += _alpha * (expected + clipped - _baseline[phase]);
        _residuals.Add(residual);
        return score;
    }

    private void Decide()
    {
        _decided = true;
        _spacing = MedianSpacing();
        _period = PeriodDetection.Detect(_warmUpValues, _spacing, _maxPeriod);
        if (_period == 0)
        {
            _warmUpValues = [];
            _warmUpTimes = [];
            return;
        }

        // Baseline per phase: the mean of the warm-up cycles; then the warm-up residuals seed the residual scale.
        _origin = _warmUpTimes[0];
        _baseline = new double[_period];
        var counts = new int[_period];
        for (int i = 0; i < _buffered; i++)
        {
            int phase = PhaseOf(_warmUpTimes[i]);
            _baseline[phase] += _warmUpValues[i];
            counts[phase]++;
        }

        for (int p = 0; p < _period; p++)
        {
            _baseline[p] = counts[p] > 0 ? _baseline[p] / counts[p] : double.NaN;
        }

        for (int p = 0; p < _period; p++)
        {
            if (double.IsNaN(_baseline[p]))
            {
                _baseline[p] = _baseline[(p + _period - 1) % _period] is var previous && !double.IsNaN(previous) ? previous : 0;
            }
        }

        for (int i = 0; i < _buffered; i++)
        {
            _residuals.Add(_warmUpValues[i] - Expected(PhaseOf(_warmUpTimes[i])));
        }

        // The buffer is not needed any more: a warmed-up instance holds only the baseline and the residual window.
        _warmUpValues = [];
        _warmUpTimes = [];
    }

    private double Expected(int phase)
    {
        // The median of the phase and its two neighbours: smooths noise in one phase's estimate but keeps sharp edges
        // (a square wave's step) where an average would leave a residual on every cycle.
        int previous = phase == 0 ? _period - 1 : phase - 1;
        int next = phase == _period - 1 ? 0 : phase + 1;
        double a = _baseline[previous], b = _baseline[phase], c = _baseline[next];
        return Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
    }

    private int PhaseOf(long timestamp)
    {
        long step = (timestamp - _origin) / _spacing;
        long phase = step % _period;
        return (int)(phase < 0 ? phase + _period : phase);
    }

    private long MedianSpacing()
    {
        var gaps = new long[_buffered - 1];
        for (int i = 1; i < _buffered; i++)
        {
            gaps[i - 1] = _warmUpTimes[i] - _warmUpTimes[i - 1];
        }

        Array.Sort(gaps);
        return Math.Max(1, gaps[gaps.Length / 2]);
    }
}
