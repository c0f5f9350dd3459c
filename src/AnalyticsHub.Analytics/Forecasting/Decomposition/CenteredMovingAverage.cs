namespace AnalyticsHub.Analytics.Forecasting.Decomposition;

/// <summary>The centred moving average that removes a season of length m: a plain m-term mean for odd m, the
/// 2×m average (half weights at both ends) for even m, so that it stays centred on an observation.</summary>
internal static class CenteredMovingAverage
{
    /// <summary>Writes the average into <paramref name="result"/>, NaN where the window does not fit (the first
    /// and last ⌊m/2⌋ points). Running sums keep it O(n).</summary>
    public static void Compute(ReadOnlySpan<double> y, int m, Span<double> result)
    {
        var half = m / 2;
        result.Fill(double.NaN);
        if (y.Length < m + (m % 2 == 0 ? 1 : 0))
        {
            return;
        }
        if (m % 2 == 1)
        {
            double sum = 0;
            for (var i = 0; i < m; i++)
            {
                sum += y[i];
            }
            for (var t = half; ; t++)
            {
                result[t] = sum / m;
                if (t + half + 1 >= y.Length)
                {
                    break;
                }
                sum += y[t + half + 1] - y[t - half];
            }
            return;
        }
        // Even m: window t−half … t+half with the two end points at half weight.
        double inner = 0;
        for (var i = 1; i < m; i++)
        {
            inner += y[i];
        }
        for (var t = half; t + half < y.Length; t++)
        {
            result[t] = (inner + 0.5 * (y[t - half] + y[t + half])) / m;
            if (t + half + 1 < y.Length)
            {
                inner += y[t + half] - y[t - half + 1];
            }
        }
    }
}
