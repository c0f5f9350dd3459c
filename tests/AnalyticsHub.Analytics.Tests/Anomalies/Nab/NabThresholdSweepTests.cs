using AnalyticsHub.Analytics.Anomalies.Nab;

namespace AnalyticsHub.Analytics.Tests.Anomalies.Nab;

/// <summary>The threshold sweep: it picks the best threshold per profile, and agrees with scoring every candidate
/// threshold one by one.</summary>
public sealed class NabThresholdSweepTests
{
    private static readonly NabProfile Standard = NabProfile.Standard;
    private static readonly NabProfile LowFp = new("reward_low_FP_rate", 1, 0.22, 1);
    private static readonly NabProfile LowFn = new("reward_low_FN_rate", 1, 0.11, 2);

    [Fact]
    public void Sweep_PicksTheThresholdThatMaximisesEachProfile()
    {
        // One window; its start scores 0.8, and ten rows far from it score 0.9.
        var series = NabRowCredits.For(1000, [new NabWindow(400, 499)]);
        var scores = new double[1000];
        scores[400] = 0.8;
        for (var row = 200; row < 210; row++)
        {
            scores[row] = 0.9;
        }

        var results = NabThresholdSweep.Optimise([series], [scores], [Standard, LowFp]);

        // Standard: detecting at 0.8 earns 1 − 10 × 0.11 = −0.1, better than never firing (−1).
        Assert.Equal(0.8, results[0].Threshold);
        Assert.Equal(-0.1, results[0].RawScore, 12);
        Assert.Equal(45, results[0].NormalisedScore, 9);
        // Low-FP: the same detections cost 1 − 10 × 0.22 = −1.2, so never firing (−1) wins.
        Assert.Equal(double.PositiveInfinity, results[1].Threshold);
        Assert.Equal(0, results[1].NormalisedScore, 12);
    }

    [Fact]
    public void Sweep_EqualsTheBestOfScoringEveryDistinctThreshold()
    {
        var random = new Random(7);
        NabRowCredits[] series =
        [
            NabRowCredits.For(600, [new NabWindow(150, 190), new NabWindow(400, 450)]),
            NabRowCredits.For(900, [new NabWindow(700, 760)]),
            NabRowCredits.For(400, []),
        ];
        // Scores on a coarse grid so many rows tie, with a tendency to rise in windows.
        var scores = series.Select(s => Enumerable.Range(0, s.Length)
            .Select(row => Math.Round((random.NextDouble() * 0.7) + (s.WindowOfRow[row] >= 0 ? 0.3 * random.NextDouble() : 0), 2))
            .ToArray()).ToArray();
        NabProfile[] profiles = [Standard, LowFp, LowFn];

        var results = NabThresholdSweep.Optimise(series, scores, profiles);

        var candidates = scores.SelectMany(s => s).Distinct().Append(double.PositiveInfinity).ToArray();
        for (var p = 0; p < profiles.Length; p++)
        {
            var best = candidates.Max(t => NabScorer.Tally(series, scores, t).Raw(profiles[p]));
            Assert.Equal(best, results[p].RawScore, 9);
            Assert.Equal(results[p].RawScore, NabScorer.Tally(series, scores, results[p].Threshold).Raw(profiles[p]), 12);
        }
    }

    [Fact]
    public void Sweep_OnlyScoresAfterProbation_AreCandidates()
    {
        var series = NabRowCredits.For(1000, [new NabWindow(400, 499)]);
        var scores = new double[1000];
        scores[10] = 0.99;
        scores[400] = 0.5;
        var result = NabThresholdSweep.Optimise([series], [scores], [Standard])[0];
        Assert.Equal(0.5, result.Threshold);
        Assert.Equal(100, result.NormalisedScore, 9);
    }
}
