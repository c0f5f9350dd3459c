namespace AnalyticsHub.Analytics.Forecasting.Ets;

/// <summary>Sums the likelihood needs from one pass of the ETS recursions.</summary>
internal readonly record struct EtsPass(double SumSquaredErrors, double SumLogForecasts, bool Valid);

/// <summary>The ETS state recursions over a series. Written in terms of the observation, the state updates are the
/// same for additive and multiplicative errors (only the likelihood differs): with T = ℓ + φb the trend part,
/// q the observation with the season removed (y − s or y / s) and d = q − T,
/// ℓ' = T + αd, b' = φb + βd, s' = s + γd (additive) or s(1 + γd / T) (multiplicative).
/// These equal the error-correction equations of Hyndman et al. (2008, table 2.3) for every form.</summary>
internal static class EtsRecursion
{
    /// <summary>Runs the recursions over <paramref name="y"/> from the given states, which are updated in place to
    /// the states after the last observation. <paramref name="seasonal"/> holds one value per phase (slot t mod m
    /// is the season of time t) and is empty for non-seasonal forms. When <paramref name="residuals"/> is not empty
    /// it receives y − ŷ per step. Invalid when a multiplicative form meets a non-positive forecast.</summary>
    public static EtsPass Run(ReadOnlySpan<double> y, EtsForm form, in EtsSmoothing smoothing,
        ref double level, ref double trend, Span<double> seasonal, Span<double> residuals)
    {
        var m = seasonal.Length;
        var phi = form.Trend == EtsTrend.Damped ? smoothing.Phi : 1.0;
        var hasTrend = form.HasTrend;
        var multiplicativeError = form.Error == EtsError.Multiplicative;
        var season = form.Season;
        double l = level, b = hasTrend ? trend : 0.0;
        double sumSquares = 0, sumLogs = 0;
        var phase = 0;

        for (var t = 0; t < y.Length; t++)
        {
            var trendPart = l + phi * b;
            var s = 0.0;
            double forecast, deseasonalized;
            switch (season)
            {
                case EtsSeason.Additive:
                    s = seasonal[phase];
                    forecast = trendPart + s;
                    deseasonalized = y[t] - s;
                    break;
                case EtsSeason.Multiplicative:
                    s = seasonal[phase];
                    if (!(trendPart > 0) || !(s > 0))
                    {
                        return default;
                    }
                    forecast = trendPart * s;
                    deseasonalized = y[t] / s;
                    break;
                default:
                    forecast = trendPart;
                    deseasonalized = y[t];
                    break;
            }

            var residual = y[t] - forecast;
            if (multiplicativeError)
            {
                if (!(forecast > 0))
                {
                    return default;
                }
                var relative = residual / forecast;
                sumSquares += relative * relative;
                sumLogs += Math.Log(forecast);
            }
            else
            {
                sumSquares += residual * residual;
            }
            if (!residuals.IsEmpty)
            {
                residuals[t] = residual;
            }

            var d = deseasonalized - trendPart;
            l = trendPart + smoothing.Alpha * d;
            if (hasTrend)
            {
                b = phi * b + smoothing.Beta * d;
            }
            if (season == EtsSeason.Additive)
            {
                seasonal[phase] = s + smoothing.Gamma * d;
            }
            else if (season == EtsSeason.Multiplicative)
            {
                seasonal[phase] = s * (1 + smoothing.Gamma * d / trendPart);
            }
            if (++phase == m)
            {
                phase = 0;
            }
        }

        level = l;
        trend = b;
        return new EtsPass(sumSquares, sumLogs, double.IsFinite(sumSquares) && double.IsFinite(l) && double.IsFinite(b));
    }
}
