namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>The MA(∞) weights ψ of an ARIMA, y_t = Σ ψⱼ e_{t−j}: with the AR side 1 − Σ arₖ Bᵏ (differencing
/// included) and the MA side 1 + Σ maₖ Bᵏ, ψ₀ = 1 and ψⱼ = maⱼ + Σₖ arₖ ψ_{j−k}. The h-step forecast error variance
/// is σ² Σ_{j&lt;h} ψⱼ².</summary>
internal static class PsiWeights
{
    /// <summary>ψ₀…ψ_{count−1}; <paramref name="ar"/> and <paramref name="ma"/> are indexed by lag (index 0 unused).</summary>
    public static double[] Compute(ReadOnlySpan<double> ar, ReadOnlySpan<double> ma, int count)
    {
        var psi = new double[count];
        psi[0] = 1;
        for (var j = 1; j < count; j++)
        {
            var value = j < ma.Length ? ma[j] : 0;
            var deepest = Math.Min(j, ar.Length - 1);
            for (var k = 1; k <= deepest; k++)
            {
                value += ar[k] * psi[j - k];
            }
            psi[j] = value;
        }
        return psi;
    }

    /// <summary>The AR side of the full model: coefficients of 1 − (1 − Σ arₖ Bᵏ)(1 − Σ integrationₖ Bᵏ).</summary>
    public static double[] WithDifferencing(ReadOnlySpan<double> ar, ReadOnlySpan<double> integration)
    {
        var degree = Math.Max(ar.Length - 1, 0) + Math.Max(integration.Length - 1, 0);
        var product = new double[degree + 1];
        // (1 − A)(1 − I) = 1 − A − I + A·I, so 1 − product = A + I − A·I.
        for (var k = 1; k < ar.Length; k++)
        {
            product[k] += ar[k];
        }
        for (var k = 1; k < integration.Length; k++)
        {
            product[k] += integration[k];
            if (integration[k] == 0)
            {
                continue;
            }
            for (var i = 1; i < ar.Length; i++)
            {
                product[i + k] -= ar[i] * integration[k];
            }
        }
        return product;
    }
}
