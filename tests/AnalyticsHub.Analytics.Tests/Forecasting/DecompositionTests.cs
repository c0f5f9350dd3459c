using AnalyticsHub.Analytics.Forecasting;
using AnalyticsHub.Analytics.Forecasting.Decomposition;
using AnalyticsHub.Analytics.Forecasting.Ets;

namespace AnalyticsHub.Analytics.Tests.Forecasting;

public sealed class DecompositionTests
{
    [Fact]
    public void CenteredMovingAverage_EvenPeriod_HalfWeightsTheEnds()
    {
        // 2×4 MA at t = 2: (½·1 + 2 + 3 + 4 + ½·5)/4 = 3.
        var result = new double[6];
        CenteredMovingAverage.Compute([1, 2, 3, 4, 5, 9], 4, result);
        Assert.True(double.IsNaN(result[1]));
        Assert.Equal(3, result[2], 12);
        Assert.Equal((0.5 * 2 + 3 + 4 + 5 + 0.5 * 9) / 4, result[3], 12);
        Assert.True(double.IsNaN(result[4]));
    }

    [Fact]
    public void CenteredMovingAverage_OddPeriod_IsThePlainMean()
    {
        var result = new double[5];
        CenteredMovingAverage.Compute([1, 2, 6, 4, 5], 3, result);
        Assert.Equal([3, 4, 5], result[1..4]);
    }

    [Fact]
    public void ClassicalDecomposition_RecoversAdditiveIndicesOfATrendPlusSeason()
    {
        double[] season = [-3, 1, 2];
        var y = Enumerable.Range(0, 30).Select(t => 0.5 * t + season[t % 3]).ToArray();
        var indices = ClassicalDecomposition.SeasonalIndices(y, 3, multiplicative: false);
        for (var j = 0; j < 3; j++)
        {
            Assert.Equal(season[j], indices[j], 10);
        }
    }

    [Fact]
    public void MultiSeasonalDecomposition_SeparatesTwoPeriods_AndForecastsThemBack()
    {
        // Level 50 plus a period-4 and a period-12 pattern, each summing to 0 over its cycle.
        double[] shortSeason = [3, -1, -4, 2];
        var longSeason = Enumerable.Range(0, 12).Select(j => 5 * Math.Sin(2 * Math.PI * j / 12)).ToArray();
        var y = Enumerable.Range(0, 120).Select(t => 50 + shortSeason[t % 4] + longSeason[t % 12]).ToArray();
        var components = MultiSeasonalDecomposition.Decompose(y, [4, 12]);
        Assert.Equal([4, 12], components.Periods);
        // The moving-average smoother is not exact where a window is cut by the ends: within 0.15 of the level
        // (the patterns' amplitude is 5).
        Assert.All(components.Adjusted, a => Assert.InRange(a, 49.85, 50.15));

        var forecast = new double[12];
        components.AddForecast(forecast);
        for (var h = 0; h < 12; h++)
        {
            Assert.Equal(shortSeason[(120 + h) % 4] + longSeason[(120 + h) % 12], forecast[h], 0.15);
        }
    }

    [Fact]
    public void MstlModel_ForecastsTheSeasonsPlusTheNonSeasonalModel()
    {
        double[] season = [3, -1, -4, 2];
        var y = Enumerable.Range(0, 80).Select(t => 20 + season[t % 4]).ToArray();
        var forecast = new MstlModel("mstl-ets", new AutoEts(seasonal: false)).Fit(y, new ForecastSpec(4, [4, 40]))!;
        for (var h = 0; h < 4; h++)
        {
            Assert.Equal(20 + season[h], forecast.Point[h], 4);
        }
        Assert.StartsWith("MSTL[4,40]+ETS(", forecast.Model, StringComparison.Ordinal);
    }
}
