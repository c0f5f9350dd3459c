namespace AnalyticsHub.Analytics.Forecasting.Decomposition;

/// <summary>Least-squares straight line through a series against time 0, 1, …, n − 1.</summary>
internal static class LinearTrend
{
    public static double Slope(ReadOnlySpan<double> y)
    {
        var n = y.Length;
        if (n < 2)
        {
            return 0;
        }
        var meanX = (n - 1) / 2.0;
        double meanY = 0;
        foreach (var value in y)
        {
            meanY += value;
        }
        meanY /= n;
        double sxy = 0, sxx = 0;
        for (var t = 0; t < n; t++)
        {
            sxy += (t - meanX) * (y[t] - meanY);
            sxx += (t - meanX) * (t - meanX);
        }
        return sxy / sxx;
    }
}
