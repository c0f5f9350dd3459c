using AnalyticsHub.Analytics.Anomalies;
using AnalyticsHub.Analytics.Anomalies.Baselines;

namespace AnalyticsHub.Analytics.Tests.Anomalies.Nab;

/// <summary>The two NAB reference detectors and their catalog entries.</summary>
public sealed class NabBaselineTests
{
    [Fact]
    public void WindowedGaussian_ScoresASpikeNearOne_AndTypicalPointsLow()
    {
        var detector = new WindowedGaussianDetector();
        Assert.Equal(0, detector.Observe(0, 10).Score);
        var typical = 0.0;
        for (var t = 1; t < 500; t++)
        {
            // The first points score high by design: NAB's baseline has a near-zero deviation until data arrives.
            var score = detector.Observe(t, 10 + (t % 5)).Score;
            typical = t >= 50 ? Math.Max(typical, score) : typical;
        }
        var spike = detector.Observe(500, 40);
        Assert.True(spike.Score > 0.999999, $"spike scored {spike.Score}");
        Assert.True(typical < 0.99, $"typical max {typical}");
        Assert.InRange(spike.ExpectedLow, 5, 12);
        Assert.InRange(spike.ExpectedHigh, 12, 19);
    }

    [Fact]
    public void WindowedGaussian_OnceFull_RefreshesEveryStep()
    {
        var detector = new WindowedGaussianDetector();
        for (var t = 0; t < WindowedGaussianDetector.WindowSize; t++)
        {
            detector.Observe(t, t % 2);
        }
        // A new level is not learned until StepSize points have arrived, then the mean moves towards it.
        var before = detector.Observe(0, 5).ExpectedHigh;
        for (var t = 1; t < WindowedGaussianDetector.StepSize; t++)
        {
            Assert.Equal(before, detector.Observe(t, 5).ExpectedHigh);
        }
        Assert.True(detector.Observe(0, 5).ExpectedHigh > before);
    }

    [Fact]
    public void Random_IsUniformAndReproducible()
    {
        var first = new RandomDetector();
        var second = new RandomDetector();
        var scores = Enumerable.Range(0, 10_000).Select(t => first.Observe(t, 0).Score).ToArray();
        Assert.Equal(scores.Take(100), Enumerable.Range(0, 100).Select(t => second.Observe(t, 0).Score));
        Assert.All(scores, s => Assert.InRange(s, 0, 1));
        Assert.InRange(scores.Average(), 0.48, 0.52);
    }

    [Fact]
    public void Catalog_CreatesFreshBaselinesByName()
    {
        Assert.IsType<WindowedGaussianDetector>(AnomalyDetectorCatalog.Create("windowed-gaussian"));
        Assert.IsType<RandomDetector>(AnomalyDetectorCatalog.Create("random"));
        Assert.NotSame(AnomalyDetectorCatalog.Create("random"), AnomalyDetectorCatalog.Create("random"));
        Assert.Null(AnomalyDetectorCatalog.Create("no-such-detector"));
        Assert.True(AnomalyDetectorCatalog.Factories.ContainsKey(AnomalyDetectorCatalog.DefaultName));
        Assert.Equal("windowed-gaussian", AnomalyDetectorCatalog.Create("windowed-gaussian")!.Name);
        Assert.Equal("random", AnomalyDetectorCatalog.Create("random")!.Name);
    }
}
