namespace AnalyticsHub.Analytics.Forecasting.Ets;

/// <summary>Automatic ETS: fits every admissible form (seasonal ones at the spec's primary period when the
/// history holds enough seasons) and forecasts with the one of lowest AICc.</summary>
public sealed class AutoEts(bool seasonal = true) : IForecastModel
{
    public string Name => seasonal ? "ets" : "ets-ns";

    public ModelForecast? Fit(ReadOnlySpan<double> history, ForecastSpec spec)
    {
        var best = SelectByAicc(history, spec.PrimaryPeriod, seasonal);
        return best?.Forecast(spec.Horizon, spec.Level);
    }

    /// <summary>The lowest-AICc fit among the admissible forms, or null when none fits.</summary>
    public static EtsFit? SelectByAicc(ReadOnlySpan<double> history, int period, bool allowSeason)
    {
        var positive = true;
        foreach (var value in history)
        {
            positive &= value > 0;
        }
        var canSeason = allowSeason && period >= 2 && history.Length >= 3 * period;
        EtsFit? best = null;
        foreach (var form in EtsForm.Candidates(canSeason, positive))
        {
            var fit = EtsEstimator.Fit(history, form, period);
            if (fit is not null && double.IsFinite(fit.Aicc) && (best is null || fit.Aicc < best.Aicc))
            {
                best = fit;
            }
        }
        return best;
    }
}
