namespace AnalyticsHub.Analytics.Forecasting.Decomposition;

/// <summary>Multiple-seasonality forecasting: remove every seasonal component with
/// <see cref="MultiSeasonalDecomposition"/>, forecast the adjusted series with a non-seasonal model, and add each
/// component's last cycle back. The interval is the non-seasonal model's (seasonal components treated as known).
/// Does not fit when no seasonal period fits twice into the history.</summary>
public sealed class MstlModel(string name, IForecastModel nonSeasonal) : IForecastModel
{
    public string Name => name;

    public ModelForecast? Fit(ReadOnlySpan<double> history, ForecastSpec spec)
    {
        var components = MultiSeasonalDecomposition.Decompose(history, spec.SeasonalPeriods);
        if (components.Periods.Count == 0)
        {
            return null;
        }
        var forecast = nonSeasonal.Fit(components.Adjusted, new ForecastSpec(spec.Horizon, [], spec.Level));
        if (forecast is null)
        {
            return null;
        }
        components.AddForecast(forecast.Point);
        components.AddForecast(forecast.Lower);
        components.AddForecast(forecast.Upper);
        return new ModelForecast($"MSTL[{string.Join(',', components.Periods)}]+{forecast.Model}",
            forecast.Point, forecast.Lower, forecast.Upper) { Residuals = forecast.Residuals };
    }
}
