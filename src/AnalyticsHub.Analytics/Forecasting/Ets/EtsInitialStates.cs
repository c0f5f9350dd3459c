using AnalyticsHub.Analytics.Forecasting.Decomposition;

namespace AnalyticsHub.Analytics.Forecasting.Ets;

/// <summary>Starting states for the optimiser, in the spirit of Hyndman et al. (2008, §2.6.1): seasonal indices
/// from a classical decomposition of the first few seasons, level (and trend) from a straight line through the
/// first seasonally adjusted points. The seasonal states stay fixed at these values during estimation (optimising
/// 23 more states for hourly data would cost far more than it returns on series hundreds of points long); the
/// level and trend are then re-estimated with the smoothing parameters.</summary>
internal static class EtsInitialStates
{
    private const int MaxSeasons = 4;

    public static double[] Seasonal(ReadOnlySpan<double> y, EtsForm form, int m)
    {
        if (!form.HasSeason)
        {
            return [];
        }
        var seasons = Math.Min(MaxSeasons, y.Length / m);
        return ClassicalDecomposition.SeasonalIndices(y[..(seasons * m)], m, form.Season == EtsSeason.Multiplicative);
    }

    /// <summary>Level and trend at time 0 (just before the first observation).</summary>
    public static (double Level, double Trend) LevelAndTrend(ReadOnlySpan<double> y, EtsForm form, ReadOnlySpan<double> seasonal)
    {
        var count = Math.Min(y.Length, Math.Max(10, 2 * seasonal.Length));
        double sumX = 0, sumY = 0, sumXY = 0, sumXX = 0;
        for (var t = 0; t < count; t++)
        {
            var value = form.Season switch
            {
                EtsSeason.Additive => y[t] - seasonal[t % seasonal.Length],
                EtsSeason.Multiplicative => y[t] / seasonal[t % seasonal.Length],
                _ => y[t],
            };
            double x = t + 1;
            sumX += x;
            sumY += value;
            sumXY += x * value;
            sumXX += x * x;
        }
        if (!form.HasTrend)
        {
            return (sumY / count, 0);
        }
        var slope = (count * sumXY - sumX * sumY) / (count * sumXX - sumX * sumX);
        return ((sumY - slope * sumX) / count, slope);
    }
}
