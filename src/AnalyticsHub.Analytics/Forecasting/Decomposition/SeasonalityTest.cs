namespace AnalyticsHub.Analytics.Forecasting.Decomposition;

/// <summary>The M4 benchmarks' seasonality test: the series is seasonal at lag m when its autocorrelation there
/// exceeds the 90 % one-sided limit 1.645 √((1 + 2 Σ_{k&lt;m} r_k²) / n) (Bartlett's variance of r_m).</summary>
public static class SeasonalityTest
{
    private const double Critical90 = 1.645;

    public static bool IsSeasonal(ReadOnlySpan<double> y, int m)
    {
        if (m < 2 || y.Length < 3 * m)
        {
            return false;
        }
        var mean = 0.0;
        foreach (var value in y)
        {
            mean += value;
        }
        mean /= y.Length;
        double denominator = 0;
        foreach (var value in y)
        {
            denominator += (value - mean) * (value - mean);
        }
        if (!(denominator > 0))
        {
            return false;
        }
        double sumSquares = 0;
        for (var k = 1; k < m; k++)
        {
            var r = Autocorrelation(y, mean, denominator, k);
            sumSquares += r * r;
        }
        var limit = Critical90 * Math.Sqrt((1 + 2 * sumSquares) / y.Length);
        return Math.Abs(Autocorrelation(y, mean, denominator, m)) > limit;
    }

    private static double Autocorrelation(ReadOnlySpan<double> y, double mean, double denominator, int lag)
    {
        double sum = 0;
        for (var t = lag; t < y.Length; t++)
        {
            sum += (y[t] - mean) * (y[t - lag] - mean);
        }
        return sum / denominator;
    }
}
