namespace AnalyticsHub.Analytics.Forecasting.Preprocessing;

/// <summary>The Box–Cox power transform for positive data: (y^λ − 1) / λ, or log y at λ = 0.</summary>
public static class BoxCox
{
    public static double Transform(double y, double lambda) =>
        lambda == 0 ? Math.Log(y) : (Math.Pow(y, lambda) - 1) / lambda;

    /// <summary>The inverse; where λz + 1 ≤ 0 (outside the transform's range) it returns 0.</summary>
    public static double Inverse(double z, double lambda)
    {
        if (lambda == 0)
        {
            return Math.Exp(z);
        }
        var basis = lambda * z + 1;
        return basis > 0 ? Math.Pow(basis, 1 / lambda) : 0;
    }

    public static void Transform(ReadOnlySpan<double> y, double lambda, Span<double> result)
    {
        for (var t = 0; t < y.Length; t++)
        {
            result[t] = Transform(y[t], lambda);
        }
    }

    public static void InverseInPlace(Span<double> z, double lambda)
    {
        for (var t = 0; t < z.Length; t++)
        {
            z[t] = Inverse(z[t], lambda);
        }
    }
}
