using AnalyticsHub.Analytics.Forecasting;
using AnalyticsHub.Analytics.Forecasting.Prophet;

namespace AnalyticsHub.Analytics.Tests.Prophet;

public sealed class ProphetModelTests
{
    private const int Length = 400;

    /// <summary>The 5th of 25 candidate changepoints for n = 400: round(5·(⌊0.8·400⌋ − 1) / 25) = round(63.8).</summary>
    private const int Changepoint = 64;

    private static readonly ForecastSpec Daily = new(24, [24]);

    private static readonly ProphetOptions Additive = new() { Mode = SeasonalityMode.Additive };

    private static double Truth(int i) =>
        10 + 0.05 * i + 0.1 * Math.Max(0, i - Changepoint) + 3 * Math.Sin(2 * Math.PI * i / 24);

    [Fact]
    public void NoiselessPiecewiseLinearPlusSine_RecoversTheCoefficients_AndTheForecast()
    {
        var y = Enumerable.Range(0, Length).Select(Truth).ToArray();
        var model = new ProphetModel(Additive);
        var fit = model.FitScaled(y, Daily, out var scaling)!;

        // On the scaled data a coefficient c means c·Range in y; time runs 1/(n − 1) per step.
        var stepsPerUnitTime = Length - 1;
        Assert.Equal(0.05, fit.Coefficients[1] * scaling.Range / stepsPerUnitTime, 6);
        var slopeChanges = fit.SlopeChanges.ToArray().Select(d => d * scaling.Range / stepsPerUnitTime).ToArray();
        Assert.Equal(0.1, slopeChanges[4], 6);
        Assert.All(slopeChanges.Where((_, j) => j != 4), d => Assert.Equal(0, d, 6));
        // The sine is the first Fourier column of the daily period.
        Assert.Equal(3, fit.Coefficients[fit.Design.FourierStart] * scaling.Range, 6);

        var forecast = model.Fit(y, Daily)!;
        for (var h = 1; h <= Daily.Horizon; h++)
        {
            Assert.Equal(Truth(Length - 1 + h), forecast.Point[h - 1], 5);
        }
        Assert.Equal("Prophet[24]", forecast.Model);
    }

    [Fact]
    public void EventRegressor_IsRecovered_AndCarriedIntoTheHorizon()
    {
        // A +5 event on [100, 110) and a +2 event that starts 5 steps before the end and lasts into the horizon.
        EventWindow past = new(100, 10), ongoing = new(Length - 5, 10);
        var y = Enumerable.Range(0, Length)
            .Select(i => Truth(i) + (past.Contains(i) ? 5 : 0) + (ongoing.Contains(i) ? 2 : 0)).ToArray();
        var model = new ProphetModel(Additive with { Events = [past, ongoing] });
        var fit = model.FitScaled(y, Daily, out var scaling)!;
        Assert.Equal(5, fit.Coefficients[fit.Design.EventStart] * scaling.Range, 5);
        Assert.Equal(2, fit.Coefficients[fit.Design.EventStart + 1] * scaling.Range, 5);

        var forecast = model.Fit(y, Daily)!;
        for (var h = 1; h <= Daily.Horizon; h++)
        {
            var i = Length - 1 + h;
            Assert.Equal(Truth(i) + (ongoing.Contains(i) ? 2 : 0), forecast.Point[h - 1], 4);
        }
    }

    [Fact]
    public void Intervals_WidenWithTheHorizon()
    {
        var random = new Random(7);
        var y = Enumerable.Range(0, Length).Select(i => Truth(i) + Gaussian(random)).ToArray();
        var forecast = new ProphetModel(Additive).Fit(y, Daily)!;
        for (var h = 1; h < Daily.Horizon; h++)
        {
            Assert.True(forecast.Upper[h] - forecast.Lower[h] > forecast.Upper[h - 1] - forecast.Lower[h - 1]);
        }
    }

    [Fact]
    public void Intervals_CoverGaussianNoiseAtTheAskedLevel()
    {
        // 200 series of trend + sine + N(0, 1): the 95 % and 80 % intervals should hold about 95 % and 80 % of
        // the future values (4,800 values; binomial standard error below 0.6 points).
        var random = new Random(11);
        var model = new ProphetModel(Additive);
        foreach (var level in (double[])[0.95, 0.8])
        {
            var spec = new ForecastSpec(24, [24], level);
            int inside = 0, total = 0;
            for (var s = 0; s < 200; s++)
            {
                var all = Enumerable.Range(0, 300 + 24).Select(i => Truth(i) + Gaussian(random)).ToArray();
                var forecast = model.Fit(all.AsSpan(0, 300), spec)!;
                for (var h = 0; h < 24; h++)
                {
                    inside += all[300 + h] >= forecast.Lower[h] && all[300 + h] <= forecast.Upper[h] ? 1 : 0;
                    total++;
                }
            }
            Assert.InRange((double)inside / total, level - 0.025, level + 0.025);
        }
    }

    [Fact]
    public void SpreadGrowingWithTheLevel_IsFittedOnTheLog()
    {
        var y = Enumerable.Range(0, Length).Select(i => Math.Exp(0.005 * i) * (10 + 4 * Math.Sin(2 * Math.PI * i / 24))).ToArray();
        var forecast = new ProphetModel().Fit(y, Daily)!;
        Assert.Equal("Prophet[24;log]", forecast.Model);
        for (var h = 1; h <= Daily.Horizon; h++)
        {
            var i = Length - 1 + h;
            Assert.Equal(Math.Exp(0.005 * i) * (10 + 4 * Math.Sin(2 * Math.PI * i / 24)), forecast.Point[h - 1], 0.05 * forecast.Point[h - 1]);
        }
    }

    [Fact]
    public void ConstantOrShortHistory_DoesNotFit()
    {
        Assert.Null(new ProphetModel().Fit(Enumerable.Repeat(3.0, 100).ToArray(), Daily));
        Assert.Null(new ProphetModel().Fit([1, 2, 3, 4, 5], Daily));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
