using AnalyticsHub.Analytics.Forecasting.Decomposition;

namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>Strength of seasonality, F_S = max(0, 1 − Var(R) / Var(S + R)) (Wang, Smith &amp; Hyndman, 2006), and the
/// seasonal-differencing rule of R's nsdiffs "seas" test: difference once when F_S ≥ 0.64. The decomposition here
/// is the classical one (centred moving-average trend, seasonal means of the detrended series) rather than STL:
/// it is a few passes over the data and, on the regular hourly and daily series this engine serves, picks the
/// same D; the threshold is what matters.</summary>
internal static class SeasonalStrength
{
    public const double DifferencingThreshold = 0.64;

    /// <summary>F_S in [0, 1]; 0 when the series is shorter than two full seasons.</summary>
    public static double Compute(ReadOnlySpan<double> series, int period)
    {
        var n = series.Length;
        if (period < 2 || n < 2 * period + 1)
        {
            return 0;
        }
        var trend = new double[n];
        CenteredMovingAverage.Compute(series, period, trend);
        int first = period / 2, last = n - 1 - (period / 2); // where the average is defined
        var phaseMeans = new double[period];
        var phaseCounts = new int[period];
        for (var t = first; t <= last; t++)
        {
            phaseMeans[t % period] += series[t] - trend[t];
            phaseCounts[t % period]++;
        }
        double seasonalMean = 0;
        for (var i = 0; i < period; i++)
        {
            phaseMeans[i] /= Math.Max(phaseCounts[i], 1);
            seasonalMean += phaseMeans[i];
        }
        seasonalMean /= period;
        // Var(R) and Var(S + R) over the points that have a trend; S + R is the detrended series.
        var remainder = new double[last - first + 1];
        var detrended = new double[last - first + 1];
        for (var t = first; t <= last; t++)
        {
            detrended[t - first] = series[t] - trend[t];
            remainder[t - first] = detrended[t - first] - (phaseMeans[t % period] - seasonalMean);
        }
        var detrendedVariance = Variance(detrended);
        return detrendedVariance > 0 ? Math.Clamp(1 - Variance(remainder) / detrendedVariance, 0, 1) : 0;
    }

    /// <summary>0 or 1: the number of seasonal differences the series needs.</summary>
    public static int NumberOfSeasonalDifferences(ReadOnlySpan<double> series, int period) =>
        Compute(series, period) >= DifferencingThreshold ? 1 : 0;

    private static double Variance(ReadOnlySpan<double> values)
    {
        double mean = 0;
        foreach (var v in values)
        {
            mean += v;
        }
        mean /= values.Length;
        double sum = 0;
        foreach (var v in values)
        {
            sum += (v - mean) * (v - mean);
        }
        return sum / (values.Length - 1);
    }
}
