using AnalyticsHub.Analytics.Forecasting;
using AnalyticsHub.Analytics.Forecasting.Arima;

namespace AnalyticsHub.Analytics.Tests.Arima;

public sealed class ArimaForecasterTests
{
    private const double Z975 = 1.959963984540054;

    [Fact]
    public void Ar1_DecaysGeometricallyWithGrowingIntervals()
    {
        // ŷ_{n+h} = φʰ z_n; Var = σ² Σ_{j<h} φ²ʲ.
        double[] z = [0.4, -0.2, 1.0, 2.0];
        var fit = new ArimaFit(new ArimaOrder(1, 0, 0, 0, 0, 0, 1, false), [Math.Atanh(0.5)], 2, 0, z.Length, exact: false);
        var forecast = ArimaForecaster.Forecast(fit, z, z, new ForecastSpec(3, []));
        Assert.Equal([1.0, 0.5, 0.25], forecast.Point.Select(v => Math.Round(v, 12)));
        Assert.Equal(Z975 * Math.Sqrt(2), forecast.Upper[0] - forecast.Point[0], 9);
        Assert.Equal(Z975 * Math.Sqrt(2 * 1.25), forecast.Upper[1] - forecast.Point[1], 9);
        Assert.Equal(Z975 * Math.Sqrt(2 * 1.3125), forecast.Point[2] - forecast.Lower[2], 9);
        Assert.Equal("ARIMA(1,0,0)", forecast.Model);
    }

    [Fact]
    public void RandomWalkWithDrift_AddsTheDriftEachStep()
    {
        double[] y = [10, 11, 13, 12, 14];
        var order = new ArimaOrder(0, 1, 0, 0, 0, 0, 1, true);
        var fit = new ArimaFit(order, [0.3], 4, 0, 4, exact: false);
        var forecast = ArimaForecaster.Forecast(fit, y, [1, 2, -1, 2], new ForecastSpec(3, []));
        Assert.Equal([14.3, 14.6, 14.9], forecast.Point.Select(v => Math.Round(v, 12)));
        Assert.Equal(Z975 * 2 * Math.Sqrt(3), forecast.Upper[2] - forecast.Point[2], 9);
        Assert.Equal("ARIMA(0,1,0) with drift", forecast.Model);
    }

    [Fact]
    public void SeasonalDifferencing_RepeatsTheLastSeasonPlusTheMa()
    {
        // ARIMA(0,0,0)(0,1,1)[3] with Θ = −0.5 on a CSS fit: ŷ_{n+1} = y_{n−2} − 0.5 e_{n−2} for the last three
        // conditional residuals, which for Θ alone are e_t = w_t + 0.5 e_{t−3}.
        double[] y = [1, 2, 3, 2, 4, 3, 3, 5, 4];
        var w = new double[y.Length - 3];
        for (var t = 3; t < y.Length; t++)
        {
            w[t - 3] = y[t] - y[t - 3];
        }
        var e = new double[w.Length];
        for (var t = 0; t < w.Length; t++)
        {
            e[t] = w[t] + (t >= 3 ? 0.5 * e[t - 3] : 0);
        }
        var order = new ArimaOrder(0, 0, 0, 0, 1, 1, 3, false);
        var fit = new ArimaFit(order, [Math.Atanh(0.5)], 1, 0, w.Length, exact: false);
        var forecast = ArimaForecaster.Forecast(fit, y, w, new ForecastSpec(4, [3]));
        for (var h = 0; h < 3; h++)
        {
            Assert.Equal(y[6 + h] - 0.5 * e[3 + h], forecast.Point[h], 12);
        }
        Assert.Equal(forecast.Point[0], forecast.Point[3], 12);
    }
}
