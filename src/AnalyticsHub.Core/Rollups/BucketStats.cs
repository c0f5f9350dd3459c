namespace AnalyticsHub.Core.Rollups;

/// <summary>
/// Exact aggregates of one time bucket: count, sum, sum of squares, min and max. Mergeable:
/// merging the stats of two sets of values gives the stats of their union (count, min and max
/// exactly; sums to rounding, since the additions happen in another order).
/// </summary>
/// <remarks>
/// <c>default(BucketStats)</c> is <see cref="Empty"/>: count 0, sums 0, <see cref="Min"/> +∞ and
/// <see cref="Max"/> −∞, so a freshly allocated column of stats needs no initialising. Values are
/// expected finite (callers filter NaN and ±∞ first, as for <see cref="QuantileSketch"/>); a NaN
/// would make the sums, min and max NaN.
/// </remarks>
public struct BucketStats : IEquatable<BucketStats>
{
    private ulong _count;
    private double _sum;
    private double _sumOfSquares;
    private double _min; // meaningful only when _count > 0
    private double _max;

    /// <summary>Rebuilds stats from their parts (a store's columns); min and max are ignored when <paramref name="count"/> is 0.</summary>
    public BucketStats(ulong count, double sum, double sumOfSquares, double min, double max)
    {
        _count = count;
        _sum = count == 0 ? 0 : sum;
        _sumOfSquares = count == 0 ? 0 : sumOfSquares;
        _min = min;
        _max = max;
    }

    /// <summary>No values: the same as <c>default</c>.</summary>
    public static BucketStats Empty => default;

    public readonly ulong Count => _count;

    public readonly double Sum => _sum;

    public readonly double SumOfSquares => _sumOfSquares;

    /// <summary>Smallest value; +∞ when empty.</summary>
    public readonly double Min => _count == 0 ? double.PositiveInfinity : _min;

    /// <summary>Largest value; −∞ when empty.</summary>
    public readonly double Max => _count == 0 ? double.NegativeInfinity : _max;

    /// <summary>Sum ÷ count; NaN when empty.</summary>
    public readonly double Mean => _count == 0 ? double.NaN : _sum / _count;

    /// <summary>
    /// Population standard deviation, √(Σx²/n − mean²); NaN when empty, 0 for one value.
    /// </summary>
    /// <remarks>
    /// From the two sums, so mergeable; rounding can make the variance slightly negative when
    /// the values are (nearly) equal, and it is then taken as 0. The sums-of-squares form loses
    /// relative precision when the mean is large against the spread (about
    /// 1e-16 · mean² / variance): fine for latencies, sizes and costs, not for raw timestamps.
    /// </remarks>
    public readonly double StandardDeviation
    {
        get
        {
            if (_count == 0)
            {
                return double.NaN;
            }

            double mean = _sum / _count;
            double variance = (_sumOfSquares / _count) - (mean * mean);
            return variance > 0 ? Math.Sqrt(variance) : 0;
        }
    }

    public static bool operator ==(BucketStats left, BucketStats right) => left.Equals(right);

    public static bool operator !=(BucketStats left, BucketStats right) => !left.Equals(right);

    public void Add(double value)
    {
        if (_count == 0)
        {
            _min = value;
            _max = value;
        }
        else
        {
            _min = Math.Min(_min, value);
            _max = Math.Max(_max, value);
        }

        _count++;
        _sum += value;
        _sumOfSquares += value * value;
    }

    /// <summary>Adds the values <paramref name="other"/> summarises.</summary>
    public void Merge(in BucketStats other)
    {
        if (other._count == 0)
        {
            return;
        }

        if (_count == 0)
        {
            this = other;
            return;
        }

        _count += other._count;
        _sum += other._sum;
        _sumOfSquares += other._sumOfSquares;
        _min = Math.Min(_min, other._min);
        _max = Math.Max(_max, other._max);
    }

    /// <summary>Same count, sums, min and max (by <see cref="double.Equals(double)"/>; two empty stats are equal).</summary>
    public readonly bool Equals(BucketStats other) =>
        _count == other._count && _sum.Equals(other._sum) && _sumOfSquares.Equals(other._sumOfSquares)
        && Min.Equals(other.Min) && Max.Equals(other.Max);

    public override readonly bool Equals(object? obj) => obj is BucketStats other && Equals(other);

    public override readonly int GetHashCode() => HashCode.Combine(_count, _sum, _sumOfSquares, Min, Max);

    public override readonly string ToString() =>
        $"n={_count} sum={_sum} sumsq={_sumOfSquares} min={Min} max={Max}";
}
