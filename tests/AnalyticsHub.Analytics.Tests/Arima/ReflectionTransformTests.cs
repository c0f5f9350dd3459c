using AnalyticsHub.Analytics.Forecasting.Arima;

namespace AnalyticsHub.Analytics.Tests.Arima;

public sealed class ReflectionTransformTests
{
    [Fact]
    public void SingleCoefficient_IsTanhOfTheFreeValue()
    {
        Span<double> phi = stackalloc double[1];
        ReflectionTransform.ToCoefficients([0.5], phi);
        Assert.Equal(Math.Tanh(0.5), phi[0], 12);
    }

    [Fact]
    public void TwoCoefficients_FollowDurbinLevinson()
    {
        // Partial autocorrelations r₁ = 0.5, r₂ = −0.3: φ₂ = r₂, φ₁ = r₁ − r₂ r₁ = 0.5 + 0.15 = 0.65.
        Span<double> phi = stackalloc double[2];
        ReflectionTransform.ToCoefficients([Math.Atanh(0.5), Math.Atanh(-0.3)], phi);
        Assert.Equal(0.65, phi[0], 12);
        Assert.Equal(-0.3, phi[1], 12);
    }

    [Fact]
    public void Inverse_RecoversTheFreeValues()
    {
        double[] free = [0.4, -1.2, 0.7];
        Span<double> coefficients = stackalloc double[3];
        Span<double> back = stackalloc double[3];
        ReflectionTransform.ToCoefficients(free, coefficients);
        Assert.True(ReflectionTransform.TryToFree(coefficients, back));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(free[i], back[i], 10);
        }
    }

    [Fact]
    public void Inverse_RejectsANonStationaryPolynomial()
    {
        // 1 − 1.2B has its root inside the unit circle.
        Span<double> free = stackalloc double[1];
        Assert.False(ReflectionTransform.TryToFree([1.2], free));
    }
}
