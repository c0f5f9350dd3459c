namespace AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

/// <summary>
/// Quantiles of the last <c>capacity</c> values: a ring buffer says which value leaves, an order-statistic tree answers
/// rank queries, O(log n) per point, no allocation after construction.
/// </summary>
internal sealed class SlidingQuantiles
{
    private readonly double[] _ring;
    private readonly OrderStatisticTree _tree;
    private long _sequence;

    public SlidingQuantiles(int capacity)
    {
        _ring = new double[capacity];
        _tree = new OrderStatisticTree(capacity);
    }

    public int Count => _tree.Count;

    public int Capacity => _ring.Length;

    public void Clear()
    {
        _tree.Clear();
        _sequence = 0;
    }

    public void Add(double value)
    {
        int slot = (int)(_sequence % _ring.Length);
        if (_sequence >= _ring.Length)
        {
            _tree.Remove(_ring[slot], _sequence - _ring.Length);
        }

        _ring[slot] = value;
        _tree.Insert(value, _sequence);
        _sequence++;
    }

    /// <summary>The p-quantile (nearest rank) of the values held; requires Count &gt; 0.</summary>
    public double Quantile(double p)
    {
        int k = (int)Math.Round(p * (Count - 1));
        return _tree.Select(Math.Clamp(k, 0, Count - 1));
    }
}
