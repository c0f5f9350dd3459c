namespace AnalyticsHub.Analytics.Forecasting.Accuracy;

/// <summary>Accuracy measures exactly as the M4 competition defines them (Makridakis et al., 2020): sMAPE and MASE
/// for point forecasts, coverage and MSIS for intervals. Each scores one series; average over series.</summary>
public static class ForecastAccuracy
{
    /// <summary>Symmetric MAPE in percent: (200 / h) Σ |y − f| / (|y| + |f|). A step where both are 0 counts 0.</summary>
    public static double Smape(ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast)
    {
        CheckSameLength(actual, forecast);
        double sum = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var denominator = Math.Abs(actual[i]) + Math.Abs(forecast[i]);
            if (denominator > 0)
            {
                sum += Math.Abs(actual[i] - forecast[i]) / denominator;
            }
        }
        return 200.0 * sum / actual.Length;
    }

    /// <summary>Mean absolute scaled error: the forecast's mean absolute error over the in-sample mean absolute
    /// seasonal difference at lag <paramref name="period"/> (1 for none). NaN when the in-sample scale is 0.</summary>
    public static double Mase(ReadOnlySpan<double> inSample, ReadOnlySpan<double> actual, ReadOnlySpan<double> forecast, int period)
    {
        CheckSameLength(actual, forecast);
        var scale = SeasonalScale(inSample, period);
        if (!(scale > 0))
        {
            return double.NaN;
        }
        double sum = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            sum += Math.Abs(actual[i] - forecast[i]);
        }
        return sum / actual.Length / scale;
    }

    /// <summary>Share of actuals inside [lower, upper], in [0, 1].</summary>
    public static double Coverage(ReadOnlySpan<double> actual, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper)
    {
        CheckSameLength(actual, lower);
        CheckSameLength(actual, upper);
        var inside = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            if (actual[i] >= lower[i] && actual[i] <= upper[i])
            {
                inside++;
            }
        }
        return (double)inside / actual.Length;
    }

    /// <summary>Mean scaled interval score for a (1 − a) interval, a = 1 − <paramref name="level"/>: width plus
    /// 2/a times each miss, averaged over the horizon and scaled like MASE. NaN when the scale is 0.</summary>
    public static double Msis(ReadOnlySpan<double> inSample, ReadOnlySpan<double> actual,
        ReadOnlySpan<double> lower, ReadOnlySpan<double> upper, int period, double level)
    {
        CheckSameLength(actual, lower);
        CheckSameLength(actual, upper);
        var scale = SeasonalScale(inSample, period);
        if (!(scale > 0))
        {
            return double.NaN;
        }
        var penalty = 2.0 / (1.0 - level);
        double sum = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            sum += upper[i] - lower[i];
            if (actual[i] < lower[i])
            {
                sum += penalty * (lower[i] - actual[i]);
            }
            else if (actual[i] > upper[i])
            {
                sum += penalty * (actual[i] - upper[i]);
            }
        }
        return sum / actual.Length / scale;
    }

    /// <summary>(1 / (n − m)) Σ_{t > m} |x_t − x_{t−m}|: MASE's denominator; falls back to lag 1 when the sample
    /// is not longer than one season.</summary>
    public static double SeasonalScale(ReadOnlySpan<double> inSample, int period)
    {
        var lag = period >= 1 && inSample.Length > period ? period : 1;
        if (inSample.Length <= lag)
        {
            return double.NaN;
        }
        double sum = 0;
        for (var t = lag; t < inSample.Length; t++)
        {
            sum += Math.Abs(inSample[t] - inSample[t - lag]);
        }
        return sum / (inSample.Length - lag);
    }

    private static void CheckSameLength(ReadOnlySpan<double> actual, ReadOnlySpan<double> other)
    {
        if (actual.Length != other.Length || actual.Length == 0)
        {
            throw new ArgumentException("actuals and forecasts must be non-empty and of the same length");
        }
    }
}
