using AnalyticsHub.Analytics.Forecasting.Decomposition;
using AnalyticsHub.Analytics.Forecasting.Ets;

namespace AnalyticsHub.Analytics.Forecasting.Benchmarks;

/// <summary>M4's SES benchmark: simple exponential smoothing (α and initial level by maximum likelihood) of the
/// seasonally adjusted series, re-seasonalised.</summary>
public sealed class SesBenchmark : IForecastModel
{
    private static readonly EtsForm Ses = new(EtsError.Additive, EtsTrend.None, EtsSeason.None);

    public string Name => "ses";

    public ModelForecast? Fit(ReadOnlySpan<double> history, ForecastSpec spec)
    {
        var adjustment = SeasonalAdjustment.Detect(history, spec.PrimaryPeriod);
        var fit = EtsEstimator.Fit(adjustment.Remove(history), Ses, 1);
        return fit is null ? null : adjustment.Restore(fit.Forecast(spec.Horizon, spec.Level), history.Length);
    }
}
