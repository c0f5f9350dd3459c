namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>Maps unconstrained reals to the coefficients of a polynomial 1 − Σ φⱼ Bʲ whose roots lie outside the
/// unit circle (Jones, 1980): each real goes through tanh to a partial autocorrelation in (−1, 1), and the
/// Durbin–Levinson recursion turns those into coefficients. Optimising in the unconstrained space keeps every AR
/// part stationary and every MA part invertible without rejecting steps.</summary>
internal static class ReflectionTransform
{
    /// <summary>Writes the AR coefficients φ₁…φₖ for the unconstrained values <paramref name="free"/> (k of them).</summary>
    public static void ToCoefficients(ReadOnlySpan<double> free, Span<double> coefficients)
    {
        var k = free.Length;
        // k ≤ a few: the previous step's coefficients fit on the stack.
        Span<double> previous = stackalloc double[k];
        for (var order = 0; order < k; order++)
        {
            var reflection = Math.Tanh(free[order]);
            coefficients[..order].CopyTo(previous);
            for (var j = 0; j < order; j++)
            {
                coefficients[j] = previous[j] - reflection * previous[order - 1 - j];
            }
            coefficients[order] = reflection;
        }
    }

    /// <summary>The inverse map: unconstrained values for stationary coefficients (step-down recursion).
    /// Returns false when the polynomial is not stationary (some partial autocorrelation outside (−1, 1)).</summary>
    public static bool TryToFree(ReadOnlySpan<double> coefficients, Span<double> free)
    {
        var k = coefficients.Length;
        Span<double> current = stackalloc double[k];
        Span<double> previous = stackalloc double[k];
        coefficients.CopyTo(current);
        for (var order = k - 1; order >= 0; order--)
        {
            var reflection = current[order];
            if (!(Math.Abs(reflection) < 1))
            {
                return false;
            }
            free[order] = Math.Atanh(reflection);
            var scale = 1 - reflection * reflection;
            current[..order].CopyTo(previous);
            for (var j = 0; j < order; j++)
            {
                current[j] = (previous[j] + reflection * previous[order - 1 - j]) / scale;
            }
        }
        return true;
    }
}
