using AnalyticsHub.Analytics.Forecasting;
using AnalyticsHub.Analytics.Forecasting.Benchmarks;
using AnalyticsHub.Analytics.Forecasting.Decomposition;
using AnalyticsHub.Analytics.Forecasting.Theta;

namespace AnalyticsHub.Analytics.Tests.Forecasting;

public sealed class ThetaTests
{
    [Fact]
    public void Theta_OnAStraightLine_AddsHalfTheSlopeAsDrift()
    {
        // y = 1 … 10 has slope 1. SES tracks a trending line with α at its bound 0.9999, so ℓ_n ≈ 10 (one step
        // behind by (1 − α)/α) and the drift is ½(h − 1 + (1 − (1 − α)^n)/α) ≈ ½h: ŷ ≈ 10.5, 11, 11.5.
        var y = Enumerable.Range(1, 10).Select(t => (double)t).ToArray();
        var forecast = new ThetaModel().Fit(y, new ForecastSpec(3, []))!;
        Assert.Equal(10.5, forecast.Point[0], 2);
        Assert.Equal(11.0, forecast.Point[1], 2);
        Assert.Equal(11.5, forecast.Point[2], 2);
        Assert.Equal("Theta", forecast.Model);
    }

    [Fact]
    public void Theta_OnASeasonalSeries_RemovesAndRestoresMultiplicativeIndices()
    {
        // Constant level 100 times a season (0.5, 1.5, 1, 1): adjusted series is flat at 100, so forecasts are the
        // indices times 100.
        double[] season = [0.5, 1.5, 1, 1];
        var y = Enumerable.Range(0, 48).Select(t => 100 * season[t % 4]).ToArray();
        var forecast = new ThetaModel().Fit(y, new ForecastSpec(4, [4]))!;
        for (var h = 0; h < 4; h++)
        {
            Assert.Equal(100 * season[h], forecast.Point[h], 6);
        }
        Assert.Equal("Theta[4]", forecast.Model);
    }

    [Fact]
    public void SeasonalityTest_FindsTheSeasonOfAPattern_AndNoneInNoise()
    {
        double[] season = [1, 5, 3, 8];
        var seasonal = Enumerable.Range(0, 60).Select(t => season[t % 4]).ToArray();
        var random = new Random(3);
        var noise = Enumerable.Range(0, 60).Select(_ => random.NextDouble()).ToArray();
        Assert.True(SeasonalityTest.IsSeasonal(seasonal, 4));
        Assert.False(SeasonalityTest.IsSeasonal(noise, 4));
    }

    [Fact]
    public void Naive2_RepeatsTheLastAdjustedValue()
    {
        var forecast = new Naive2().Fit([3, 1, 4, 1, 5], new ForecastSpec(3, []))!;
        Assert.Equal([5, 5, 5], forecast.Point);
    }

    [Fact]
    public void Ses_OnAConstantSeries_ForecastsTheConstant()
    {
        var forecast = new SesBenchmark().Fit(Enumerable.Repeat(42.0, 30).ToArray(), new ForecastSpec(2, []))!;
        Assert.Equal(42, forecast.Point[0], 6);
    }
}
