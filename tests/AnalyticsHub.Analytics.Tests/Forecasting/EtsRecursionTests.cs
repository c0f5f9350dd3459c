using AnalyticsHub.Analytics.Forecasting.Ets;

namespace AnalyticsHub.Analytics.Tests.Forecasting;

/// <summary>The state equations step by step, against values worked out by hand from Hyndman et al. (2008, table 2.3).</summary>
public sealed class EtsRecursionTests
{
    [Fact]
    public void Ann_UpdatesLevelByAlphaTimesError()
    {
        // l0 = 10, α = 0.5. t1: ŷ 10, e 0, l 10. t2: ŷ 10, e 2, l 11. t3: ŷ 11, e 0, l 11.
        double level = 10, trend = 0;
        var residuals = new double[3];
        var pass = EtsRecursion.Run([10, 12, 11], new EtsForm(EtsError.Additive, EtsTrend.None, EtsSeason.None),
            new EtsSmoothing(0.5), ref level, ref trend, [], residuals);
        Assert.True(pass.Valid);
        Assert.Equal([0, 2, 0], residuals);
        Assert.Equal(11, level, 12);
        Assert.Equal(4, pass.SumSquaredErrors, 12);
    }

    [Fact]
    public void Aan_UpdatesLevelAndTrend()
    {
        // l0 = 9, b0 = 1, α = 0.5, β = 0.1; ŷ = l + b, e = y − ŷ, l' = ŷ + αe, b' = b + βe.
        // t1: ŷ 10, e 0 → l 10, b 1.  t2: ŷ 11, e 1 → l 11.5, b 1.1.  t3: ŷ 12.6, e 0.4 → l 12.8, b 1.14.
        double level = 9, trend = 1;
        var residuals = new double[3];
        var pass = EtsRecursion.Run([10, 12, 13], new EtsForm(EtsError.Additive, EtsTrend.Additive, EtsSeason.None),
            new EtsSmoothing(0.5, 0.1), ref level, ref trend, [], residuals);
        Assert.Equal(0, residuals[0], 12);
        Assert.Equal(1, residuals[1], 12);
        Assert.Equal(0.4, residuals[2], 12);
        Assert.Equal(12.8, level, 12);
        Assert.Equal(1.14, trend, 12);
        Assert.Equal(1.16, pass.SumSquaredErrors, 12);
    }

    [Fact]
    public void Aaa_UpdatesLevelTrendAndSeasonWithTheSameError()
    {
        // m = 2, l0 = 10, b0 = 1, s = (−5, 5), α = 0.5, β = 0.1, γ = 0.2; ŷ = l + b + s, l' = l + b + αe,
        // b' = b + βe, s' = s + γe.
        // t1: ŷ 6, e −1 → l 10.5, b 0.9, s1 −5.2.      t2: ŷ 16.4, e −1.4 → l 10.7, b 0.76, s2 4.72.
        // t3: ŷ 6.26, e 0.74 → l 11.83, b 0.834, s1 −5.052.  t4: ŷ 17.384, e −0.384 → l 12.472, b 0.7956, s2 4.6432.
        double level = 10, trend = 1;
        double[] seasonal = [-5, 5];
        var residuals = new double[4];
        EtsRecursion.Run([5, 15, 7, 17], new EtsForm(EtsError.Additive, EtsTrend.Additive, EtsSeason.Additive),
            new EtsSmoothing(0.5, 0.1, 0.2), ref level, ref trend, seasonal, residuals);
        double[] expectedResiduals = [-1, -1.4, 0.74, -0.384];
        for (var t = 0; t < 4; t++)
        {
            Assert.Equal(expectedResiduals[t], residuals[t], 10);
        }
        Assert.Equal(12.472, level, 10);
        Assert.Equal(0.7956, trend, 10);
        Assert.Equal(-5.052, seasonal[0], 10);
        Assert.Equal(4.6432, seasonal[1], 10);
    }

    [Fact]
    public void Mnm_UpdatesByRelativeError()
    {
        // m = 2, l0 = 10, s = (0.5, 1.5), α = 0.5, γ = 0.2; ŷ = l·s, ε = (y − ŷ)/ŷ, l' = l(1 + αε), s' = s(1 + γε).
        // t1: ŷ 5, ε 0.2 → l 11, s1 0.52.  t2: ŷ 16.5, ε −1/11 → l 10.5, s2 1.5(1 − 0.2/11).
        double level = 10, trend = 0;
        double[] seasonal = [0.5, 1.5];
        var pass = EtsRecursion.Run([6, 15], new EtsForm(EtsError.Multiplicative, EtsTrend.None, EtsSeason.Multiplicative),
            new EtsSmoothing(0.5, Gamma: 0.2), ref level, ref trend, seasonal, []);
        Assert.Equal(10.5, level, 10);
        Assert.Equal(0.52, seasonal[0], 10);
        Assert.Equal(1.5 * (1 - 0.2 / 11), seasonal[1], 10);
        Assert.Equal(0.04 + 1.0 / 121, pass.SumSquaredErrors, 10);
        Assert.Equal(Math.Log(5) + Math.Log(16.5), pass.SumLogForecasts, 10);
    }

    [Fact]
    public void MultiplicativeError_WithNonPositiveForecast_IsInvalid()
    {
        double level = -1, trend = 0;
        var pass = EtsRecursion.Run([1, 2], new EtsForm(EtsError.Multiplicative, EtsTrend.None, EtsSeason.None),
            new EtsSmoothing(0.5), ref level, ref trend, [], []);
        Assert.False(pass.Valid);
    }
}
