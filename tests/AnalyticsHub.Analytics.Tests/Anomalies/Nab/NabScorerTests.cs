using AnalyticsHub.Analytics.Anomalies.Nab;

namespace AnalyticsHub.Analytics.Tests.Anomalies.Nab;

/// <summary>The scorer at a fixed threshold on a hand-built series: 1000 rows (probation 150), one window on rows
/// 400–499.</summary>
public sealed class NabScorerTests
{
    private const int Rows = 1000;
    private static readonly NabRowCredits Series = NabRowCredits.For(Rows, [new NabWindow(400, 499)]);
    private static readonly NabProfile Standard = NabProfile.Standard;

    [Fact]
    public void Probation_IsFifteenPercentCappedAt750()
    {
        Assert.Equal(150, NabSeries.ProbationLengthFor(1000));
        Assert.Equal(14, NabSeries.ProbationLengthFor(99));
        Assert.Equal(750, NabSeries.ProbationLengthFor(22695));
    }

    [Fact]
    public void ScaledSigmoid_FallsFromOneToMinusOne()
    {
        Assert.Equal(0.98661, ScaledSigmoid.AtWindowStart, 5);
        Assert.Equal(0, ScaledSigmoid.Of(0), 12);
        Assert.Equal(-1, ScaledSigmoid.Of(3.01));
        Assert.True(ScaledSigmoid.Of(2.9) > -1);
    }

    [Fact]
    public void DetectionAtWindowStart_EarnsTheFullTpWeight()
    {
        var tally = Score(400);
        Assert.Equal(1, tally.DetectedWindows);
        Assert.Equal(0, tally.MissedWindows);
        Assert.Equal(Standard.TpWeight, tally.Raw(Standard), 12);
    }

    [Fact]
    public void DetectionLateInWindow_EarnsLess_AndAtTheEndAlmostNothing()
    {
        var middle = Score(450).Raw(Standard);
        var end = Score(499).Raw(Standard);
        Assert.InRange(middle, 0.05, 0.95);
        Assert.InRange(end, 0.0, 0.05);
        Assert.True(Score(401).Raw(Standard) > middle);
    }

    [Fact]
    public void OnlyTheFirstDetectionInAWindowCounts()
    {
        var tally = Score(420, 400, 450, 499);
        Assert.Equal(1, tally.DetectedWindows);
        Assert.Equal(0, tally.FalsePositives);
        Assert.Equal(Standard.TpWeight, tally.Raw(Standard), 12);
    }

    [Fact]
    public void DetectionJustAfterWindow_IsAFalsePositiveWithReducedWeight()
    {
        var tally = Score(500);
        Assert.Equal(1, tally.FalsePositives);
        Assert.Equal(1, tally.MissedWindows);
        var penalty = tally.Raw(Standard) + Standard.FnWeight;
        Assert.InRange(penalty, -0.1 * Standard.FpWeight, -1e-6);
    }

    [Theory]
    [InlineData(300)] // before any window
    [InlineData(900)] // more than three window widths after it
    public void DetectionFarFromWindows_CostsTheFullFpWeight(int row)
    {
        var tally = Score(row);
        Assert.Equal(-Standard.FnWeight - Standard.FpWeight, tally.Raw(Standard), 12);
    }

    [Fact]
    public void ProbationaryDetections_AreIgnored()
    {
        var tally = Score(0, 100, 149);
        Assert.Equal(0, tally.FalsePositives);
        Assert.Equal(-Standard.FnWeight, tally.Raw(Standard), 12);
        Assert.Equal(1, Score(150).FalsePositives);
    }

    [Fact]
    public void MissedWindow_CostsFnWeight_PerProfile()
    {
        var lowFn = new NabProfile("reward_low_FN_rate", 1, 0.11, 2);
        Assert.Equal(-2, Score().Raw(lowFn), 12);
    }

    [Fact]
    public void NullAndPerfectDetectors_NormaliseToZeroAndHundred()
    {
        NabRowCredits[] corpus = [Series, NabRowCredits.For(800, [new NabWindow(200, 260), new NabWindow(500, 560)]), NabRowCredits.For(300, [])];
        var nullRaw = NabScorer.NullTally(corpus).Raw(Standard);
        var perfectRaw = NabScorer.PerfectTally(corpus).Raw(Standard);
        Assert.Equal(-3, nullRaw, 12);
        Assert.Equal(3, perfectRaw, 12);
        Assert.Equal(0, NabScorer.Normalise(nullRaw, nullRaw, perfectRaw), 12);
        Assert.Equal(100, NabScorer.Normalise(perfectRaw, nullRaw, perfectRaw), 12);
        Assert.Equal(50, NabScorer.Normalise(0, nullRaw, perfectRaw), 12);
    }

    [Fact]
    public void ScoresAtTheThreshold_Detect_AndNaNNeverDoes()
    {
        var scores = new double[Rows];
        scores[400] = 0.5;
        scores[300] = double.NaN;
        Assert.Equal(1, NabScorer.Tally(Series, scores, 0.5).DetectedWindows);
        Assert.Equal(0, NabScorer.Tally(Series, scores, 0.5000001).DetectedWindows);
        Assert.Equal(0, NabScorer.Tally(Series, scores, 0.5).FalsePositives);
    }

    private static NabTally Score(params int[] detections)
    {
        var scores = new double[Rows];
        foreach (var row in detections)
        {
            scores[row] = 1;
        }
        return NabScorer.Tally(Series, scores, threshold: 1);
    }
}
