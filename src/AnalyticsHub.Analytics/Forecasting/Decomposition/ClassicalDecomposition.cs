namespace AnalyticsHub.Analytics.Forecasting.Decomposition;

/// <summary>Classical seasonal decomposition's seasonal indices: detrend by the centred moving average, average
/// each phase, and normalise (additive indices sum to 0, multiplicative ones average 1).</summary>
public static class ClassicalDecomposition
{
    /// <summary>Seasonal index per phase; index j is the season of observations j, j + m, … Needs at least two
    /// full seasons; multiplicative needs positive data.</summary>
    public static double[] SeasonalIndices(ReadOnlySpan<double> y, int m, bool multiplicative)
    {
        if (m < 2 || y.Length < 2 * m)
        {
            throw new ArgumentException($"classical decomposition needs two seasons of {m} points, got {y.Length}");
        }
        var trend = new double[y.Length];
        CenteredMovingAverage.Compute(y, m, trend);
        var sums = new double[m];
        var counts = new int[m];
        for (var t = 0; t < y.Length; t++)
        {
            if (!double.IsNaN(trend[t]))
            {
                sums[t % m] += multiplicative ? y[t] / trend[t] : y[t] - trend[t];
                counts[t % m]++;
            }
        }
        double total = 0;
        for (var j = 0; j < m; j++)
        {
            sums[j] /= counts[j];
            total += sums[j];
        }
        var mean = total / m;
        for (var j = 0; j < m; j++)
        {
            sums[j] = multiplicative ? sums[j] / mean : sums[j] - mean;
        }
        return sums;
    }
}
