using AnalyticsHub.Analytics.Anomalies.Detectors;
using static AnalyticsHub.Analytics.Tests.Anomalies.Detectors.SyntheticSeries;

namespace AnalyticsHub.Analytics.Tests.Anomalies.Detectors;

/// <summary>
/// The autoencoder detector learns: its reconstruction error falls as it sees a pattern again, so a shape it has learnt
/// scores low and a broken one high, and its expected range narrows (with the learning rate at 0 those three tests
/// fail). The shared scenario tests cover it through <see cref="DetectorFactories.Members"/>.
/// </summary>
public class AutoencoderDetectorTests
{
    [Fact]
    public void ReconstructionError_FallsAsItLearnsARepeatingPattern()
    {
        var detector = new AutoencoderDetector();
        var values = RepeatingPattern(brokenCycle: false);
        var errors = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            detector.Observe(TimestampOf(i), values[i]);
            errors[i] = detector.LastError;
        }

        // The first full window is point 15; one period of windows from there, against the last hundred points.
        double early = errors.AsSpan(15, PatternPeriod).ToArray().Average();
        double late = errors.AsSpan(values.Length - 100).ToArray().Average();
        Assert.True(late < early / 20, $"mean squared error {early:G3} at first, {late:G3} after training");
    }

    [Fact]
    public void BrokenCycle_OfARepeatingPattern_ScoresFarAboveTheSamePlaceUnbroken()
    {
        var broken = Scores(new AutoencoderDetector(), RepeatingPattern(brokenCycle: true));
        var clean = Scores(new AutoencoderDetector(), RepeatingPattern(brokenCycle: false));
        double brokenMax = Max(broken, BrokenPatternStart, BrokenPatternStart + PatternPeriod);
        double cleanMax = Max(clean, BrokenPatternStart, BrokenPatternStart + PatternPeriod);

        Assert.True(brokenMax >= 0.5, $"broken cycle: {brokenMax:F3}");
        Assert.True(cleanMax < 0.2, $"same place, unbroken: {cleanMax:F3}");
    }

    [Fact]
    public void ExpectedRange_IsTheReconstruction_TightOnceLearnt()
    {
        // The triangle spans 50–70: a trained network reconstructs each value to within a few tenths.
        var detector = new AutoencoderDetector();
        var values = RepeatingPattern(brokenCycle: false);
        double widest = 0;
        for (int i = 0; i < values.Length; i++)
        {
            var score = detector.Observe(TimestampOf(i), values[i]);
            if (i >= values.Length - 100)
            {
                Assert.InRange(values[i], score.ExpectedLow, score.ExpectedHigh);
                widest = Math.Max(widest, score.ExpectedHigh - score.ExpectedLow);
            }
        }

        Assert.True(widest < 5, $"widest expected range over the last 100 points: {widest:F3}");
    }

    [Fact]
    public void WarmUp_IsLearningUntilTheErrorBaselineIsFilled()
    {
        var detector = new AutoencoderDetector(warmUp: 384);
        var values = Noise();
        for (int i = 0; i < 384; i++)
        {
            Assert.True(double.IsNaN(detector.Observe(TimestampOf(i), values[i]).ExpectedLow), $"point {i} was scored");
        }

        var first = detector.Observe(TimestampOf(384), values[384]);
        Assert.InRange(100.0, first.ExpectedLow, first.ExpectedHigh);
    }
}
