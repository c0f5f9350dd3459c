namespace AnalyticsHub.Analytics.Forecasting.Prophet;

/// <summary>Solves a symmetric positive-definite system A x = b through A = L·Lᵀ, in place on row-major spans. The
/// systems here have tens of unknowns and are solved many times per fit, so a plain loop that allocates nothing
/// beats building library matrices.</summary>
internal static class Cholesky
{
    /// <summary>Overwrites the lower triangle of the p×p matrix <paramref name="a"/> (only that triangle is read)
    /// with L. False when <paramref name="a"/> is not numerically positive definite.</summary>
    public static bool Factor(Span<double> a, int p)
    {
        for (var j = 0; j < p; j++)
        {
            var rowJ = a.Slice(j * p, p);
            var diagonal = rowJ[j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= rowJ[k] * rowJ[k];
            }
            if (!(diagonal > 0))
            {
                return false;
            }
            var pivot = Math.Sqrt(diagonal);
            rowJ[j] = pivot;
            for (var i = j + 1; i < p; i++)
            {
                var rowI = a.Slice(i * p, p);
                var sum = rowI[j];
                for (var k = 0; k < j; k++)
                {
                    sum -= rowI[k] * rowJ[k];
                }
                rowI[j] = sum / pivot;
            }
        }
        return true;
    }

    /// <summary>Solves L·Lᵀ x = b with the factor from <see cref="Factor"/>; <paramref name="x"/> holds b on entry.</summary>
    public static void Solve(ReadOnlySpan<double> factor, int p, Span<double> x)
    {
        for (var i = 0; i < p; i++)
        {
            var sum = x[i];
            for (var k = 0; k < i; k++)
            {
                sum -= factor[i * p + k] * x[k];
            }
            x[i] = sum / factor[i * p + i];
        }
        for (var i = p - 1; i >= 0; i--)
        {
            var sum = x[i];
            for (var k = i + 1; k < p; k++)
            {
                sum -= factor[k * p + i] * x[k];
            }
            x[i] = sum / factor[i * p + i];
        }
    }
}
