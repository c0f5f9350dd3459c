namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>Automatic seasonal ARIMA in the style of Hyndman &amp; Khandakar (2008), R's auto.arima: seasonal
/// differencing by the seasonal-strength rule, regular differencing by repeated KPSS tests, a stepwise search over
/// p, q, P, Q by AICc on conditional-sum-of-squares fits, and an exact-likelihood refit of the chosen form. Only the
/// shortest seasonal period is modelled (for hourly data: 24; the weekly cycle is left to other models).</summary>
public sealed class AutoArima : IForecastModel
{
    private const int MinimumLength = 16;

    public AutoArima(ArimaSearchLimits? limits = null) => Limits = limits ?? new ArimaSearchLimits();

    public ArimaSearchLimits Limits { get; }

    public string Name => "arima";

    public ModelForecast? Fit(ReadOnlySpan<double> history, ForecastSpec spec)
    {
        var fit = Select(history, spec.PrimaryPeriod, out var differenced);
        return fit is null ? null : ArimaForecaster.Forecast(fit, history, differenced, spec);
    }

    /// <summary>Chooses and fits the form; null when the history is too short or constant.</summary>
    internal ArimaFit? Select(ReadOnlySpan<double> history, int period, out double[] differenced)
    {
        differenced = [];
        if (history.Length < MinimumLength || Kpss.IsConstant(history))
        {
            return null;
        }
        // A seasonal model needs a few seasons of data to estimate its seasonal terms.
        var seasonalPeriod = period > 1 && history.Length >= 3 * period + MinimumLength ? period : 1;
        var seasonalD = seasonalPeriod > 1 ? SeasonalStrength.NumberOfSeasonalDifferences(history, seasonalPeriod) : 0;
        var seasonallyDifferenced = Differencing.Apply(history, 0, seasonalD, seasonalPeriod);
        var d = Kpss.NumberOfDifferences(seasonallyDifferenced);
        differenced = Differencing.Apply(seasonallyDifferenced, d, 0, 1);
        if (differenced.Length < MinimumLength || Kpss.IsConstant(differenced))
        {
            return null;
        }
        var best = new StepwiseOrderSearch(differenced, d, seasonalD, seasonalPeriod, Limits).Run();
        return best is null || Limits.ExactLikelihoodIterations == 0
            ? best
            : ArimaFitter.RefineExact(best, differenced, Limits.ExactLikelihoodIterations);
    }
}
