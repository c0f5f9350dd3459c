using MathNet.Numerics.Distributions;

namespace AnalyticsHub.Analytics.Forecasting;

/// <summary>Seasonal naive: each step repeats the value one season earlier. Interval from the seasonal
/// differences' standard deviation, widening with the number of whole seasons ahead (Hyndman &amp; Athanasopoulos,
/// FPP3 §5.5): σ_h = σ √(⌊(h−1)/m⌋ + 1).</summary>
public sealed class SeasonalNaive : IForecastModel
{
    public string Name => "snaive";

    public ModelForecast? Fit(ReadOnlySpan<double> history, ForecastSpec spec)
    {
        var m = spec.PrimaryPeriod;
        var n = history.Length;
        if (n < m + 2)
        {
            return null;
        }
        var residuals = new double[n - m];
        double sumSquares = 0;
        for (var t = m; t < n; t++)
        {
            var e = history[t] - history[t - m];
            residuals[t - m] = e;
            sumSquares += e * e;
        }
        var sigma = Math.Sqrt(sumSquares / residuals.Length);
        var z = Normal.InvCDF(0, 1, 0.5 + spec.Level / 2);
        var point = new double[spec.Horizon];
        var lower = new double[spec.Horizon];
        var upper = new double[spec.Horizon];
        for (var h = 1; h <= spec.Horizon; h++)
        {
            var value = history[n - m + (h - 1) % m];
            var width = z * sigma * Math.Sqrt((h - 1) / m + 1);
            point[h - 1] = value;
            lower[h - 1] = value - width;
            upper[h - 1] = value + width;
        }
        return new ModelForecast(m > 1 ? "SNaive[" + m + "]" : "Naive", point, lower, upper) { Residuals = residuals };
    }
}
