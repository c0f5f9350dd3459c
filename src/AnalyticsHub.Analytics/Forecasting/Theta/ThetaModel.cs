using AnalyticsHub.Analytics.Forecasting.Decomposition;
using AnalyticsHub.Analytics.Forecasting.Ets;

namespace AnalyticsHub.Analytics.Forecasting.Theta;

/// <summary>The standard Theta method as the M4 benchmark runs it (Assimakopoulos &amp; Nikolopoulos, 2000, in the
/// form of Hyndman &amp; Billah, 2003): seasonally adjust (M4's 90 % test, classical multiplicative), forecast with
/// simple exponential smoothing plus a drift of half the linear-trend slope,
/// ŷ_{n+h} = ℓ_n + (b/2)(h − 1 + (1 − (1 − α)^n) / α), and re-seasonalise. Intervals are those of SES, shifted by
/// the drift.</summary>
public sealed class ThetaModel : IForecastModel
{
    private static readonly EtsForm SimpleExponentialSmoothing = new(EtsError.Additive, EtsTrend.None, EtsSeason.None);

    public string Name => "theta";

    public ModelForecast? Fit(ReadOnlySpan<double> history, ForecastSpec spec)
    {
        var adjustment = SeasonalAdjustment.Detect(history, spec.PrimaryPeriod);
        var adjusted = adjustment.Remove(history);
        var ses = EtsEstimator.Fit(adjusted, SimpleExponentialSmoothing, 1);
        if (ses is null)
        {
            return null;
        }
        var forecast = ses.Forecast(spec.Horizon, spec.Level);
        var halfSlope = LinearTrend.Slope(adjusted) / 2;
        var alpha = ses.Smoothing.Alpha;
        var n = adjusted.Length;
        var offset = (1 - Math.Pow(1 - alpha, n)) / alpha;
        for (var h = 1; h <= spec.Horizon; h++)
        {
            var drift = halfSlope * (h - 1 + offset);
            forecast.Point[h - 1] += drift;
            forecast.Lower[h - 1] += drift;
            forecast.Upper[h - 1] += drift;
        }
        adjustment.Restore(forecast, n);
        return new ModelForecast("Theta" + (adjustment.IsSeasonal ? "[" + spec.PrimaryPeriod + "]" : ""),
            forecast.Point, forecast.Lower, forecast.Upper) { Residuals = ses.Residuals };
    }
}
