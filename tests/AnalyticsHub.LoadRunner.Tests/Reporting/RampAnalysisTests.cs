using AnalyticsHub.LoadRunner.Metrics;
using AnalyticsHub.LoadRunner.Reporting;

namespace AnalyticsHub.LoadRunner.Tests.Reporting;

public class RampAnalysisTests
{
    /// <summary>Offered 100k, 200k, … 1M events/s over 10 measured seconds.</summary>
    private static readonly double[] Offered = [.. Enumerable.Range(1, 10).Select(i => i * 100_000.0)];

    /// <summary>Measured seconds (after two warmup seconds and before a drain, which are ignored).</summary>
    private static List<IntervalSample> Run(double[] offered, double[] achieved, long[]? p99Nanos = null)
    {
        var intervals = new List<IntervalSample>
        {
            Sample(0, RunPhase.Warmup, offered[0], 0, 0),
            Sample(1, RunPhase.Warmup, offered[0], 0, 0),
        };
        for (var k = 0; k < offered.Length; k++)
        {
            intervals.Add(Sample(k + 2, RunPhase.Steady, offered[k], achieved[k], p99Nanos?[k] ?? (k + 1) * 1_000_000L));
        }

        intervals.Add(Sample(offered.Length + 2, RunPhase.Drain, 0, 5, 0));
        return intervals;
    }

    private static IntervalSample Sample(int index, RunPhase phase, double offered, double achieved, long p99Nanos) =>
        new(index, phase, 1.0, (long)achieved, (long)achieved, 1, 0, 0, 0, p99Nanos, p99Nanos, 0, OfferedPerSecond: offered);

    /// <summary>What a hub that keeps up does: acks trail the new rate by one step.</summary>
    private static double[] OneStepBehind(double[] offered, double cap = double.MaxValue) =>
        [.. offered.Select((_, k) => Math.Min(cap, offered[Math.Max(0, k - 1)]))];

    [Fact]
    public void KeepsUpToTheEnd_NeverFellBehind_SustainedIsTheLastOffered()
    {
        var ramp = RampAnalysis.Analyze(100_000, 1_000_000, Run(Offered, Offered));

        Assert.Equal(100_000, ramp.FromPerSecond);
        Assert.Equal(1_000_000, ramp.ToPerSecond);
        Assert.Equal(0, ramp.FellBehindAtSecond);
        Assert.Equal(1_000_000, ramp.SustainedPerSecond);
        Assert.Equal(RampAnalysis.KeepUpRatio, ramp.KeepUpRatio);
        Assert.Equal(0.95, ramp.KeepUpRatio);
        Assert.Equal(10, ramp.P99MsAtSustained); // the p99 of the last second kept up with
    }

    [Fact]
    public void UpwardRampsOneStepLag_IsNotFallingBehind()
    {
        // Achieved is the previous second's offered rate: 50 % of the own offered at second 2.
        var ramp = RampAnalysis.Analyze(100_000, 1_000_000, Run(Offered, OneStepBehind(Offered)));

        Assert.Equal(0, ramp.FellBehindAtSecond);
        Assert.Equal(1_000_000, ramp.SustainedPerSecond);
    }

    [Fact]
    public void Plateau_SustainedIsTheLastOfferedRateBeforeAchievedDropsBelow95Percent()
    {
        // The hub tops out at 550k/s: second 6 (offered 600k, previous 500k) still acks 500k,
        // second 7 (offered 700k, previous 600k) acks 550k = 92 % of 600k, and it only gets worse.
        var ramp = RampAnalysis.Analyze(100_000, 1_000_000, Run(Offered, OneStepBehind(Offered, cap: 550_000)));

        Assert.Equal(600_000, ramp.SustainedPerSecond);
        Assert.Equal(7, ramp.FellBehindAtSecond);
        Assert.Equal(6, ramp.P99MsAtSustained);
    }

    [Fact]
    public void Plateau_AtExactly95Percent_StillKeepsUp()
    {
        // 95 % of the comparable rate is enough (inclusive); 94 % is not.
        double[] offered = [100_000, 100_000, 100_000, 200_000, 200_000, 200_000];
        var enough = RampAnalysis.Analyze(100_000, 200_000, Run(offered, [100_000, 100_000, 100_000, 100_000, 190_000, 190_000]));
        Assert.Equal(0, enough.FellBehindAtSecond);
        Assert.Equal(200_000, enough.SustainedPerSecond);

        var short1 = RampAnalysis.Analyze(100_000, 200_000, Run(offered, [100_000, 100_000, 100_000, 100_000, 188_000, 188_000]));
        Assert.Equal(5, short1.FellBehindAtSecond);
        Assert.Equal(200_000, short1.SustainedPerSecond); // second 4 (offered 200k, compared with 100k) was kept up with
    }

    [Fact]
    public void OneSlowSecondInTheMiddle_IsAbsorbedByTheRunningMedian()
    {
        var achieved = OneStepBehind(Offered);
        achieved[4] = 100_000; // 25 % of the comparable 400k, for one second
        var ramp = RampAnalysis.Analyze(100_000, 1_000_000, Run(Offered, achieved));

        Assert.Equal(0, ramp.FellBehindAtSecond);
        Assert.Equal(1_000_000, ramp.SustainedPerSecond);
    }

    [Fact]
    public void TwoSlowSecondsInARow_EndTheRamp()
    {
        var achieved = OneStepBehind(Offered);
        achieved[4] = 100_000;
        achieved[5] = 100_000;
        var ramp = RampAnalysis.Analyze(100_000, 1_000_000, Run(Offered, achieved));

        // Seconds 4-6 have a median of 25 %: measured second 5 is where it fell behind; 4 (400k) was kept up with.
        Assert.Equal(5, ramp.FellBehindAtSecond);
        Assert.Equal(400_000, ramp.SustainedPerSecond);
        Assert.Equal(4, ramp.P99MsAtSustained);
    }

    [Fact]
    public void NeverKeptUp_SustainsNothing()
    {
        var ramp = RampAnalysis.Analyze(100_000, 1_000_000, Run(Offered, [.. Offered.Select(o => o / 4)]));
        Assert.Equal(1, ramp.FellBehindAtSecond);
        Assert.Equal(0, ramp.SustainedPerSecond);
        Assert.Equal(0, ramp.P99MsAtSustained);
    }

    [Fact]
    public void WarmupDrainAndClosedLoopSeconds_AreIgnored()
    {
        var intervals = Run(Offered, Offered);
        intervals.Insert(5, Sample(99, RunPhase.Steady, 0, 1, 0)); // a closed-loop (unpaced) second, achieving nothing useful
        var ramp = RampAnalysis.Analyze(100_000, 1_000_000, intervals);
        Assert.Equal(0, ramp.FellBehindAtSecond);
        Assert.Equal(1_000_000, ramp.SustainedPerSecond);

        Assert.Equal(0, RampAnalysis.Analyze(1, 2, []).SustainedPerSecond);
    }

    [Fact]
    public void OneSlowFirstSecond_DoesNotEndTheRamp()
    {
        var achieved = OneStepBehind(Offered);
        achieved[0] = 20_000; // a GC pause in the first measured second
        var ramp = RampAnalysis.Analyze(100_000, 1_000_000, Run(Offered, achieved));

        Assert.Equal(0, ramp.FellBehindAtSecond);
        Assert.Equal(1_000_000, ramp.SustainedPerSecond);
    }
}
