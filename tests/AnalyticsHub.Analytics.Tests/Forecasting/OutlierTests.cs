using AnalyticsHub.Analytics.Forecasting.Preprocessing;

namespace AnalyticsHub.Analytics.Tests.Forecasting;

public sealed class OutlierTests
{
    private static double[] NoisyDailyPattern(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length)
            .Select(t => 100 + 0.02 * t + 20 * Math.Sin(2 * Math.PI * t / 24) + (random.NextDouble() - 0.5)).ToArray();
    }

    [Fact]
    public void RunningMedian_IgnoresASpike_AndKeepsAStepSharp()
    {
        double[] x = [1, 1, 9, 1, 1, 5, 5, 5, 5];
        var result = new double[x.Length];
        RunningMedian.Compute(x, 1, result);
        // Ends use the cut window: median(1, 1) = 1 and median(5, 5) = 5.
        Assert.Equal([1, 1, 1, 1, 1, 5, 5, 5, 5], result);
    }

    [Fact]
    public void SpikeInASeasonalSeries_IsFlagged_AndReplacedByTheSeasonalFit()
    {
        var clean = NoisyDailyPattern(24 * 14, seed: 3);
        var y = (double[])clean.Clone();
        y[150] += 60;
        var outliers = new bool[y.Length];
        var expected = new double[y.Length];
        Assert.Equal(1, OutlierCleaner.Detect(y, [24], OutlierCleaner.DefaultThreshold, expected, outliers));
        Assert.True(outliers[150]);

        Assert.Equal(1, OutlierCleaner.Clean(y, [24]));
        // Replaced by trend + season: within the noise (±0.5) and the smoother's error of the clean value.
        Assert.Equal(clean[150], y[150], 1.0);
        for (var t = 0; t < y.Length; t++)
        {
            Assert.Equal(clean[t], y[t], t == 150 ? 1.0 : 0.0);
        }
    }

    [Fact]
    public void CleanSeries_IsLeftUnchanged()
    {
        var y = NoisyDailyPattern(24 * 14, seed: 5);
        var original = (double[])y.Clone();
        Assert.Equal(0, OutlierCleaner.Clean(y, [24]));
        Assert.Equal(original, y);
    }

    [Fact]
    public void LevelShift_IsNotTreatedAsOutliers()
    {
        var y = NoisyDailyPattern(24 * 14, seed: 9);
        for (var t = 200; t < y.Length; t++)
        {
            y[t] += 80;
        }
        var original = (double[])y.Clone();
        Assert.Equal(0, OutlierCleaner.Clean(y, [24]));
        Assert.Equal(original, y);
    }
}
