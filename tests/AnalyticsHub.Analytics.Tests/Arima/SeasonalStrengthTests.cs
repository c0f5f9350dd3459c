using AnalyticsHub.Analytics.Forecasting.Arima;

namespace AnalyticsHub.Analytics.Tests.Arima;

public sealed class SeasonalStrengthTests
{
    [Fact]
    public void PureSeasonPlusTrend_IsFullyStrong()
    {
        // Linear trend + exact period-4 pattern: the 2×4 moving average removes the pattern and keeps the trend, so
        // the remainder is zero.
        double[] pattern = [3, -1, -4, 2];
        var series = new double[40];
        for (var t = 0; t < series.Length; t++)
        {
            series[t] = 0.5 * t + pattern[t % 4];
        }
        Assert.Equal(1, SeasonalStrength.Compute(series, 4), 10);
        Assert.Equal(1, SeasonalStrength.NumberOfSeasonalDifferences(series, 4));
    }

    [Fact]
    public void WhiteNoise_IsNotSeasonallyDifferenced()
    {
        var noise = ArimaTestSeries.Gaussian(480, seed: 6);
        Assert.True(SeasonalStrength.Compute(noise, 24) < 0.2);
        Assert.Equal(0, SeasonalStrength.NumberOfSeasonalDifferences(noise, 24));
    }

    [Fact]
    public void TooShortForTwoSeasons_HasNoStrength()
    {
        Assert.Equal(0, SeasonalStrength.Compute([1, 2, 3, 1, 2, 3], 3));
    }
}
