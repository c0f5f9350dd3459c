namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>Residuals of an ARMA conditional on its first values (the "CSS" recursion): with z = w − constant,
/// e_t = z_t − Σ Ar[k] z_{t−k} − Σ Ma[k] e_{t−k} for t ≥ the AR degree, and e_t = 0 before.</summary>
internal static class ConditionalResiduals
{
    /// <summary>Fills <paramref name="centered"/> and <paramref name="residuals"/> (both as long as
    /// <paramref name="series"/>) and returns the first index whose residual is defined.</summary>
    public static int Compute(ArmaPolynomials model, ReadOnlySpan<double> series, Span<double> centered, Span<double> residuals)
    {
        var constant = model.Constant;
        for (var t = 0; t < series.Length; t++)
        {
            centered[t] = series[t] - constant;
        }
        var start = Math.Min(model.Order.ExpandedArDegree, series.Length);
        residuals[..start].Clear();
        var ar = model.Ar;
        var ma = model.Ma;
        var arLags = model.ArLags;
        var maLags = model.MaLags;
        for (var t = start; t < series.Length; t++)
        {
            var e = centered[t];
            foreach (var k in arLags)
            {
                e -= ar[k] * centered[t - k];
            }
            foreach (var k in maLags)
            {
                if (k > t)
                {
                    break;
                }
                e -= ma[k] * residuals[t - k];
            }
            residuals[t] = e;
        }
        return start;
    }
}
