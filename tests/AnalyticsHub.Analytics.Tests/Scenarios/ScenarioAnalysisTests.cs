using AnalyticsHub.Analytics.Forecasting.Scenarios;

namespace AnalyticsHub.Analytics.Tests.Scenarios;

public sealed class ScenarioAnalysisTests
{
    private static readonly ForecastBand Baseline = new([10, 20, 30, 40], [8, 15, 24, 30], [12, 25, 36, 50]);

    [Fact]
    public void TrafficDoubledFromTheThirdStep_ScalesPointAndBounds()
    {
        var result = ScenarioAnalysis.Apply(Baseline, [new ScenarioAdjustment(AdjustmentKind.Multiplier, 2, fromStep: 2)]);
        Assert.Equal([10, 20, 60, 80], result.Scenario.Point);
        Assert.Equal([8, 15, 48, 60], result.Scenario.Lower);
        Assert.Equal([12, 25, 72, 100], result.Scenario.Upper);
        Assert.Equal([0, 0, 30, 40], Enumerable.Range(0, 4).Select(result.DifferenceAt));
        Assert.Equal(70, result.TotalDifference);
        Assert.Same(Baseline, result.Baseline);
    }

    [Fact]
    public void PriceCutThenShift_ApplyInOrder()
    {
        // −20 % everywhere, then +5 from step 1: (10·0.8, 20·0.8 + 5, …).
        var result = ScenarioAnalysis.Apply(Baseline,
        [
            new ScenarioAdjustment(AdjustmentKind.Multiplier, 0.8),
            new ScenarioAdjustment(AdjustmentKind.LevelShift, 5, fromStep: 1),
        ]);
        Assert.Equal([8, 21, 29, 37], result.Scenario.Point.Select(v => Math.Round(v, 10)));
        Assert.Equal(-2 + 1 - 1 - 3, result.TotalDifference, 10);
    }

    [Fact]
    public void NegativeMultiplier_KeepsLowerBelowUpper()
    {
        var result = ScenarioAnalysis.Apply(Baseline, [new ScenarioAdjustment(AdjustmentKind.Multiplier, -1)]);
        Assert.Equal(-12, result.Scenario.Lower[0]);
        Assert.Equal(-8, result.Scenario.Upper[0]);
    }

    [Fact]
    public void NonFiniteAdjustment_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScenarioAdjustment(AdjustmentKind.LevelShift, double.NaN));
    }
}
