using MathNet.Numerics.Distributions;

namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>Point forecasts and intervals of a fitted ARIMA. The differenced series is forecast from the Kalman
/// filter's final state for an exact fit (from the conditional recursion for a CSS fit, consistent with how it was
/// estimated); differencing is then undone. Intervals are Gaussian with the ψ-weight variance of the full model.</summary>
internal static class ArimaForecaster
{
    public static ModelForecast Forecast(ArimaFit fit, ReadOnlySpan<double> series, double[] differenced, ForecastSpec spec)
    {
        var order = fit.Order;
        var model = fit.Polynomials();
        var h = spec.Horizon;
        var centeredForecasts = new double[h];
        double[] residuals;
        if (fit.Exact)
        {
            residuals = new double[differenced.Length];
            var objective = new ExactLikelihoodObjective(new ArmaPolynomials(order), differenced);
            if (!objective.TryForecast(fit.Parameters, residuals, centeredForecasts))
            {
                residuals = ConditionalForecast(model, differenced, centeredForecasts);
            }
        }
        else
        {
            residuals = ConditionalForecast(model, differenced, centeredForecasts);
        }

        var integration = Differencing.IntegrationCoefficients(order.D, order.SeasonalD, order.Period);
        var length = series.Length;
        var levels = new double[length + h];
        series.CopyTo(levels);
        for (var t = 0; t < h; t++)
        {
            var value = centeredForecasts[t] + model.Constant;
            for (var k = 1; k < integration.Length; k++)
            {
                value += integration[k] * levels[length + t - k];
            }
            levels[length + t] = value;
        }

        var psi = PsiWeights.Compute(PsiWeights.WithDifferencing(model.Ar, integration), model.Ma, h);
        var z = Normal.InvCDF(0, 1, 0.5 + spec.Level / 2);
        var point = new double[h];
        var lower = new double[h];
        var upper = new double[h];
        double psiSquares = 0;
        for (var step = 0; step < h; step++)
        {
            psiSquares += psi[step] * psi[step];
            var width = z * Math.Sqrt(fit.Sigma2 * psiSquares);
            point[step] = levels[length + step];
            lower[step] = point[step] - width;
            upper[step] = point[step] + width;
        }
        return new ModelForecast(order.ToString(), point, lower, upper) { Aicc = fit.Aicc, Residuals = residuals };
    }

    /// <summary>Forecasts the centred differenced series by the ARMA recursion (future shocks zero) and returns the
    /// conditional residuals where they are defined.</summary>
    private static double[] ConditionalForecast(ArmaPolynomials model, double[] differenced, Span<double> forecasts)
    {
        var n = differenced.Length;
        var h = forecasts.Length;
        var centered = new double[n + h];
        var shocks = new double[n + h];
        var start = ConditionalResiduals.Compute(model, differenced, centered.AsSpan(0, n), shocks.AsSpan(0, n));
        for (var t = n; t < n + h; t++)
        {
            double value = 0;
            foreach (var k in model.ArLags)
            {
                value += model.Ar[k] * centered[t - k];
            }
            foreach (var k in model.MaLags)
            {
                value += model.Ma[k] * shocks[t - k];
            }
            centered[t] = value;
            forecasts[t - n] = value;
        }
        return shocks.AsSpan(start, n - start).ToArray();
    }
}
