using AnalyticsHub.LoadRunner.Reporting;
using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Tests.Reporting;

public class ThresholdEvaluatorTests
{
    private static readonly RateReport Rate = new() { MedianEventsPerSecond = 1_050_000, MeanEventsPerSecond = 990_000 };
    private static readonly LatencyReport Latency = new() { Batches = 1000, P99Ms = 12.5 };

    [Fact]
    public void NoThresholds_WithAcks_ExitsZero()
    {
        var results = ThresholdEvaluator.Evaluate(new LoadScenario(), Rate, Latency, null, errors: 5);
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
        var results = ThresholdEvaluator.Evaluate(new LoadScenario { MinRate = minRate, MaxP99Ms = maxP99 }, Rate, Latency, null, 0);
        Assert.Equal(2, results.Count);
        Assert.Equal(expected, ThresholdEvaluator.ExitCode(results, steadyBatchesAcked: 1000));
    }

    [Fact]
    public void MinRateUnmet_IsReportedWithLimitAndActual()
    {
        var result = Assert.Single(ThresholdEvaluator.Evaluate(new LoadScenario { MinRate = 2_000_000 }, Rate, Latency, null, 0));
        Assert.False(result.Passed);
        Assert.Equal(2_000_000, result.Limit);
        Assert.Equal(1_050_000, result.Actual);
    }

    [Theory]
    [InlineData(0L, 0L, true)]
    [InlineData(3L, 3L, true)]
    [InlineData(3L, 4L, false)]
    [InlineData(0L, 1L, false)]
    public void MaxErrors_CountsFailedBatches(long limit, long errors, bool passed)
    {
        var result = Assert.Single(ThresholdEvaluator.Evaluate(new LoadScenario { MaxErrors = limit }, Rate, Latency, null, errors));
        Assert.Equal(passed, result.Passed);
        Assert.Equal(errors, result.Actual);
    }

    [Fact]
    public void Ramp_MinRateIsCheckedAgainstTheRateKeptUpWith_NotTheMedian()
    {
        var scenario = new LoadScenario { MinRate = 800_000, RampFrom = 100_000, Rate = 1_200_000 };
        var ramp = new RampReport { SustainedPerSecond = 700_000 };
        var result = Assert.Single(ThresholdEvaluator.Evaluate(scenario, Rate, Latency, ramp, 0));
        Assert.False(result.Passed); // the median (1.05M) would have passed
        Assert.Equal(700_000, result.Actual);
        Assert.Contains("ramp", result.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void NoAcks_ExitsThree_EvenWithoutThresholds()
    {
        Assert.Equal(ExitCodes.NoAcks, ThresholdEvaluator.ExitCode([], steadyBatchesAcked: 0));
        var results = ThresholdEvaluator.Evaluate(new LoadScenario { MaxP99Ms = 50 }, new RateReport(), new LatencyReport(), null, 0);
        Assert.False(Assert.Single(results).Passed); // no latency measured cannot meet a latency bound
        Assert.Equal(ExitCodes.NoAcks, ThresholdEvaluator.ExitCode(results, steadyBatchesAcked: 0));
    }
}
