using AnalyticsHub.Analytics.Forecasting;
using AnalyticsHub.Analytics.Forecasting.Ets;

namespace AnalyticsHub.Analytics.Tests.Forecasting;

public sealed class EtsForecastTests
{
    private const double Z975 = 1.959963984540054;

    [Fact]
    public void Aaa_ForecastsTrendPlusTheSeasonOfEachStep_WithClassOneVariance()
    {
        // States after the AAA hand example: l 12.472, b 0.7956, s = (−5.052, 4.6432) after 4 observations, σ² = 1.
        // ŷ1 = 12.472 + 0.7956 − 5.052; ŷ2 = 12.472 + 2·0.7956 + 4.6432.
        // v_h = 1 + Σ_{j<h} c_j², c_j = α + βj + γ[j mod 2 = 0]: c1 = 0.6, c2 = 0.9.
        var fit = new EtsFit(new EtsForm(EtsError.Additive, EtsTrend.Additive, EtsSeason.Additive), new EtsSmoothing(0.5, 0.1, 0.2),
            4, 12.472, 0.7956, [-5.052, 4.6432], 1, double.NaN, []);
        var forecast = fit.Forecast(3, 0.95);
        Assert.Equal(8.2156, forecast.Point[0], 10);
        Assert.Equal(18.7064, forecast.Point[1], 10);
        Assert.Equal(Z975, forecast.Upper[0] - forecast.Point[0], 8);
        Assert.Equal(Z975 * Math.Sqrt(1.36), forecast.Upper[1] - forecast.Point[1], 8);
        Assert.Equal(Z975 * Math.Sqrt(1 + 0.36 + 0.81), forecast.Point[2] - forecast.Lower[2], 8);
        Assert.Equal("ETS(A,A,A)", forecast.Model);
    }

    [Fact]
    public void Ses_FlatForecast_WithVarianceGrowingByAlphaSquared()
    {
        // SES (ANN) with α = 0.3: ŷ_h = ℓ_n and v_h = σ²(1 + (h − 1)α²).
        var fit = new EtsFit(new EtsForm(EtsError.Additive, EtsTrend.None, EtsSeason.None), new EtsSmoothing(0.3),
            10, 7.5, 0, [], 4, double.NaN, []);
        var forecast = fit.Forecast(5, 0.95);
        Assert.All(forecast.Point, p => Assert.Equal(7.5, p));
        Assert.Equal(Z975 * 2 * Math.Sqrt(1 + 4 * 0.09), forecast.Upper[4] - 7.5, 8);
    }

    [Fact]
    public void DampedTrend_AddsPhiPowersOfTheTrend()
    {
        // ŷ_h = l + (φ + … + φ^h) b with φ = 0.9, l = 100, b = 10: 109, 117.1, 124.39.
        var fit = new EtsFit(new EtsForm(EtsError.Additive, EtsTrend.Damped, EtsSeason.None), new EtsSmoothing(0.5, 0.1, 0, 0.9),
            10, 100, 10, [], 1, double.NaN, []);
        var forecast = fit.Forecast(3, 0.95);
        Assert.Equal(109, forecast.Point[0], 10);
        Assert.Equal(117.1, forecast.Point[1], 10);
        Assert.Equal(124.39, forecast.Point[2], 10);
    }

    [Fact]
    public void Candidates_LeaveOutAdditiveErrorWithMultiplicativeSeason_AndMultiplicativeFormsForNonPositiveData()
    {
        Assert.Equal(15, EtsForm.Candidates(seasonal: true, positiveData: true).Count);
        Assert.Equal(6, EtsForm.Candidates(seasonal: false, positiveData: true).Count);
        Assert.Equal(6, EtsForm.Candidates(seasonal: true, positiveData: false).Count);
        Assert.DoesNotContain(new EtsForm(EtsError.Additive, EtsTrend.None, EtsSeason.Multiplicative), EtsForm.Candidates(true, true));
    }

    [Fact]
    public void Estimator_RecoversTheSmoothingParameterOfASimulatedSes()
    {
        // Level random walk observed with noise: y_t = ℓ_{t−1} + e_t, ℓ_t = ℓ_{t−1} + 0.3 e_t.
        var random = new Random(7);
        var y = new double[2000];
        var level = 50.0;
        for (var t = 0; t < y.Length; t++)
        {
            var e = Gaussian(random);
            y[t] = level + e;
            level += 0.3 * e;
        }
        var fit = EtsEstimator.Fit(y, new EtsForm(EtsError.Additive, EtsTrend.None, EtsSeason.None), 1)!;
        Assert.InRange(fit.Smoothing.Alpha, 0.25, 0.35);
        Assert.InRange(fit.Sigma2, 0.9, 1.1);
    }

    [Fact]
    public void AutoEts_OnAStrongSeasonalPattern_PicksASeasonalForm_AndRepeatsTheSeason()
    {
        double[] pattern = [10, 20, 30, 20];
        var y = Enumerable.Range(0, 40).Select(t => pattern[t % 4] + 0.01 * (t % 3)).ToArray();
        var forecast = new AutoEts().Fit(y, new ForecastSpec(4, [4]))!;
        Assert.Contains(",A)", forecast.Model.Replace(",M)", ",A)", StringComparison.Ordinal), StringComparison.Ordinal);
        for (var h = 0; h < 4; h++)
        {
            Assert.Equal(pattern[h], forecast.Point[h], 0);
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
