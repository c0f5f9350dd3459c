namespace AnalyticsHub.Analytics.Forecasting;

/// <summary>A forecasting method: fits a history and forecasts <see cref="ForecastSpec.Horizon"/> steps with an
/// interval. Implementations are stateless between calls and safe to call from several threads.</summary>
public interface IForecastModel
{
    /// <summary>Family name, e.g. "ets", "arima", "theta", "snaive".</summary>
    string Name { get; }

    /// <summary>Fits <paramref name="history"/> (finite values, oldest first, no gaps) and forecasts.
    /// Returns null when the method cannot fit this history (too short for its seasonality, constant, …).</summary>
    ModelForecast? Fit(ReadOnlySpan<double> history, ForecastSpec spec);
}
