namespace AnalyticsHub.Analytics.Forecasting.Preprocessing;

/// <summary>Finds isolated outliers and replaces them with what a robust decomposition expects there
/// (<see cref="RobustSeasonalFit"/>: running-median trend plus cycle-median seasonal components). A point is an
/// outlier when its remainder is more than <see cref="DefaultThreshold"/> robust standard deviations (1.4826·MAD)
/// from the remainders' median. Runs of more than <see cref="MaxRunLength"/> flagged points are left alone: that is
/// a level shift or a new regime, which the models must see. Outliers are rare by definition: when more than
/// <see cref="MaxOutlierFraction"/> of the points exceed the threshold, the remainders are heavy-tailed rather than
/// contaminated (on the M4 hourly series this is the common case: bursty or intermittent series whose MAD is
/// tiny), and nothing is flagged.</summary>
public static class OutlierCleaner
{
    /// <summary>Conservative: about 1 in 1.7 million Gaussian points would be flagged. (7 with the rarity cap did no
    /// better on a 60-series sample of the M4 hourly holdout: sMAPE −0.07, MASE +0.02.)</summary>
    public const double DefaultThreshold = 5;

    public const int MaxRunLength = 3;

    public const double MaxOutlierFraction = 0.01;

    /// <summary>MAD of a Gaussian is 0.6745σ.</summary>
    private const double MadToStandardDeviation = 1.4826;

    /// <summary>Replaces the outliers of <paramref name="y"/> in place and returns how many there were.</summary>
    public static int Clean(Span<double> y, IReadOnlyList<int> seasonalPeriods, double threshold = DefaultThreshold)
    {
        var expected = new double[y.Length];
        var outliers = new bool[y.Length];
        var count = Detect(y, seasonalPeriods, threshold, expected, outliers);
        for (var t = 0; t < y.Length; t++)
        {
            if (outliers[t])
            {
                y[t] = expected[t];
            }
        }
        return count;
    }

    /// <summary>Flags the outliers of <paramref name="y"/> in <paramref name="outliers"/> and writes the decomposition's
    /// fitted value (seasonal components plus robust trend) of every point into <paramref name="expected"/>.</summary>
    public static int Detect(ReadOnlySpan<double> y, IReadOnlyList<int> seasonalPeriods, double threshold,
        Span<double> expected, Span<bool> outliers)
    {
        var n = y.Length;
        outliers.Clear();
        if (n < 3)
        {
            y.CopyTo(expected);
            return 0;
        }
        RobustSeasonalFit.Compute(y, seasonalPeriods, expected);
        var remainder = new double[n];
        for (var t = 0; t < n; t++)
        {
            remainder[t] = y[t] - expected[t];
        }

        var scratch = (double[])remainder.Clone();
        var centre = RunningMedian.Median(scratch);
        for (var t = 0; t < n; t++)
        {
            scratch[t] = Math.Abs(remainder[t] - centre);
        }
        var limit = threshold * MadToStandardDeviation * RunningMedian.Median(scratch);
        if (!(limit > 0))
        {
            return 0;
        }
        var count = 0;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end < n && Math.Abs(remainder[end] - centre) > limit)
            {
                end++;
            }
            if (end - start is > 0 and <= MaxRunLength)
            {
                outliers[start..end].Fill(true);
                count += end - start;
            }
            start = Math.Max(end, start + 1);
        }
        if (count > MaxOutlierFraction * n)
        {
            outliers.Clear();
            return 0;
        }
        return count;
    }
}
