namespace AnalyticsHub.Analytics.Forecasting.Learned;

/// <summary>Prediction intervals from out-of-sample errors by step ahead: the bounds at step h are the empirical
/// (1 − level)/2 and (1 + level)/2 quantiles of the errors at steps h − pool … h + pool (pooling neighbours because
/// each step alone has few errors), never narrower than at an earlier step.</summary>
internal static class EmpiricalInterval
{
    /// <summary>Offsets (≤ 0 below, ≥ 0 above) to add to the point forecast at each step.</summary>
    public static (double[] Below, double[] Above) Offsets(IReadOnlyList<List<double>> errorsByStep, double level, int pool)
    {
        var horizon = errorsByStep.Count;
        var below = new double[horizon];
        var above = new double[horizon];
        var pooled = new List<double>();
        for (var h = 0; h < horizon; h++)
        {
            pooled.Clear();
            for (var k = Math.Max(0, h - pool); k <= Math.Min(horizon - 1, h + pool); k++)
            {
                pooled.AddRange(errorsByStep[k]);
            }
            if (pooled.Count == 0)
            {
                below[h] = h > 0 ? below[h - 1] : 0;
                above[h] = h > 0 ? above[h - 1] : 0;
                continue;
            }
            pooled.Sort();
            below[h] = Math.Min(0, Quantile(pooled, (1 - level) / 2));
            above[h] = Math.Max(0, Quantile(pooled, (1 + level) / 2));
            if (h > 0)
            {
                below[h] = Math.Min(below[h], below[h - 1]);
                above[h] = Math.Max(above[h], above[h - 1]);
            }
        }
        return (below, above);
    }

    /// <summary>The p-quantile of sorted values, interpolating linearly between order statistics.</summary>
    public static double Quantile(List<double> sorted, double p)
    {
        var position = p * (sorted.Count - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }
}
