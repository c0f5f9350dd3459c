using AnalyticsHub.Analytics.Anomalies.Detectors;
using AnalyticsHub.Analytics.Anomalies.Ensemble;
using static AnalyticsHub.Analytics.Tests.Anomalies.Detectors.SyntheticSeries;

namespace AnalyticsHub.Analytics.Tests.Anomalies.Ensemble;

public class EnsembleDetectorTests
{
    [Fact]
    public void Spike_VerdictExplainsDeviationSeverityAndFiredDetectors()
    {
        var detector = new EnsembleDetector();
        var values = Spike(height: 12);
        for (int i = 0; i < EventAt; i++)
        {
            detector.Observe(TimestampOf(i), values[i]);
        }

        var score = detector.Observe(TimestampOf(EventAt), values[EventAt]);
        var verdict = detector.Explain();

        Assert.Equal(score.Score, verdict.Score);
        Assert.True(verdict.Severity >= AnomalySeverity.Medium, $"{verdict.Severity} at {verdict.Score:F3}");
        Assert.Contains("robust-z", verdict.Fired);
        Assert.Contains("ewma", verdict.Fired);
        Assert.Equal(0.5, verdict.Confidence); // 3 of the 6 voting members (the seasonal one abstains: no period)
        Assert.InRange(verdict.ExpectedLow, 95, 100);
        Assert.InRange(verdict.ExpectedHigh, 100, 105);
        Assert.Equal("value 111.1 is 11.8σ above the 1.8-day median (expected 97.3–102.9); fired: robust-z, iqr, ewma", verdict.Explanation);
    }

    [Fact]
    public void OrdinaryPoint_VerdictIsNormal()
    {
        var detector = new EnsembleDetector();
        var values = Noise(seed: 3);
        for (int i = 0; i < 1000; i++)
        {
            detector.Observe(TimestampOf(i), values[i]);
        }

        var verdict = detector.Explain();

        Assert.Equal(AnomalySeverity.None, verdict.Severity);
        Assert.Empty(verdict.Fired);
        Assert.EndsWith("; normal", verdict.Explanation);
        Assert.Equal(1.0, verdict.Confidence); // every voting member agrees the point is normal
    }

    [Fact]
    public void NoiseOnly_NeverReachesMediumSeverityAfterWarmUp()
    {
        // The ensemble judges surprise relative to the series' own history, so plain noise does produce an occasional
        // Low report (5 of these 10 runs reach 0.5 once, at most 0.70): about one per 2,500 points. Never Medium.
        for (int seed = 1; seed <= 10; seed++)
        {
            var scores = Scores(new EnsembleDetector(), Noise(seed));

            Assert.True(Max(scores, 750, scores.Length) < 0.75, $"seed {seed}: {Max(scores, 750, scores.Length):F3}");
        }
    }

    [Fact]
    public void BeforeAnyPoint_VerdictIsLearning()
    {
        var verdict = new EnsembleDetector().Explain();

        Assert.Equal(AnomalySeverity.None, verdict.Severity);
        Assert.Contains("still learning", verdict.Explanation);
    }

    [Fact]
    public void Spike_IsReportedOnceThenHeldDown()
    {
        var values = Noise(seed: 4);
        values[EventAt] += 12;
        values[EventAt + 5] += 12; // the same incident: no second alarm
        var scores = Scores(new EnsembleDetector(), values);

        Assert.True(scores[EventAt] >= EnsembleOptions.Default.ReportLevel);
        Assert.True(Max(scores, EventAt + 1, EventAt + EnsembleOptions.Default.SuppressFor) < EnsembleOptions.Default.ReportLevel);
    }

    [Fact]
    public void CustomMembers_AreTheOnlyVoters()
    {
        var detector = new EnsembleDetector([(new EwmaDetector(), 1.0), (new LevelShiftDetector(), 1.0)]);

        Assert.Equal(["ewma", "level-shift"], detector.MemberNames);
        Assert.True(Max(Scores(detector, LevelShift()), EventAt, EventAt + 5) >= 0.5);
    }

    [Theory]
    [InlineData(0.2, AnomalySeverity.None)]
    [InlineData(0.5, AnomalySeverity.Low)]
    [InlineData(0.8, AnomalySeverity.Medium)]
    [InlineData(0.93, AnomalySeverity.High)]
    [InlineData(0.99, AnomalySeverity.Critical)]
    public void SeverityOf_BandsTheScore(double score, AnomalySeverity expected) =>
        Assert.Equal(expected, AnomalyVerdict.SeverityOf(score));
}
