using AnalyticsHub.Analytics.Forecasting;

namespace AnalyticsHub.Analytics.Tests;

public sealed class SeasonalNaiveTests
{
    [Fact]
    public void Forecast_RepeatsTheLastSeason()
    {
        double[] history = [1, 2, 3, 2, 3, 4, 3, 4, 5];
        var forecast = new SeasonalNaive().Fit(history, new ForecastSpec(5, [3]))!;
        Assert.Equal([3, 4, 5, 3, 4], forecast.Point);
        Assert.Equal("SNaive[3]", forecast.Model);
    }

    [Fact]
    public void Interval_WidensWithEachWholeSeasonAhead()
    {
        // Seasonal differences are all 1 → σ = 1; z(97.5 %) = 1.959964.
        double[] history = [1, 2, 3, 2, 3, 4, 3, 4, 5];
        var forecast = new SeasonalNaive().Fit(history, new ForecastSpec(4, [3]))!;
        Assert.Equal(1.959964, forecast.Upper[0] - forecast.Point[0], 5);
        Assert.Equal(1.959964 * Math.Sqrt(2), forecast.Upper[3] - forecast.Point[3], 5);
    }

    [Fact]
    public void TooShortHistory_IsNotFitted()
    {
        Assert.Null(new SeasonalNaive().Fit([1, 2, 3, 4], new ForecastSpec(2, [3])));
    }
}
