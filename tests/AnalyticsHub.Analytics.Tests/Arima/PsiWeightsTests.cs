using AnalyticsHub.Analytics.Forecasting.Arima;

namespace AnalyticsHub.Analytics.Tests.Arima;

public sealed class PsiWeightsTests
{
    [Fact]
    public void Arima111_WeightsWorkedOutByHand()
    {
        // (1 − 0.5B)(1 − B) y = (1 + 0.3B) e: AR side 1 − 1.5B + 0.5B².
        // ψ₁ = 0.3 + 1.5 = 1.8; ψ₂ = 1.5·1.8 − 0.5 = 2.2; ψ₃ = 1.5·2.2 − 0.5·1.8 = 2.4.
        var ar = PsiWeights.WithDifferencing([0, 0.5], Differencing.IntegrationCoefficients(1, 0, 1));
        Assert.Equal([0, 1.5, -0.5], ar);
        var psi = PsiWeights.Compute(ar, [0, 0.3], 4);
        Assert.Equal(1, psi[0], 12);
        Assert.Equal(1.8, psi[1], 12);
        Assert.Equal(2.2, psi[2], 12);
        Assert.Equal(2.4, psi[3], 12);
    }

    [Fact]
    public void RandomWalk_WeightsAreAllOne()
    {
        var psi = PsiWeights.Compute(PsiWeights.WithDifferencing([0], Differencing.IntegrationCoefficients(1, 0, 1)), [0], 5);
        Assert.All(psi, w => Assert.Equal(1, w, 12));
    }

    [Fact]
    public void SeasonalAndRegularDifferencing_MultiplyOut()
    {
        // (1 − B)(1 − B⁴) = 1 − B − B⁴ + B⁵ → y_t = w_t + y_{t−1} + y_{t−4} − y_{t−5}.
        Assert.Equal([0, 1, 0, 0, 1, -1], Differencing.IntegrationCoefficients(1, 1, 4));
        Assert.Equal([2, 2, 2], Differencing.Apply([1, 2, 3, 4, 7, 10, 13, 16], 1, 1, 4)[..3]);
    }
}
