using MathNet.Numerics.Distributions;

namespace AnalyticsHub.Analytics.Forecasting.Ets;

/// <summary>An ETS model fitted to a series: its form and parameters, the states after the last observation,
/// and what selection and intervals need (σ², AICc, one-step residuals).</summary>
public sealed class EtsFit
{
    internal EtsFit(EtsForm form, EtsSmoothing smoothing, int observations, double level, double trend, double[] seasonal,
        double sigma2, double aicc, double[] residuals)
    {
        Form = form;
        Smoothing = smoothing;
        Observations = observations;
        Level = level;
        Trend = trend;
        Seasonal = seasonal;
        Sigma2 = sigma2;
        Aicc = aicc;
        Residuals = residuals;
    }

    public EtsForm Form { get; }

    public EtsSmoothing Smoothing { get; }

    /// <summary>Length of the fitted series; fixes which seasonal slot each forecast step uses.</summary>
    public int Observations { get; }

    /// <summary>Level after the last observation.</summary>
    public double Level { get; }

    /// <summary>Trend after the last observation (0 without trend).</summary>
    public double Trend { get; }

    /// <summary>Seasonal states after the last observation: slot t mod m is the season of time t. Empty without season.</summary>
    public IReadOnlyList<double> Seasonal { get; }

    /// <summary>Variance of the one-step errors (absolute for additive error, relative for multiplicative).</summary>
    public double Sigma2 { get; }

    public double Aicc { get; }

    /// <summary>One-step in-sample residuals y − ŷ.</summary>
    public double[] Residuals { get; }

    /// <summary>Point forecasts and a central interval at <paramref name="level"/>. The forecast variance is the
    /// analytic one of the linear (additive-error) class, σ²(1 + Σ_{j&lt;h} c_j²) with c_j = α + βφ_j + γ·[m | j]
    /// (Hyndman et al., 2008, table 6.1); for multiplicative error the same factor scales the relative error
    /// (a first-order approximation, exact as σ → 0).</summary>
    public ModelForecast Forecast(int horizon, double level)
    {
        var m = Seasonal.Count;
        var phi = Form.Trend == EtsTrend.Damped ? Smoothing.Phi : 1.0;
        var z = Normal.InvCDF(0, 1, 0.5 + level / 2);
        var sigma = Math.Sqrt(Sigma2);
        var point = new double[horizon];
        var lower = new double[horizon];
        var upper = new double[horizon];
        double dampedSum = 0, phiPower = 1, sumSquares = 0;
        for (var h = 1; h <= horizon; h++)
        {
            // φ_h = φ + φ² + … + φ^h multiplies the trend h steps ahead (h for an undamped trend).
            phiPower *= phi;
            var trendMultiplier = dampedSum + phiPower;
            var trendPart = Level + trendMultiplier * Trend;
            var value = Form.Season switch
            {
                EtsSeason.Additive => trendPart + Seasonal[(Observations + h - 1) % m],
                EtsSeason.Multiplicative => trendPart * Seasonal[(Observations + h - 1) % m],
                _ => trendPart,
            };
            var spread = sigma * Math.Sqrt(1 + sumSquares);
            var width = z * (Form.Error == EtsError.Multiplicative ? Math.Abs(value) * spread : spread);
            point[h - 1] = value;
            lower[h - 1] = value - width;
            upper[h - 1] = value + width;

            // c_h, used from step h + 1 on.
            var c = Smoothing.Alpha;
            if (Form.HasTrend)
            {
                c += Smoothing.Beta * trendMultiplier;
            }
            if (Form.HasSeason && h % m == 0)
            {
                c += Smoothing.Gamma;
            }
            sumSquares += c * c;
            dampedSum = trendMultiplier;
        }
        return new ModelForecast(Form.ToString(), point, lower, upper) { Aicc = Aicc, Residuals = Residuals };
    }
}
