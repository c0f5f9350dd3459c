namespace AnalyticsHub.Analytics.Forecasting.Decomposition;

/// <summary>Seasonal components of a series with several seasonal periods, in the manner of MSTL (Bandara, Hyndman
/// &amp; Bergmeir, 2021) with a simpler smoother: each component in turn is re-estimated from the series minus the
/// other components, detrended by a centred moving average of its period, then smoothed across neighbouring
/// cycles of each phase (a mean over ±w cycles, down-weighting outliers by bisquare robustness weights as STL
/// does) and re-centred. Two passes suffice for the components to settle.</summary>
public static class MultiSeasonalDecomposition
{
    private const int Passes = 2;

    /// <summary>Decomposes <paramref name="y"/> for the periods that fit at least twice into it (others are
    /// skipped). The result's components are aligned with <paramref name="y"/>.</summary>
    public static SeasonalComponents Decompose(ReadOnlySpan<double> y, IReadOnlyList<int> periods)
    {
        var n = y.Length;
        var used = periods.Where(p => p >= 2 && n >= 2 * p).ToArray();
        var seasonal = new double[used.Length][];
        for (var k = 0; k < used.Length; k++)
        {
            seasonal[k] = new double[n];
        }
        var weights = new double[n];
        weights.AsSpan().Fill(1);
        var work = new double[n];
        var trend = new double[n];

        for (var pass = 0; pass < Passes; pass++)
        {
            for (var k = 0; k < used.Length; k++)
            {
                var p = used[k];
                // work = y minus every other component.
                y.CopyTo(work);
                for (var j = 0; j < used.Length; j++)
                {
                    if (j != k)
                    {
                        Subtract(work, seasonal[j]);
                    }
                }
                SmoothTrend(work, p, trend);
                Subtract(work, trend);
                SmoothCycleSubseries(work, weights, p, CycleHalfWindow(n, p), seasonal[k]);
                Recentre(seasonal[k], p, trend);
            }
            if (pass + 1 < Passes)
            {
                RobustnessWeights(y, seasonal, work, trend, weights);
            }
        }

        var adjusted = y.ToArray();
        foreach (var component in seasonal)
        {
            Subtract(adjusted, component);
        }
        return new SeasonalComponents(used, seasonal, adjusted);
    }

    /// <summary>±3 cycles for short periods (a week of days for hourly data), ±1 for long ones with few cycles.</summary>
    private static int CycleHalfWindow(int n, int p) => Math.Clamp((n / p - 1) / 2, 1, 3);

    private static void Subtract(Span<double> target, ReadOnlySpan<double> component)
    {
        for (var t = 0; t < target.Length; t++)
        {
            target[t] -= component[t];
        }
    }

    /// <summary>Centred moving average with the ends held at the nearest computed value.</summary>
    private static void SmoothTrend(ReadOnlySpan<double> x, int p, Span<double> trend)
    {
        CenteredMovingAverage.Compute(x, p, trend);
        var first = p / 2;
        var last = x.Length - 1 - p / 2;
        trend[..first].Fill(trend[first]);
        trend[(last + 1)..].Fill(trend[last]);
    }

    /// <summary>seasonal[t] = weighted mean of detrended[t + c·p] over cycles c within ±w (and inside the series).</summary>
    private static void SmoothCycleSubseries(ReadOnlySpan<double> detrended, ReadOnlySpan<double> weights, int p, int w,
        Span<double> seasonal)
    {
        var n = detrended.Length;
        for (var t = 0; t < n; t++)
        {
            double sum = 0, weightSum = 0;
            for (var c = -w; c <= w; c++)
            {
                var s = t + c * p;
                if (s >= 0 && s < n)
                {
                    sum += weights[s] * detrended[s];
                    weightSum += weights[s];
                }
            }
            seasonal[t] = weightSum > 0 ? sum / weightSum : 0;
        }
    }

    /// <summary>Removes what the smoothed component still carries of the level (its own moving average), so the
    /// component averages 0 over each cycle.</summary>
    private static void Recentre(Span<double> seasonal, int p, Span<double> scratch)
    {
        SmoothTrend(seasonal, p, scratch);
        Subtract(seasonal, scratch);
    }

    /// <summary>STL's bisquare weights on the remainder: 1 − (r / 6·median|r|)² squared, 0 beyond.</summary>
    private static void RobustnessWeights(ReadOnlySpan<double> y, double[][] seasonal, Span<double> remainder,
        Span<double> scratch, Span<double> weights)
    {
        y.CopyTo(remainder);
        foreach (var component in seasonal)
        {
            Subtract(remainder, component);
        }
        // The remainder is what neither the seasons nor a smooth trend explain.
        var period = seasonal.Length > 0 ? Math.Max(2, y.Length / 20) : 2;
        SmoothTrend(remainder, Math.Min(period, y.Length / 2), scratch);
        Subtract(remainder, scratch);
        for (var t = 0; t < remainder.Length; t++)
        {
            scratch[t] = Math.Abs(remainder[t]);
        }
        scratch.Sort();
        var limit = 6 * scratch[scratch.Length / 2];
        for (var t = 0; t < remainder.Length; t++)
        {
            var u = limit > 0 ? Math.Abs(remainder[t]) / limit : 0;
            weights[t] = u < 1 ? (1 - u * u) * (1 - u * u) : 0;
        }
    }
}
