using System.Globalization;

namespace AnalyticsHub.Analytics.Forecasting.Preprocessing;

/// <summary>Fits a model to the Box–Cox transform of a positive history (λ by <see cref="GuerreroLambda"/> over
/// blocks of one season, kept in [0, 1]) and maps the forecast back. The back-transformed point is the forecast median; the
/// bounds map exactly since the transform is monotone. Does not fit non-positive data. As a separate candidate,
/// the engine's validation decides per series whether the transform helps.</summary>
public sealed class BoxCoxModel(string name, IForecastModel inner) : IForecastModel
{
    /// <summary>λ is kept between the log and no transform: below 0 the inverse of an upper bound runs to
    /// infinity once λz + 1 nears 0, which wrecks intervals 48 steps out.</summary>
    private const double MinLambda = 0;
    private const double MaxLambda = 1;

    public string Name => name;

    public ModelForecast? Fit(ReadOnlySpan<double> history, ForecastSpec spec)
    {
        foreach (var value in history)
        {
            if (!(value > 0))
            {
                return null;
            }
        }
        var lambda = Math.Clamp(GuerreroLambda.Estimate(history, spec.PrimaryPeriod), MinLambda, MaxLambda);
        var transformed = new double[history.Length];
        BoxCox.Transform(history, lambda, transformed);
        var forecast = inner.Fit(transformed, spec);
        if (forecast is null)
        {
            return null;
        }
        BoxCox.InverseInPlace(forecast.Point, lambda);
        BoxCox.InverseInPlace(forecast.Lower, lambda);
        BoxCox.InverseInPlace(forecast.Upper, lambda);
        return new ModelForecast($"BoxCox[{lambda.ToString("0.00", CultureInfo.InvariantCulture)}]+{forecast.Model}",
            forecast.Point, forecast.Lower, forecast.Upper);
    }
}
