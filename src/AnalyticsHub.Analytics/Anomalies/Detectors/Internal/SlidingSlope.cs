namespace AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

/// <summary>
/// Least-squares slope (per point) of the last <c>length</c> values in O(1): running Σy and Σi·y are updated as the
/// window slides, and recomputed from the ring once per lap so rounding cannot drift.
/// </summary>
internal sealed class SlidingSlope
{
    private readonly double[] _ring;
    private readonly double _sumIndex;
    private readonly double _denominator;
    private double _sum;
    private double _weighted;
    private long _count;

    public SlidingSlope(int length)
    {
        _ring = new double[length];
        int n = length;
        _sumIndex = n * (n - 1) / 2.0;
        double sumIndexSquares = (n - 1) * n * ((2.0 * n) - 1) / 6.0;
        _denominator = (n * sumIndexSquares) - (_sumIndex * _sumIndex);
    }

    public bool IsFull => _count >= _ring.Length;

    public double Slope => (((_ring.Length * _weighted) - (_sumIndex * _sum)) / _denominator);

    public void Add(double value)
    {
        int n = _ring.Length;
        int slot = (int)(_count % n);
        if (_count < n)
        {
            _weighted += slot * value;
            _sum += value;
        }
        else
        {
            double leaving = _ring[slot];
            _weighted = _weighted - (_sum - leaving) + ((n - 1) * value);
            _sum += value - leaving;
        }

        _ring[slot] = value;
        _count++;
        if (_count > n && slot == n - 1)
        {
            Recompute();
        }
    }

    private void Recompute()
    {
        // After a full lap the oldest value sits in slot 0 again.
        _sum = 0;
        _weighted = 0;
        for (int i = 0; i < _ring.Length; i++)
        {
            _sum += _ring[i];
            _weighted += i * _ring[i];
        }
    }
}
