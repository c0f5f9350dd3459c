namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>The KPSS test of level stationarity (Kwiatkowski, Phillips, Schmidt &amp; Shin, 1992): large values reject
/// stationarity in favour of a unit root. η = Σ S_t² / (n² σ̂²) with S the partial sums of the demeaned series and
/// σ̂² the Newey–West long-run variance with Bartlett weights.</summary>
internal static class Kpss
{
    /// <summary>5 % critical value of the level-stationarity test (KPSS 1992, Table 1).</summary>
    public const double CriticalValue5Percent = 0.463;

    /// <summary>Bartlett lag truncation used by R's forecast::ndiffs: ⌊3√n / 13⌋.</summary>
    public static int DefaultLags(int length) => (int)(3 * Math.Sqrt(length) / 13);

    public static double LevelStatistic(ReadOnlySpan<double> series, int lags)
    {
        var n = series.Length;
        double mean = 0;
        foreach (var value in series)
        {
            mean += value;
        }
        mean /= n;
        double partialSum = 0;
        double sumOfPartialSquares = 0;
        double variance = 0;
        for (var t = 0; t < n; t++)
        {
            var e = series[t] - mean;
            partialSum += e;
            sumOfPartialSquares += partialSum * partialSum;
            variance += e * e;
        }
        for (var s = 1; s <= lags; s++)
        {
            double autocovariance = 0;
            for (var t = s; t < n; t++)
            {
                autocovariance += (series[t] - mean) * (series[t - s] - mean);
            }
            variance += 2 * (1 - s / (lags + 1.0)) * autocovariance;
        }
        variance /= n;
        return sumOfPartialSquares / ((double)n * n * variance);
    }

    /// <summary>How many first differences make the series level-stationary by repeated KPSS tests at 5 %, up to
    /// <paramref name="maxDifferences"/> (Hyndman &amp; Khandakar's choice of d).</summary>
    public static int NumberOfDifferences(ReadOnlySpan<double> series, int maxDifferences = 2)
    {
        var current = series.ToArray();
        var d = 0;
        while (d < maxDifferences && current.Length > 3 && !IsConstant(current)
            && LevelStatistic(current, DefaultLags(current.Length)) > CriticalValue5Percent)
        {
            current = Differencing.Apply(current, 1, 0, 1);
            d++;
        }
        return d;
    }

    internal static bool IsConstant(ReadOnlySpan<double> series)
    {
        foreach (var value in series)
        {
            if (value != series[0])
            {
                return false;
            }
        }
        return true;
    }
}
