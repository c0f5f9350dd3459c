namespace AnalyticsHub.Analytics.Forecasting.Preprocessing;

/// <summary>Fills missing values (NaN) by linear interpolation between the nearest observed neighbours; leading
/// and trailing gaps take the nearest observed value.</summary>
public static class MissingValues
{
    /// <summary>Whether <paramref name="y"/> holds a NaN.</summary>
    public static bool Any(ReadOnlySpan<double> y)
    {
        foreach (var value in y)
        {
            if (double.IsNaN(value))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Interpolates in place. Throws when no value is observed.</summary>
    public static void Interpolate(Span<double> y)
    {
        var previous = -1;
        for (var t = 0; t < y.Length; t++)
        {
            if (double.IsNaN(y[t]))
            {
                continue;
            }
            if (previous < 0)
            {
                y[..t].Fill(y[t]);
            }
            else
            {
                for (var g = previous + 1; g < t; g++)
                {
                    y[g] = y[previous] + (y[t] - y[previous]) * (g - previous) / (t - previous);
                }
            }
            previous = t;
        }
        if (previous < 0)
        {
            throw new ArgumentException("the series has no observed value");
        }
        y[(previous + 1)..].Fill(y[previous]);
    }
}
