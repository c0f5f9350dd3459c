using AnalyticsHub.Analytics.Forecasting;
using AnalyticsHub.Analytics.Forecasting.Arima;

namespace AnalyticsHub.Analytics.Tests.Arima;

public sealed class AutoArimaTests
{
    [Fact]
    public void DailyCycle_IsSeasonallyDifferencedAndForecastClosely()
    {
        var noise = ArimaTestSeries.Gaussian(24 * 32, seed: 11);
        var series = new double[noise.Length];
        for (var t = 0; t < series.Length; t++)
        {
            series[t] = Signal(t) + 0.5 * noise[t];
        }
        var history = series.AsSpan(0, 24 * 30);
        var fit = new AutoArima().Select(history, 24, out _)!;
        Assert.Equal((1, 24), (fit.Order.SeasonalD, fit.Order.Period));
        var forecast = new AutoArima().Fit(history, new ForecastSpec(48, [24, 168]))!;
        Assert.Equal(fit.Order.ToString(), forecast.Model);
        for (var h = 0; h < 48; h++)
        {
            Assert.InRange(forecast.Point[h] - Signal(720 + h), -2.5, 2.5);
            Assert.True(forecast.Lower[h] < forecast.Point[h] && forecast.Point[h] < forecast.Upper[h]);
        }
        Assert.True(double.IsFinite(forecast.Aicc));
    }

    [Fact]
    public void Ar1_IsFoundWithoutDifferencing()
    {
        var series = ArimaTestSeries.Ar1(500, 0.7, seed: 12);
        var fit = new AutoArima().Select(series, 1, out _)!;
        Assert.Equal(0, fit.Order.D);
        Assert.True(fit.Exact);
        Assert.InRange(fit.Polynomials().Ar[1], 0.55, 0.85);
    }

    [Fact]
    public void RandomWalk_IsDifferencedOnce()
    {
        var fit = new AutoArima().Select(ArimaTestSeries.RandomWalk(500, seed: 13), 1, out var differenced)!;
        Assert.Equal(1, fit.Order.D);
        Assert.Equal(499, differenced.Length);
    }

    [Fact]
    public void ConstantOrTooShortHistory_IsNotFitted()
    {
        var spec = new ForecastSpec(4, []);
        Assert.Null(new AutoArima().Fit(Enumerable.Repeat(3.0, 100).ToArray(), spec));
        Assert.Null(new AutoArima().Fit([1, 2, 3, 4, 5], spec));
    }

    private static double Signal(int t) => 100 + 0.02 * t + 10 * Math.Sin(2 * Math.PI * t / 24);
}
