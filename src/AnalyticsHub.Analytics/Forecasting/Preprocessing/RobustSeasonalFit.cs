namespace AnalyticsHub.Analytics.Forecasting.Preprocessing;

/// <summary>What a series "should" be at each point, estimated with medians only so that a few wild points cannot
/// pull it: trend = running median over one shortest season; each seasonal component = the median, over ±3 cycles,
/// of the points at the same phase of the series minus the trend and the other components. Two passes (the second
/// trend is taken on the deseasonalised series, so it follows level shifts sharply). Periods that do not fit three
/// times are skipped.</summary>
public static class RobustSeasonalFit
{
    private const int Passes = 2;
    private const int CycleHalfWindow = 3;
    private const int MinimumCycles = 3;

    /// <summary>For <see cref="SeasonalSum"/>: leave no component out.</summary>
    private const int AllComponents = -1;

    /// <summary>Writes the fit of <paramref name="y"/> into <paramref name="expected"/>.</summary>
    public static void Compute(ReadOnlySpan<double> y, IReadOnlyList<int> seasonalPeriods, Span<double> expected)
    {
        var n = y.Length;
        var periods = seasonalPeriods.Where(p => p >= 2 && n >= MinimumCycles * p).ToArray();
        var halfWindow = Math.Max(1, (seasonalPeriods.Count > 0 ? seasonalPeriods[0] : 2) / 2);
        var seasonal = new double[periods.Length][];
        for (var k = 0; k < periods.Length; k++)
        {
            seasonal[k] = new double[n];
        }
        var trend = new double[n];
        var work = new double[n];
        var window = new double[2 * CycleHalfWindow + 1];

        RunningMedian.Compute(y, halfWindow, trend);
        for (var pass = 0; pass < Passes; pass++)
        {
            for (var k = 0; k < periods.Length; k++)
            {
                for (var t = 0; t < n; t++)
                {
                    work[t] = y[t] - trend[t] - SeasonalSum(seasonal, t, except: k);
                }
                CycleMedian(work, periods[k], window, seasonal[k]);
            }
            for (var t = 0; t < n; t++)
            {
                work[t] = y[t] - SeasonalSum(seasonal, t, except: AllComponents);
            }
            RunningMedian.Compute(work, halfWindow, trend);
        }
        for (var t = 0; t < n; t++)
        {
            expected[t] = trend[t] + SeasonalSum(seasonal, t, except: AllComponents);
        }
    }

    /// <summary>Sum of the seasonal components at <paramref name="t"/>, leaving out component <paramref name="except"/>.</summary>
    private static double SeasonalSum(double[][] seasonal, int t, int except)
    {
        double sum = 0;
        for (var k = 0; k < seasonal.Length; k++)
        {
            if (k != except)
            {
                sum += seasonal[k][t];
            }
        }
        return sum;
    }

    /// <summary>component[t] = median of x[t + c·p] over the cycles c within ±<see cref="CycleHalfWindow"/> that fall
    /// inside the series.</summary>
    private static void CycleMedian(ReadOnlySpan<double> x, int p, double[] window, Span<double> component)
    {
        for (var t = 0; t < x.Length; t++)
        {
            var count = 0;
            for (var c = -CycleHalfWindow; c <= CycleHalfWindow; c++)
            {
                var s = t + c * p;
                if (s >= 0 && s < x.Length)
                {
                    window[count++] = x[s];
                }
            }
            component[t] = RunningMedian.Median(window.AsSpan(0, count));
        }
    }
}
