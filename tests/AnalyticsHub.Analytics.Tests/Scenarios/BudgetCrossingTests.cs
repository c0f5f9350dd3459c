using AnalyticsHub.Analytics.Forecasting.Scenarios;

namespace AnalyticsHub.Analytics.Tests.Scenarios;

public sealed class BudgetCrossingTests
{
    // Per-step cost forecasts; with 100 spent the cumulative paths are
    // point 110, 120, 130, 140; upper 115, 130, 145, 160; lower 105, 110, 115, 120.
    private static readonly ForecastBand Costs = new([10, 10, 10, 10], [5, 5, 5, 5], [15, 15, 15, 15]);

    [Fact]
    public void Crossing_IsFoundOnEachPath()
    {
        var crossing = BudgetCrossing.Find(100, Costs, budget: 130);
        Assert.Equal(new BudgetCrossing(Expected: 3, Earliest: 2, Latest: null, AlreadyExceeded: false), crossing);
    }

    [Fact]
    public void BudgetReachedExactly_CountsAsCrossed()
    {
        Assert.Equal(1, BudgetCrossing.Find(100, Costs, budget: 110).Expected);
    }

    [Fact]
    public void BudgetBeyondTheHorizon_IsNotWithinIt()
    {
        var crossing = BudgetCrossing.Find(100, Costs, budget: 1000);
        Assert.Null(crossing.Expected);
        Assert.Null(crossing.Earliest);
        Assert.Null(crossing.Latest);
    }

    [Fact]
    public void SpentAlready_IsExceeded()
    {
        Assert.True(BudgetCrossing.Find(150, Costs, budget: 130).AlreadyExceeded);
    }

    [Fact]
    public void Increments_OfACumulativeSeries()
    {
        Assert.Equal([3, 0, 7], BudgetCrossing.Increments([5, 8, 8, 15]));
    }
}
