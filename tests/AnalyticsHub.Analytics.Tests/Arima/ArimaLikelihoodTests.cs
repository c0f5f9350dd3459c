using AnalyticsHub.Analytics.Forecasting.Arima;
using MathNet.Numerics.LinearAlgebra;

namespace AnalyticsHub.Analytics.Tests.Arima;

/// <summary>The Kalman-filter likelihood against the Gaussian density written out with the model's autocovariance
/// matrix: −2 log L = n log(2π σ̂²) + log det Γ + n, with σ̂² = zᵀΓ⁻¹z / n and Γ the autocovariances for σ² = 1.</summary>
public sealed class ArimaLikelihoodTests
{
    private static readonly double[] Series = [0.3, -1.1, 0.8, 1.9, 0.2, -0.7, -1.4, 0.5, 1.2, -0.3];

    [Fact]
    public void Ar1_MatchesTheClosedForm()
    {
        // AR(1): −2 log L = n log(2π σ̂²) − log(1 − φ²) + n, σ̂² = ((1 − φ²) z₁² + Σ (z_t − φ z_{t−1})²) / n.
        const double phi = 0.6;
        var n = Series.Length;
        var sum = (1 - phi * phi) * Series[0] * Series[0];
        for (var t = 1; t < n; t++)
        {
            sum += Math.Pow(Series[t] - phi * Series[t - 1], 2);
        }
        var expected = n * Math.Log(2 * Math.PI * sum / n) - Math.Log(1 - phi * phi) + n;
        var actual = MinusTwoLogLikelihood(new ArimaOrder(1, 0, 0, 0, 0, 0, 1, false), [Math.Atanh(phi)], out var sigma2);
        Assert.Equal(expected, actual, 9);
        Assert.Equal(sum / n, sigma2, 12);
    }

    [Fact]
    public void Arma11_MatchesTheGaussianDensity()
    {
        const double phi = 0.5, theta = 0.4;
        var gamma = new double[Series.Length];
        gamma[0] = (1 + 2 * phi * theta + theta * theta) / (1 - phi * phi);
        gamma[1] = (1 + phi * theta) * (phi + theta) / (1 - phi * phi);
        for (var k = 2; k < gamma.Length; k++)
        {
            gamma[k] = phi * gamma[k - 1];
        }
        var actual = MinusTwoLogLikelihood(new ArimaOrder(1, 0, 1, 0, 0, 0, 1, false), [Math.Atanh(phi), Math.Atanh(-theta)], out _);
        Assert.Equal(GaussianMinusTwoLogLikelihood(gamma), actual, 8);
    }

    [Fact]
    public void SeasonalMa_MatchesTheGaussianDensity()
    {
        // (1 + 0.4B)(1 − 0.5B⁴) = 1 + 0.4B − 0.5B⁴ − 0.2B⁵: γ_k = Σ ψⱼ ψⱼ₊ₖ.
        double[] psi = [1, 0.4, 0, 0, -0.5, -0.2];
        var gamma = new double[Series.Length];
        for (var k = 0; k < psi.Length; k++)
        {
            for (var j = 0; j + k < psi.Length; j++)
            {
                gamma[k] += psi[j] * psi[j + k];
            }
        }
        var order = new ArimaOrder(0, 0, 1, 0, 0, 1, 4, false);
        var actual = MinusTwoLogLikelihood(order, [Math.Atanh(-0.4), Math.Atanh(0.5)], out _);
        Assert.Equal(GaussianMinusTwoLogLikelihood(gamma), actual, 8);
    }

    [Fact]
    public void ExactRefit_OfAr1_SitsAtTheMinimumOfTheClosedForm()
    {
        var z = ArimaTestSeries.Ar1(300, 0.6, seed: 8);
        var order = new ArimaOrder(1, 0, 0, 0, 0, 0, 1, false);
        var fit = ArimaFitter.RefineExact(ArimaFitter.FitConditional(order, z, 1)!, z, 30);
        Assert.True(fit.Exact);
        var phi = fit.Polynomials().Phi[0];
        var atOptimum = ClosedFormAr1(z, phi);
        Assert.Equal(atOptimum, fit.MinusTwoLogLikelihood, 6);
        Assert.True(ClosedFormAr1(z, phi - 1e-3) > atOptimum);
        Assert.True(ClosedFormAr1(z, phi + 1e-3) > atOptimum);
    }

    private static double ClosedFormAr1(double[] z, double phi)
    {
        var sum = (1 - phi * phi) * z[0] * z[0];
        for (var t = 1; t < z.Length; t++)
        {
            sum += Math.Pow(z[t] - phi * z[t - 1], 2);
        }
        return z.Length * (Math.Log(2 * Math.PI * sum / z.Length) + 1) - Math.Log(1 - phi * phi);
    }

    private static double MinusTwoLogLikelihood(ArimaOrder order, double[] parameters, out double sigma2) =>
        new ExactLikelihoodObjective(new ArmaPolynomials(order), Series).MinusTwoLogLikelihood(parameters, out sigma2);

    private static double GaussianMinusTwoLogLikelihood(double[] autocovariances)
    {
        var n = Series.Length;
        var gamma = Matrix<double>.Build.Dense(n, n, (i, j) => autocovariances[Math.Abs(i - j)]);
        var z = Vector<double>.Build.DenseOfArray(Series);
        var sigma2 = z.DotProduct(gamma.Solve(z)) / n;
        return n * Math.Log(2 * Math.PI * sigma2) + Math.Log(gamma.Determinant()) + n;
    }
}
