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
        Assert.Contains("context-novelty", verdict.Fired); // a new level, through the novelty member's direct path
        Assert.Equal(4.0 / 7, verdict.Confidence); // 4 of the 7 voting members (the seasonal one abstains: no period)
        Assert.InRange(verdict.ExpectedLow, 95, 100);
        Assert.InRange(verdict.ExpectedHigh, 100, 105);
        Assert.Equal("value 111.1 is 11.8σ above the 1.8-day median (expected 97.3–102.9); fired: robust-z, iqr, ewma, context-novelty", verdict.Explanation);
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
        // The ensemble judges surprise relative to the series' own history, and the contextual-novelty member reports a
        // level it has not seen (the far tails of the noise) directly, so plain noise does produce Low reports: 30 in
        // these 10 runs of 1,250 points after warm-up, about one per 400 points (7 without the novelty member's direct
        // path, NoveltyLevel 0), at most 0.69. Never Medium.
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
    public void DailyCycle_FromTheFirstDay_OnlyTheSpikeIsReported()
    {
        // Hourly points, a daily sine and a weekly-ish ripple, one spike (the hub's anomaly API test in small): the
        // novelty member learns its warm-up points, so the levels of the first days are not news when they come back.
        var values = Enumerable.Range(0, 480).Select(t => Math.Round(100 + (20 * Math.Sin(2 * Math.PI * t / 24)) + (((t % 7) - 3) * 0.5), 3)).ToArray();
        values[400] += 200;
        var detector = new EnsembleDetector();
        var scores = values.Select((v, t) => detector.Observe(1_767_571_200 + (t * 3600L), v).Score).ToArray();

        Assert.Equal([400], Enumerable.Range(0, scores.Length).Where(t => scores[t] >= EnsembleOptions.Default.ReportLevel));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void WeeklyCycle_AHolidayIsReported_AndNothingElse(int seed)
    {
        // A weekday that runs a Sunday's shape (Thanksgiving in the taxi data). The seasonal member must find the week,
        // not the day (a daily baseline learns weekends as breaks of the day and forgets them again); the
        // context-novelty member hears the broken weekly shape and must not be discounted as a context-free member.
        const int Holiday = (5 * 7) + 3; // Thursday of the sixth week
        var values = WeeklyDemand(weeks: 8, holiday: Holiday, seed: seed);
        var detector = new EnsembleDetector();
        var reported = new List<int>();
        for (int i = 0; i < values.Length; i++)
        {
            if (detector.Observe(WeeklyStart + (i * 1800L), values[i]).Score >= EnsembleOptions.Default.ReportLevel && i >= 700)
            {
                reported.Add(i);
            }
        }

        var report = Assert.Single(reported);
        Assert.Equal(Holiday, report / HalfHoursPerDay);
    }

    [Fact]
    public void NewLevel_InsideTheRange_IsReportedByTheNoveltyMember()
    {
        // A square wave between 0 and 10; one point at 5, a level it never takes. The value is in range and near the
        // running mean, so only the contextual-novelty member finds it odd, and its direct path reports it.
        var values = Noise(seed: 5, level: 0, sigma: 0.2).Select((v, i) => v + ((i / 12) % 2 == 0 ? 0 : 10)).ToArray();
        values[EventAt] = 5;

        var scores = Scores(new EnsembleDetector(), values);
        var withoutDirectPath = Scores(new EnsembleDetector(EnsembleOptions.Default with { NoveltyLevel = 0 }), values);

        Assert.True(scores[EventAt] >= EnsembleOptions.Default.ReportLevel, $"{scores[EventAt]:F3}");
        Assert.True(withoutDirectPath[EventAt] < EnsembleOptions.Default.ReportLevel, $"{withoutDirectPath[EventAt]:F3}");
    }

    [Fact]
    public void HoldDown_StartedByAWeakReport_LetsAMuchStrongerOneThrough()
    {
        var suppression = new ReportSuppression(holdFor: 80, reportLevel: 0.5, escalation: 0.3);

        Assert.Equal(0.55, suppression.Apply(0.55)); // a Low report starts the hold-down
        Assert.True(suppression.Apply(0.7) < 0.5); // held: not 0.3 above the report
        Assert.Equal(0.9, suppression.Apply(0.9)); // breaks through, and starts a new hold-down at 0.9
        Assert.True(suppression.Apply(0.99) < 0.5);
    }

    [Fact]
    public void HoldDown_EscalatesOnlyOnceTheIncidentHasBuiltUp()
    {
        var suppression = new ReportSuppression(holdFor: 80, reportLevel: 0.5, escalation: 0.3, escalationAfter: 3);

        Assert.Equal(0.55, suppression.Apply(0.55));
        Assert.True(suppression.Apply(0.95) < 0.5); // 1 point in: the same incident rising, not a second alarm
        Assert.True(suppression.Apply(0.95) < 0.5); // 2 points in
        Assert.True(suppression.Apply(0.95) < 0.5); // 3 points in
        Assert.Equal(0.95, suppression.Apply(0.95)); // 4 points in: a stronger alarm breaks through
        Assert.True(suppression.Apply(0.99) < 0.5); // and holds down in turn
    }

    [Fact]
    public void HoldDown_WithoutEscalation_HoldsEverything()
    {
        var suppression = new ReportSuppression(holdFor: 3, reportLevel: 0.5);

        Assert.Equal(0.55, suppression.Apply(0.55));
        Assert.True(suppression.Apply(1.0) < 0.5);
        Assert.True(suppression.Apply(1.0) < 0.5);
        Assert.True(suppression.Apply(1.0) < 0.5);
        Assert.Equal(1.0, suppression.Apply(1.0)); // the hold-down is over
    }

    [Fact]
    public void DailyRecurrence_NeedsTheSameTimeOnEachOfThePreviousDays()
    {
        const long Day = 86_400, T0 = 1_700_000_000;
        var recurrence = new DailyRecurrence(toleranceSeconds: 3600, days: 2);
        recurrence.Add(T0);
        Assert.False(recurrence.Recurs(T0 + Day)); // one earlier day only
        recurrence.Add(T0 + Day + 1200);

        Assert.True(recurrence.Recurs(T0 + (2 * Day) + 600)); // 03:10 after 03:00 and 03:20
        Assert.False(recurrence.Recurs(T0 + (2 * Day) + (3 * 3600))); // three hours later: not the same time of day
        Assert.False(recurrence.Recurs(T0 + (3 * Day))); // yesterday matches, the day before has nothing
        Assert.False(recurrence.Recurs(T0 + 600)); // the same day is not a repeat
    }

    [Fact]
    public void DailyRecurrence_ZeroToleranceIsOff()
    {
        Assert.False(new DailyRecurrence(toleranceSeconds: 0, days: 2).Enabled);
        Assert.True(new DailyRecurrence(toleranceSeconds: 60, days: 2).Enabled);
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
