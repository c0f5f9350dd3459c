namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>Regular and seasonal differencing, (1 − B)ᵈ(1 − Bᵐ)ᴰ, and its polynomial for integrating forecasts.</summary>
internal static class Differencing
{
    /// <summary>The differenced series, <c>d + m·D</c> points shorter than <paramref name="series"/>.</summary>
    public static double[] Apply(ReadOnlySpan<double> series, int d, int seasonalD, int period)
    {
        var current = series.ToArray();
        for (var i = 0; i < seasonalD; i++)
        {
            current = Lagged(current, period);
        }
        for (var i = 0; i < d; i++)
        {
            current = Lagged(current, 1);
        }
        return current;
    }

    /// <summary>Coefficients a₁…a_L (index = lag, index 0 unused) with 1 − Σ aₖ Bᵏ = (1 − B)ᵈ(1 − Bᵐ)ᴰ, so that
    /// y_t = w_t + Σ aₖ y_{t−k} undoes the differencing.</summary>
    public static double[] IntegrationCoefficients(int d, int seasonalD, int period)
    {
        // Multiply out (1 − B)ᵈ(1 − Bᵐ)ᴰ as a dense polynomial c₀ + c₁B + …, then aₖ = −cₖ.
        double[] product = [1];
        for (var i = 0; i < d; i++)
        {
            product = MultiplyByOneMinusLag(product, 1);
        }
        for (var i = 0; i < seasonalD; i++)
        {
            product = MultiplyByOneMinusLag(product, period);
        }
        for (var k = 0; k < product.Length; k++)
        {
            product[k] = -product[k];
        }
        product[0] = 0;
        return product;
    }

    private static double[] Lagged(double[] series, int lag)
    {
        if (series.Length <= lag)
        {
            return [];
        }
        var result = new double[series.Length - lag];
        for (var t = 0; t < result.Length; t++)
        {
            result[t] = series[t + lag] - series[t];
        }
        return result;
    }

    private static double[] MultiplyByOneMinusLag(double[] polynomial, int lag)
    {
        var result = new double[polynomial.Length + lag];
        for (var k = 0; k < polynomial.Length; k++)
        {
            result[k] += polynomial[k];
            result[k + lag] -= polynomial[k];
        }
        return result;
    }
}
