using AnalyticsHub.Analytics.Forecasting.Learned;

namespace AnalyticsHub.Analytics.Tests.Learned;

public sealed class LagFeaturesTests
{
    [Fact]
    public void Write_TinySeries_MatchesHandComputedFeatures()
    {
        // Periods 2 and 4: lags 1, 2 (1 … m and m) and 4 (2m, the longest period); level window 4.
        double[] y = [1, 2, 3, 4, 5, 6];
        var features = LagFeatures.For(y.Length, [2, 4], minRows: 2)!;
        Assert.Equal(4, features.Lookback);
        Assert.Equal(7, features.Count);

        var level = features.Level(y, 4);
        var x = new double[features.Count];
        features.Write(y, 4, level, x);

        Assert.Equal(2.5, level, 12); // mean of 1, 2, 3, 4
        double[] expected =
        [
            4 / 2.5, 3 / 2.5, 1 / 2.5, // lags 1, 2, 4
            3 / 2.5,                   // mean of the last 3: (2 + 3 + 4) / 3
            3.5 / 2.5,                 // mean of the last m = 2: (3 + 4) / 2
            0, 0,                      // phases 4 mod 2, 4 mod 4
        ];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], x[i], 12);
        }
        Assert.Equal(5 / 2.5, LagFeatures.Target(y, 4, level), 12);
        Assert.Equal(5.0, LagFeatures.Value(level, LagFeatures.Target(y, 4, level)), 12);
    }

    [Fact]
    public void For_ShortHistory_DropsTheLongestPeriodFirst()
    {
        // With period 4 the lookback is 4, leaving 2 rows; asking for 3 drops it to period 2 (lookback 2).
        var features = LagFeatures.For(6, [2, 4], minRows: 3)!;
        Assert.Equal(2, features.Lookback);
        Assert.Equal(2 + 2 + 1, features.Count);
        Assert.Null(LagFeatures.For(6, [2, 4], minRows: 10));
    }

    [Fact]
    public void Level_AllZeros_IsOne()
    {
        var features = LagFeatures.For(8, [2], minRows: 1)!;
        Assert.Equal(1.0, features.Level(new double[8], 4));
    }
}
