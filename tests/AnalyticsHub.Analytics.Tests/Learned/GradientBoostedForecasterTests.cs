using AnalyticsHub.Analytics.Forecasting;
using AnalyticsHub.Analytics.Forecasting.Learned;

namespace AnalyticsHub.Analytics.Tests.Learned;

public sealed class GradientBoostedForecasterTests
{
    private static readonly ForecastSpec Hourly = new(48, [24, 168]);

    [Fact]
    public void Fit_NoiselessDailyPattern_ForecastsItNearlyExactly()
    {
        // A 24-periodic series: the weekly level is constant, so the target is a function of the hour alone.
        var y = Enumerable.Range(0, 960 + 48).Select(DailyPattern).ToArray();

        var forecast = new GradientBoostedForecaster().Fit(y.AsSpan(0, 960), Hourly)!;

        for (var h = 0; h < 48; h++)
        {
            // Shrinkage, the leaf penalty and early stopping leave the fit a hair short of exact: within 0.2 %.
            Assert.InRange(forecast.Point[h], y[960 + h] * 0.998, y[960 + h] * 1.002);
            Assert.True(forecast.Lower[h] <= forecast.Point[h] && forecast.Point[h] <= forecast.Upper[h]);
        }
        Assert.Equal("gbt", new GradientBoostedForecaster().Name);
    }

    [Fact]
    public void Fit_SameSeed_GivesTheSameForecast_AndAnotherSeedAnother()
    {
        var random = new Random(5);
        var y = Enumerable.Range(0, 700).Select(t => DailyPattern(t) + 10 * random.NextDouble()).ToArray();

        var first = new GradientBoostedForecaster(new BoostingOptions { Seed = 1 }).Fit(y, Hourly)!;
        var again = new GradientBoostedForecaster(new BoostingOptions { Seed = 1 }).Fit(y, Hourly)!;
        var other = new GradientBoostedForecaster(new BoostingOptions { Seed = 2 }).Fit(y, Hourly)!;

        Assert.Equal(first.Point, again.Point);
        Assert.Equal(first.Lower, again.Lower);
        Assert.Equal(first.Upper, again.Upper);
        Assert.NotEqual(first.Point, other.Point);
    }

    [Fact]
    public void Fit_NoisySeries_IntervalWidensOrHoldsWithTheStepAhead()
    {
        var random = new Random(8);
        var y = Enumerable.Range(0, 800).Select(t => DailyPattern(t) + 20 * random.NextDouble()).ToArray();

        var forecast = new GradientBoostedForecaster().Fit(y, Hourly)!;

        for (var h = 1; h < 48; h++)
        {
            Assert.True(forecast.Upper[h] - forecast.Point[h] >= forecast.Upper[h - 1] - forecast.Point[h - 1] - 1e-9);
            Assert.True(forecast.Point[h] - forecast.Lower[h] >= forecast.Point[h - 1] - forecast.Lower[h - 1] - 1e-9);
        }
        Assert.True(forecast.Upper[47] > forecast.Lower[47]);
    }

    [Fact]
    public void Fit_TooShortForTrainingAndValidation_ReturnsNull()
    {
        var y = Enumerable.Range(0, 150).Select(DailyPattern).ToArray();
        Assert.Null(new GradientBoostedForecaster().Fit(y, Hourly));
    }

    private static double DailyPattern(int t) => 100 + 30 * Math.Sin(2 * Math.PI * t / 24) + 10 * ((t % 24) >= 18 ? 1 : 0);
}
