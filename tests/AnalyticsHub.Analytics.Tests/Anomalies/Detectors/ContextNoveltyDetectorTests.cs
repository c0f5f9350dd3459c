using AnalyticsHub.Analytics.Anomalies.Detectors;
using static AnalyticsHub.Analytics.Tests.Anomalies.Detectors.SyntheticSeries;

namespace AnalyticsHub.Analytics.Tests.Anomalies.Detectors;

/// <summary>
/// The contextual-novelty detector on constructed series. Its score is the share of the point's contexts that are new
/// (a context seen n times counts 1/(1 + n)); it is 1 exactly when the point's level is new. The shared scenario tests
/// (flat line, determinism, unit interval, no allocation) cover it through <see cref="DetectorFactories.All"/>.
/// </summary>
public class ContextNoveltyDetectorTests
{
    private const int WarmUp = 750;

    [Fact]
    public void Spike_IsANewLevel()
    {
        var scores = Scores(new ContextNoveltyDetector(), Spike());

        Assert.Equal(1.0, scores[EventAt]);
    }

    [Fact]
    public void ModerateSpike_InsideTheGrid_IsANewLevel()
    {
        // 5σ does not double the range seen, so the grid stays and the spike lands in a bin never visited.
        var scores = Scores(new ContextNoveltyDetector(), Spike(height: 5));

        Assert.Equal(1.0, scores[EventAt]);
    }

    [Fact]
    public void LevelShift_IsANewLevelAtOnce()
    {
        var scores = Scores(new ContextNoveltyDetector(), LevelShift());

        Assert.Equal(1.0, scores[EventAt]);
    }

    [Fact]
    public void BrokenCycle_OfARepeatingPattern_IsDetected()
    {
        var clean = Scores(new ContextNoveltyDetector(), RepeatingPattern(brokenCycle: false));
        var values = RepeatingPattern(brokenCycle: true);
        var broken = Scores(new ContextNoveltyDetector(), values);
        double brokenMax = Max(broken, BrokenPatternStart, BrokenPatternStart + PatternPeriod);

        // Every value of the broken cycle lies inside the range the series has shown: only the order is new.
        var cycle = values.AsSpan(BrokenPatternStart, PatternPeriod).ToArray();
        Assert.InRange(cycle.Min(), values.Take(BrokenPatternStart).Min(), values.Take(BrokenPatternStart).Max());
        Assert.InRange(cycle.Max(), values.Take(BrokenPatternStart).Min(), values.Take(BrokenPatternStart).Max());
        Assert.True(Max(clean, WarmUp, clean.Length) < 0.5, $"clean pattern: {Max(clean, WarmUp, clean.Length):F3}");
        Assert.True(brokenMax >= 0.5, $"broken cycle: {brokenMax:F3}");
    }

    [Fact]
    public void WarmUpPoints_AreLearntAsContexts()
    {
        // An exact sawtooth of period 16: the 64 warm-up points hold four periods, so once they are learnt nothing after
        // them is new (had they only set the grid, the first scored points would all be new levels).
        var values = Enumerable.Range(0, 400).Select(i => (double)(i % 16)).ToArray();
        var scores = Scores(new ContextNoveltyDetector(), values);

        Assert.True(double.IsNaN(new ContextNoveltyDetector().Observe(0, 1).ExpectedLow)); // learning during warm-up
        Assert.True(Max(scores, 64, scores.Length) < 0.5, $"{Max(scores, 64, scores.Length):F3}");
    }

    [Fact]
    public void FlatLine_IsNeverNovelAfterItsFirstContexts()
    {
        var scores = Scores(new ContextNoveltyDetector(), Flat());

        Assert.All(scores, s => Assert.True(s < 0.5));
        Assert.True(scores[^1] < 0.01, $"{scores[^1]:F4}");
    }

    [Fact]
    public void NoiseOnly_NewLevelsOnlyInTheFarTails()
    {
        // In white noise most long contexts are new (the raw score hovers around 0.6: the ensemble's surprise step
        // calibrates it per series), but the level itself is new only far out in the tails, where the noise reaches a
        // bin of the range it has not visited yet: 0 to 4 times per run here, never within 2.5σ of the mean.
        // 2,000 points of noise make about 3,500 contexts, fewer than a memory generation: nothing is forgotten here.
        for (int seed = 1; seed <= 10; seed++)
        {
            var values = Noise(seed);
            var scores = Scores(new ContextNoveltyDetector(), values);
            int newLevels = 0;
            for (int i = WarmUp; i < values.Length; i++)
            {
                if (scores[i] >= 1.0)
                {
                    newLevels++;
                    Assert.True(Math.Abs(values[i] - 100) > 2.5, $"seed {seed}, point {i}: {values[i]:F3} is a new level");
                }
            }

            Assert.True(newLevels <= 5, $"seed {seed}: {newLevels} new levels in {values.Length - WarmUp} points");
        }
    }

    [Fact]
    public void LongRandomSeries_MemoryStaysWithinItsCap()
    {
        var detector = new ContextNoveltyDetector();
        var random = new Random(9);
        int most = 0;
        for (int i = 0; i < 200_000; i++)
        {
            detector.Observe(TimestampOf(i), random.NextDouble() * 1000);
            most = Math.Max(most, detector.ContextCount);
        }

        Assert.True(most <= detector.ContextCapacity, $"{most} contexts held, cap {detector.ContextCapacity}");
        Assert.True(most > detector.ContextCapacity / 2, $"{most}: the memory never filled, so the cap was not exercised");
    }

    [Fact]
    public void SameSeries_SameScores()
    {
        var values = RepeatingPattern(brokenCycle: true);

        Assert.Equal(Scores(new ContextNoveltyDetector(), values), Scores(new ContextNoveltyDetector(), values));
    }
}
