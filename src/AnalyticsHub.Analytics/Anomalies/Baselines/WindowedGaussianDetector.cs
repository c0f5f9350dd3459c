namespace AnalyticsHub.Analytics.Anomalies.Baselines;

/// <summary>
/// NAB's "windowed Gaussian" baseline, kept as a yardstick for the scorer: a point scores 1 − Q(|z|), Q the standard
/// normal upper tail and z its distance from the mean of the last <see cref="WindowSize"/> points in their standard
/// deviations (a point at the mean scores 0.5, a far one → 1). While the window fills, its
/// mean and deviation follow every point; once full, they are refreshed every <see cref="StepSize"/> points, the
/// window sliding by that many. O(1) amortised work per point; memory is the window (~51 KB).
/// </summary>
public sealed class WindowedGaussianDetector : IAnomalyDetector
{
    /// <summary>Points in the window (NAB: 6400).</summary>
    public const int WindowSize = 6400;

    /// <summary>Points buffered before the full window slides and its statistics are refreshed (NAB: 100).</summary>
    public const int StepSize = 100;

    /// <summary>Deviation used when the window is constant, so z stays finite.</summary>
    private const double MinimumDeviation = 1e-6;

    /// <summary>Half-width of the reported expected range, in deviations.</summary>
    private const double ExpectedRangeDeviations = 3.0;

    private readonly double[] _window = new double[WindowSize];
    private int _count;
    private int _oldest;
    private int _pending;
    private double _mean;
    private double _sumSquaredDeviations;
    private double _deviation = MinimumDeviation;

    /// <inheritdoc />
    public string Name => "windowed-gaussian";

    /// <inheritdoc />
    public AnomalyScore Observe(long timestampUnixSeconds, double value)
    {
        var score = _count == 0
            ? AnomalyScore.Learning
            : new AnomalyScore(1 - GaussianTail.Upper(Math.Abs(value - _mean) / _deviation),
                _mean - (ExpectedRangeDeviations * _deviation), _mean + (ExpectedRangeDeviations * _deviation));
        Learn(value);
        return score;
    }

    private void Learn(double value)
    {
        if (_count < WindowSize)
        {
            // Filling: Welford's update keeps the statistics of every point so far.
            _window[_count++] = value;
            var delta = value - _mean;
            _mean += delta / _count;
            _sumSquaredDeviations += delta * (value - _mean);
            SetDeviation(_sumSquaredDeviations / _count);
            return;
        }
        // Full: the new point replaces the oldest in the ring, but the statistics move only every StepSize points.
        _window[_oldest] = value;
        _oldest = (_oldest + 1) % WindowSize;
        if (++_pending == StepSize)
        {
            _pending = 0;
            Refresh();
        }
    }

    /// <summary>Two-pass mean and population deviation of the full window (exact; amortised over StepSize points).</summary>
    private void Refresh()
    {
        var sum = 0.0;
        foreach (var x in _window)
        {
            sum += x;
        }
        _mean = sum / WindowSize;
        var squares = 0.0;
        foreach (var x in _window)
        {
            squares += (x - _mean) * (x - _mean);
        }
        SetDeviation(squares / WindowSize);
    }

    private void SetDeviation(double variance)
    {
        var deviation = Math.Sqrt(Math.Max(variance, 0));
        _deviation = deviation > 0 ? deviation : MinimumDeviation;
    }
}
