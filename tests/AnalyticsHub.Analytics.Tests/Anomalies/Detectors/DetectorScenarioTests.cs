using static AnalyticsHub.Analytics.Tests.Anomalies.Detectors.SyntheticSeries;

namespace AnalyticsHub.Analytics.Tests.Anomalies.Detectors;

/// <summary>
/// Every detector on the constructed series: each detects the events it is built for (score ≥ <see cref="Detected"/>
/// at or shortly after the event) and stays below it everywhere after warm-up on clean data.
/// </summary>
public class DetectorScenarioTests
{
    /// <summary>The detection threshold: 0.5 (a 5σ-like tail) for the tail-calibrated detectors; 0.75 for the
    /// isolation forest and the volatility shift, whose scores have heavier tails on plain noise (about 0.6–0.65).</summary>
    private static double Detected(string name) => name is "isolation-forest" or "volatility-shift" ? 0.75 : 0.5;
    private const int WarmUp = 750; // NAB's longest probation; the seasonal detector's warm-up is 700 points

    [Theory]
    [InlineData("robust-z")]
    [InlineData("iqr")]
    [InlineData("ewma")]
    [InlineData("volatility-shift")]
    [InlineData("autoencoder")]
    [InlineData("ensemble")]
    public void Spike_IsDetectedAtOnce(string name)
    {
        var scores = Scores(DetectorFactories.Create(name), Spike());

        Assert.True(Max(scores, EventAt, EventAt + 2) >= Detected(name), $"{name}: {Max(scores, EventAt, EventAt + 2):F3}");
    }

    [Theory]
    [InlineData("robust-z", 1)]
    [InlineData("iqr", 1)]
    [InlineData("ewma", 1)]
    [InlineData("level-shift", 5)]
    [InlineData("isolation-forest", 5)]
    [InlineData("autoencoder", 2)]
    [InlineData("ensemble", 5)]
    public void LevelShift_IsDetectedWithinPoints(string name, int within)
    {
        var scores = Scores(DetectorFactories.Create(name), LevelShift());

        Assert.True(Max(scores, EventAt, EventAt + within) >= Detected(name), $"{name}: {Max(scores, EventAt, EventAt + within):F3}");
    }

    [Theory]
    [InlineData("trend-change", 60)]
    [InlineData("level-shift", 60)]
    [InlineData("autoencoder", 60)]
    [InlineData("ensemble", 60)]
    public void TrendChange_IsDetectedWithinPoints(string name, int within)
    {
        var scores = Scores(DetectorFactories.Create(name), TrendChange());

        Assert.True(Max(scores, EventAt, EventAt + within) >= Detected(name), $"{name}: {Max(scores, EventAt, EventAt + within):F3}");
    }

    [Theory]
    [InlineData("seasonal")]
    [InlineData("autoencoder")]
    [InlineData("ensemble")]
    public void BrokenSeasonalCycle_IsDetected(string name)
    {
        var scores = Scores(DetectorFactories.Create(name), Seasonal(brokenCycle: true));

        Assert.True(Max(scores, BrokenCycleStart, BrokenCycleStart + 48) >= Detected(name), $"{name}: {Max(scores, BrokenCycleStart, BrokenCycleStart + 48):F3}");
    }

    [Theory]
    [InlineData("robust-z")]
    [InlineData("iqr")]
    public void BrokenSeasonalCycle_IsInvisibleToContextFreeWindows(string name)
    {
        // The flattened peak sits at the series' median: only the time of day makes it odd.
        var scores = Scores(DetectorFactories.Create(name), Seasonal(brokenCycle: true));

        Assert.True(Max(scores, BrokenCycleStart, BrokenCycleStart + 48) < Detected(name));
    }

    [Theory]
    [MemberData(nameof(DetectorFactories.Members), MemberType = typeof(DetectorFactories))]
    public void NoiseOnly_NoDetectionAfterWarmUp(string name)
    {
        for (int seed = 1; seed <= 10; seed++)
        {
            var scores = Scores(DetectorFactories.Create(name), Noise(seed));

            Assert.True(Max(scores, WarmUp, scores.Length) < Detected(name), $"{name}, seed {seed}: {Max(scores, WarmUp, scores.Length):F3}");
        }
    }

    [Theory]
    [MemberData(nameof(DetectorFactories.All), MemberType = typeof(DetectorFactories))]
    public void FlatLine_NoDetection(string name)
    {
        var scores = Scores(DetectorFactories.Create(name), Flat());

        Assert.All(scores, s => Assert.True(s < Detected(name)));
    }

    [Theory]
    [InlineData("seasonal")]
    [InlineData("ensemble")]
    [InlineData("trend-change")]
    [InlineData("ewma")]
    [InlineData("autoencoder")]
    public void CleanSeasonalPattern_NoDetectionAfterWarmUp(string name)
    {
        var scores = Scores(DetectorFactories.Create(name), Seasonal(brokenCycle: false));

        Assert.True(Max(scores, WarmUp, scores.Length) < Detected(name), $"{name}: {Max(scores, WarmUp, scores.Length):F3}");
    }

    [Theory]
    [MemberData(nameof(DetectorFactories.All), MemberType = typeof(DetectorFactories))]
    public void SameSeries_SameScores(string name)
    {
        var values = Spike();

        Assert.Equal(Scores(DetectorFactories.Create(name), values), Scores(DetectorFactories.Create(name), values));
    }

    [Theory]
    [MemberData(nameof(DetectorFactories.All), MemberType = typeof(DetectorFactories))]
    public void Scores_StayInUnitInterval(string name)
    {
        foreach (var values in new[] { Spike(), LevelShift(), TrendChange(), Seasonal(brokenCycle: true) })
        {
            Assert.All(Scores(DetectorFactories.Create(name), values), s => Assert.InRange(s, 0.0, 1.0));
        }
    }

    [Theory]
    [MemberData(nameof(DetectorFactories.All), MemberType = typeof(DetectorFactories))]
    public void Observe_AfterWarmUp_AllocatesNothing(string name)
    {
        var detector = DetectorFactories.Create(name);
        var values = Seasonal(brokenCycle: true);
        for (int i = 0; i < 1000; i++)
        {
            detector.Observe(TimestampOf(i), values[i]);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1000; i < values.Length; i++)
        {
            detector.Observe(TimestampOf(i), values[i]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
