using AnalyticsHub.Analytics.Forecasting.Arima;

namespace AnalyticsHub.Analytics.Tests.Arima;

public sealed class KpssTests
{
    [Fact]
    public void Statistic_WithoutLags_WorkedOutByHand()
    {
        // 1..5: e = −2, −1, 0, 1, 2; partial sums −2, −3, −3, −2, 0 → Σ S² = 26; σ̂² = 10/5 = 2; η = 26 / (25·2).
        Assert.Equal(0.52, Kpss.LevelStatistic([1, 2, 3, 4, 5], 0), 12);
    }

    [Fact]
    public void Statistic_WithOneBartlettLag_WorkedOutByHand()
    {
        // Lag-1 autocovariance sum Σ e_t e_{t−1} = 2 + 0 + 0 + 2 = 4, weight 1 − 1/2:
        // σ̂² = (10 + 2·0.5·4) / 5 = 2.8; η = 26 / (25·2.8).
        Assert.Equal(26 / (25 * 2.8), Kpss.LevelStatistic([1, 2, 3, 4, 5], 1), 12);
    }

    [Fact]
    public void DefaultLags_FollowNdiffs()
    {
        Assert.Equal(6, Kpss.DefaultLags(900)); // ⌊3·30/13⌋
        Assert.Equal(2, Kpss.DefaultLags(100)); // ⌊30/13⌋
    }

    [Fact]
    public void WhiteNoise_NeedsNoDifference()
    {
        Assert.Equal(0, Kpss.NumberOfDifferences(ArimaTestSeries.Gaussian(500, seed: 3)));
    }

    [Fact]
    public void RandomWalk_NeedsOneDifference()
    {
        Assert.Equal(1, Kpss.NumberOfDifferences(ArimaTestSeries.RandomWalk(500, seed: 4)));
    }

    [Fact]
    public void QuadraticTrend_NeedsTwoDifferences()
    {
        var series = new double[400];
        var walk = ArimaTestSeries.RandomWalk(400, seed: 5);
        for (var t = 1; t < series.Length; t++)
        {
            series[t] = series[t - 1] + walk[t];
        }
        Assert.Equal(2, Kpss.NumberOfDifferences(series));
    }
}
