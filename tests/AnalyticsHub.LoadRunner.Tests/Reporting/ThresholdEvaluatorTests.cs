using AnalyticsHub.LoadRunner.Reporting;

namespace AnalyticsHub.LoadRunner.Tests.Reporting;

public class ThresholdEvaluatorTests
{
    private static readonly RateReport Rate = new() { MedianEventsPerSecond = 1_050_000, MeanEventsPerSecond = 990_000 };
    private static readonly LatencyReport Latency = new() { Batches = 1000, P99Ms = 12.5 };

    [Fact]
    public void NoThresholds_WithAcks_ExitsZero()
    {
        var results = ThresholdEvaluator.Evaluate(null, null, Rate, Latency);
        Assert.Empty(results);
        Assert.Equal(ExitCodes.Passed, ThresholdEvaluator.ExitCode(results, steadyBatchesAcked: 1000));
    }

    [Theory]
    [InlineData(1_000_000.0, 20.0, ExitCodes.Passed)]
    [InlineData(1_050_000.0, 12.5, ExitCodes.Passed)]       // bounds are inclusive
    [InlineData(1_100_000.0, 20.0, ExitCodes.ThresholdUnmet)] // median below min-rate (the mean is not used)
    [InlineData(1_000_000.0, 10.0, ExitCodes.ThresholdUnmet)] // p99 above max
    [InlineData(2_000_000.0, 1.0, ExitCodes.ThresholdUnmet)]
    public void BothThresholds_ExitCodeFollowsTheWorst(double minRate, double maxP99, int expected)
    {
        var results = ThresholdEvaluator.Evaluate(minRate, maxP99, Rate, Latency);
        Assert.Equal(2, results.Count);
        Assert.Equal(expected, ThresholdEvaluator.ExitCode(results, steadyBatchesAcked: 1000));
    }

    [Fact]
    public void MinRateUnmet_IsReportedWithLimitAndActual()
    {
        var result = Assert.Single(ThresholdEvaluator.Evaluate(2_000_000, null, Rate, Latency));
        Assert.False(result.Passed);
        Assert.Equal(2_000_000, result.Limit);
        Assert.Equal(1_050_000, result.Actual);
    }

    [Fact]
    public void NoAcks_ExitsThree_EvenWithoutThresholds()
    {
        Assert.Equal(ExitCodes.NoAcks, ThresholdEvaluator.ExitCode([], steadyBatchesAcked: 0));
        var results = ThresholdEvaluator.Evaluate(null, 50, new RateReport(), new LatencyReport());
        Assert.False(Assert.Single(results).Passed); // no latency measured cannot meet a latency bound
        Assert.Equal(ExitCodes.NoAcks, ThresholdEvaluator.ExitCode(results, steadyBatchesAcked: 0));
    }
}
