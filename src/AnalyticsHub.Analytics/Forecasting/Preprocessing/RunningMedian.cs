namespace AnalyticsHub.Analytics.Forecasting.Preprocessing;

/// <summary>Centred running median: result[t] = median of x over [t − w, t + w], the window cut at the ends. Unlike a
/// moving average it keeps steps sharp and ignores a spike shorter than w + 1 points.</summary>
public static class RunningMedian
{
    public static void Compute(ReadOnlySpan<double> x, int halfWindow, Span<double> result)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(halfWindow);
        var window = new double[2 * halfWindow + 1];
        for (var t = 0; t < x.Length; t++)
        {
            var from = Math.Max(0, t - halfWindow);
            var to = Math.Min(x.Length, t + halfWindow + 1);
            var values = window.AsSpan(0, to - from);
            x[from..to].CopyTo(values);
            result[t] = Median(values);
        }
    }

    /// <summary>The median of <paramref name="values"/> (not empty), which it sorts in place.</summary>
    public static double Median(Span<double> values)
    {
        values.Sort();
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
