using AnalyticsHub.Analytics.Forecasting;
using AnalyticsHub.Analytics.Forecasting.Preprocessing;

namespace AnalyticsHub.Analytics.Tests.Forecasting;

public sealed class PreprocessingTests
{
    [Fact]
    public void MissingValues_AreInterpolatedLinearly_AndEndsTakeTheNearestValue()
    {
        double[] y = [double.NaN, 2, double.NaN, double.NaN, 8, double.NaN];
        MissingValues.Interpolate(y);
        Assert.Equal([2, 2, 4, 6, 8, 8], y);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(-1.0)]
    [InlineData(2.0)]
    public void BoxCox_InverseUndoesTheTransform(double lambda)
    {
        foreach (var y in (double[])[0.3, 1, 7.5, 120])
        {
            Assert.Equal(y, BoxCox.Inverse(BoxCox.Transform(y, lambda), lambda), 9);
        }
    }

    [Fact]
    public void BoxCox_AtHalf_IsTwiceTheSquareRootMinusOne()
    {
        Assert.Equal(2 * (3 - 1), BoxCox.Transform(9, 0.5), 12);
        Assert.Equal(Math.Log(5), BoxCox.Transform(5, 0), 12);
    }

    [Fact]
    public void Guerrero_SpreadProportionalToLevel_ChoosesTheLog()
    {
        // Blocks of 4 with sd exactly proportional to the mean: sd_i / mean_i^(1−λ) is constant only at λ = 0.
        var y = Enumerable.Range(0, 10).SelectMany(b => ((double[])[0.9, 1.1, 0.8, 1.2]).Select(f => f * Math.Pow(2, b))).ToArray();
        Assert.Equal(0, GuerreroLambda.Estimate(y, 4), 2);
    }

    [Fact]
    public void Guerrero_ConstantSpread_ChoosesNoTransform()
    {
        // sd constant across levels: λ = 1 makes the ratio constant.
        var y = Enumerable.Range(0, 10).SelectMany(b => ((double[])[-1, 1, -2, 2]).Select(d => 100 * (b + 1) + d)).ToArray();
        Assert.Equal(1, GuerreroLambda.Estimate(y, 4), 2);
    }

    [Fact]
    public void BoxCoxModel_MapsTheInnerForecastBack()
    {
        var y = Enumerable.Range(0, 40).Select(t => Math.Exp(0.1 * t)).ToArray();
        var forecast = new BoxCoxModel("bc-snaive", new SeasonalNaive()).Fit(y, new ForecastSpec(2, []))!;
        Assert.Equal(y[^1], forecast.Point[0], 6);
        Assert.StartsWith("BoxCox[", forecast.Model, StringComparison.Ordinal);
        Assert.Null(new BoxCoxModel("bc-snaive", new SeasonalNaive()).Fit([1, 0, 2, 3, 4], new ForecastSpec(2, [])));
    }
}
