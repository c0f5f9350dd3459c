using AnalyticsHub.Analytics.Forecasting.Decomposition;
using MathNet.Numerics.Distributions;

namespace AnalyticsHub.Analytics.Forecasting.Benchmarks;

/// <summary>M4's Naive2 benchmark: the last seasonally adjusted value, re-seasonalised. Interval of the random
/// walk, σ√h, with σ from the adjusted series' one-step differences.</summary>
public sealed class Naive2 : IForecastModel
{
    public string Name => "naive2";

    public ModelForecast? Fit(ReadOnlySpan<double> history, ForecastSpec spec)
    {
        if (history.Length < 2)
        {
            return null;
        }
        var adjustment = SeasonalAdjustment.Detect(history, spec.PrimaryPeriod);
        var adjusted = adjustment.Remove(history);
        var residuals = new double[adjusted.Length - 1];
        double sumSquares = 0;
        for (var t = 1; t < adjusted.Length; t++)
        {
            residuals[t - 1] = adjusted[t] - adjusted[t - 1];
            sumSquares += residuals[t - 1] * residuals[t - 1];
        }
        var sigma = Math.Sqrt(sumSquares / residuals.Length);
        var z = Normal.InvCDF(0, 1, 0.5 + spec.Level / 2);
        var last = adjusted[^1];
        var point = new double[spec.Horizon];
        var lower = new double[spec.Horizon];
        var upper = new double[spec.Horizon];
        for (var h = 1; h <= spec.Horizon; h++)
        {
            point[h - 1] = last;
            lower[h - 1] = last - z * sigma * Math.Sqrt(h);
            upper[h - 1] = last + z * sigma * Math.Sqrt(h);
        }
        var forecast = new ModelForecast("Naive2", point, lower, upper) { Residuals = residuals };
        return adjustment.Restore(forecast, history.Length);
    }
}
