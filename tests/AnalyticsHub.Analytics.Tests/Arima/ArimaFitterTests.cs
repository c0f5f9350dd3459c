using AnalyticsHub.Analytics.Forecasting.Arima;

namespace AnalyticsHub.Analytics.Tests.Arima;

public sealed class ArimaFitterTests
{
    [Fact]
    public void Ar1ByCss_IsTheLeastSquaresSlope()
    {
        // CSS for AR(1) without a constant is the regression of z_t on z_{t−1}: φ̂ = Σ z_t z_{t−1} / Σ z²_{t−1}.
        var z = ArimaTestSeries.Ar1(300, 0.6, seed: 7);
        double cross = 0, squares = 0;
        for (var t = 1; t < z.Length; t++)
        {
            cross += z[t] * z[t - 1];
            squares += z[t - 1] * z[t - 1];
        }
        var fit = ArimaFitter.FitConditional(new ArimaOrder(1, 0, 0, 0, 0, 0, 1, false), z, 1)!;
        var slope = cross / squares;
        Assert.Equal(slope, fit.Polynomials().Phi[0], 6);
        double sse = 0;
        for (var t = 1; t < z.Length; t++)
        {
            sse += Math.Pow(z[t] - slope * z[t - 1], 2);
        }
        Assert.Equal(sse / (z.Length - 1), fit.Sigma2, 6);
    }

    [Fact]
    public void Ar1WithMeanByCss_IsTheRegressionWithIntercept()
    {
        // z_t − c = φ (z_{t−1} − c) + e_t is z_t = α + φ z_{t−1} + e_t with α = c(1 − φ): ordinary least squares.
        var z = ArimaTestSeries.Ar1(400, -0.4, seed: 9).Select(v => v + 5).ToArray();
        var n = z.Length - 1;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var t = 1; t < z.Length; t++)
        {
            sx += z[t - 1];
            sy += z[t];
            sxx += z[t - 1] * z[t - 1];
            sxy += z[t - 1] * z[t];
        }
        var slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        var intercept = (sy - slope * sx) / n;
        var fit = ArimaFitter.FitConditional(new ArimaOrder(1, 0, 0, 0, 0, 0, 1, true), z, 1)!;
        var model = fit.Polynomials();
        Assert.Equal(slope, model.Phi[0], 6);
        Assert.Equal(intercept / (1 - slope), model.Constant, 6);
    }

    [Fact]
    public void SeasonalMa_IsRecoveredFromASimulation()
    {
        // w_t = e_t + 0.4 e_{t−1} − 0.7 e_{t−12} − 0.28 e_{t−13}, 3000 points: estimates within sampling error.
        var e = ArimaTestSeries.Gaussian(3000, seed: 10);
        var w = new double[e.Length];
        for (var t = 0; t < w.Length; t++)
        {
            w[t] = e[t] + (t >= 1 ? 0.4 * e[t - 1] : 0) + (t >= 12 ? -0.7 * e[t - 12] : 0) + (t >= 13 ? -0.28 * e[t - 13] : 0);
        }
        var order = new ArimaOrder(0, 0, 1, 0, 0, 1, 12, false);
        var fit = ArimaFitter.RefineExact(ArimaFitter.FitConditional(order, w, 0)!, w, 20);
        var model = fit.Polynomials();
        Assert.Equal(0.4, model.Theta[0], 1);
        Assert.Equal(-0.7, model.SeasonalTheta[0], 1);
        Assert.Equal(1, fit.Sigma2, 1);
    }

    [Fact]
    public void Aicc_CountsTheVarianceAsAParameter()
    {
        // k = 2 (φ and σ²), n = 100: AICc = −2 log L + 4 + 12/97.
        var fit = new ArimaFit(new ArimaOrder(1, 0, 0, 0, 0, 0, 1, false), [0.1], 1, minusTwoLogLikelihood: 300, observations: 100, exact: true);
        Assert.Equal(304 + 12.0 / 97, fit.Aicc, 12);
    }
}
