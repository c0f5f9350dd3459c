namespace AnalyticsHub.Analytics.Forecasting.Learned;

/// <summary>Histogram bins of one feature: sorted cut points e_0 &lt; e_1 &lt; … ; a value x falls in the first bin b
/// with x ≤ e_b, or in the last bin when it exceeds them all. A split after bin b therefore sends x ≤ e_b left, so a
/// tree grown on bins predicts raw values with the cut point as its threshold. Cut points sit midway between
/// neighbouring distinct values, at (roughly) equal-count quantiles when there are more distinct values than bins.
/// Values within a rounding tolerance of each other count as tied: a cut between 0.5 and 0.5 + 1e-16 would split rows
/// by floating-point noise that the forecast inputs do not reproduce.</summary>
internal sealed class FeatureBins
{
    /// <summary>Relative gap below which two values are the same value.</summary>
    private const double TieTolerance = 1e-9;

    private readonly double[] cuts;

    private FeatureBins(double[] cuts) => this.cuts = cuts;

    /// <summary>Number of bins: one more than the cut points; 1 for a constant feature, which can never split.</summary>
    public int Count => cuts.Length + 1;

    /// <summary>The threshold of a split after <paramref name="bin"/>.</summary>
    public double Cut(int bin) => cuts[bin];

    /// <summary>Bins for the values in <paramref name="sorted"/> (ascending; NaN not allowed), at most
    /// <paramref name="maxBins"/> of them.</summary>
    public static FeatureBins FromSorted(ReadOnlySpan<double> sorted, int maxBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBins, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBins, 256);
        var cuts = new List<double>(maxBins - 1);
        var n = sorted.Length;
        var tolerance = n == 0 ? 0 : TieTolerance * Math.Max(Math.Abs(sorted[0]), Math.Abs(sorted[^1]));
        // Walk the distinct values; cut after a run once it has filled its share of the remaining rows, so that a
        // heavily tied value takes one bin instead of pushing every later cut to the same place.
        var start = 0;
        var taken = 0;
        while (start < n && cuts.Count < maxBins - 1)
        {
            var end = start + 1;
            while (end < n && sorted[end] - sorted[start] <= tolerance)
            {
                end++;
            }
            if (end == n)
            {
                break;
            }
            var share = (double)(n - taken) / (maxBins - cuts.Count);
            if (end - taken >= share)
            {
                cuts.Add(sorted[end - 1] + (sorted[end] - sorted[end - 1]) / 2);
                taken = end;
            }
            start = end;
        }
        return new FeatureBins([.. cuts]);
    }

    /// <summary>The bin of <paramref name="value"/> (binary search over the cut points).</summary>
    public int Bin(double value)
    {
        int lo = 0, hi = cuts.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (value <= cuts[mid])
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
