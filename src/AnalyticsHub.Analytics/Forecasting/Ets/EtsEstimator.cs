using AnalyticsHub.Analytics.Forecasting.Optimization;

namespace AnalyticsHub.Analytics.Forecasting.Ets;

/// <summary>Fits one ETS form by maximum likelihood: Nelder–Mead over the smoothing parameters (within the usual
/// bounds) and the initial level and trend, the seasonal states starting from <see cref="EtsInitialStates"/>.</summary>
public static class EtsEstimator
{
    private const int EvaluationsPerDimension = 120;

    /// <summary>Fits <paramref name="form"/> to <paramref name="y"/> with season length <paramref name="m"/>
    /// (ignored for non-seasonal forms). Null when the form cannot fit: too short, or non-positive data for a
    /// multiplicative form, or no valid parameters found.</summary>
    public static EtsFit? Fit(ReadOnlySpan<double> y, EtsForm form, int m)
    {
        var seasonLength = form.HasSeason ? m : 0;
        if (form.HasSeason && (m < 2 || y.Length < 2 * m + 2))
        {
            return null;
        }
        if (y.Length < 4 + form.SmoothingParameterCount)
        {
            return null;
        }
        var initialSeasonal = EtsInitialStates.Seasonal(y, form, m);
        if (form.Season == EtsSeason.Multiplicative && initialSeasonal.Any(s => !(s > 0)))
        {
            return null;
        }
        var (level0, trend0) = EtsInitialStates.LevelAndTrend(y, form, initialSeasonal);

        var objective = new EtsObjective(y.ToArray(), form, initialSeasonal);
        Span<double> parameters = stackalloc double[form.SmoothingParameterCount + (form.HasTrend ? 2 : 1)];
        Span<double> steps = stackalloc double[parameters.Length];
        var scale = Math.Max(Math.Abs(level0), 1e-8);
        objective.Pack(StartingSmoothing(form, seasonLength), level0, trend0, parameters);
        objective.Pack(new EtsSmoothing(0.1, 0.01, 0.05, 0.01), 0.1 * scale, 0.01 * scale + Math.Abs(trend0) * 0.5, steps);
        var best = NelderMead.Minimize(objective, parameters, steps, EvaluationsPerDimension * parameters.Length);
        if (!double.IsFinite(best))
        {
            return null;
        }

        var (smoothing, level, trend) = objective.Unpack(parameters);
        var seasonal = (double[])initialSeasonal.Clone();
        var residuals = new double[y.Length];
        var pass = EtsRecursion.Run(y, form, smoothing, ref level, ref trend, seasonal, residuals);
        if (!pass.Valid)
        {
            return null;
        }
        var n = y.Length;
        // Parameters as R's ets counts them: smoothing parameters, initial level/trend, m − 1 free seasonal
        // states, and σ².
        var k = form.SmoothingParameterCount + (form.HasTrend ? 2 : 1) + (form.HasSeason ? m - 1 : 0) + 1;
        var aicc = EtsLikelihood.MinusTwoLogLikelihood(pass, n) + 2.0 * k + (n - k - 1 > 0 ? 2.0 * k * (k + 1) / (n - k - 1) : double.PositiveInfinity);
        var sigma2 = pass.SumSquaredErrors / Math.Max(1, n - k);
        return new EtsFit(form, smoothing, n, level, trend, seasonal, sigma2, aicc, residuals);
    }

    /// <summary>Where the search starts: a slow level, slower trend and season, near-undamped trend
    /// (the starting values R's ets uses, scaled for long seasons).</summary>
    private static EtsSmoothing StartingSmoothing(EtsForm form, int m)
    {
        var alpha = form.HasSeason ? 0.2 / Math.Sqrt(m) + 0.05 : 0.3;
        return new EtsSmoothing(alpha, 0.1 * alpha, 0.05 * (1 - alpha), 0.95);
    }

    /// <summary>−2 log L (up to a constant) as the objective, +∞ outside the usual bounds.</summary>
    private sealed class EtsObjective(double[] y, EtsForm form, double[] initialSeasonal) : IObjective
    {
        private readonly double[] _seasonal = new double[initialSeasonal.Length];

        public double Evaluate(ReadOnlySpan<double> parameters)
        {
            var (smoothing, level, trend) = Unpack(parameters);
            if (!smoothing.IsWithinUsualBounds(form))
            {
                return double.PositiveInfinity;
            }
            initialSeasonal.CopyTo(_seasonal, 0);
            var pass = EtsRecursion.Run(y, form, smoothing, ref level, ref trend, _seasonal, []);
            return pass.Valid ? EtsLikelihood.MinusTwoLogLikelihood(pass, y.Length) : double.PositiveInfinity;
        }

        public void Pack(EtsSmoothing smoothing, double level, double trend, Span<double> parameters)
        {
            var i = 0;
            parameters[i++] = smoothing.Alpha;
            if (form.HasTrend)
            {
                parameters[i++] = smoothing.Beta;
            }
            if (form.HasSeason)
            {
                parameters[i++] = smoothing.Gamma;
            }
            if (form.Trend == EtsTrend.Damped)
            {
                parameters[i++] = smoothing.Phi;
            }
            parameters[i++] = level;
            if (form.HasTrend)
            {
                parameters[i] = trend;
            }
        }

        public (EtsSmoothing Smoothing, double Level, double Trend) Unpack(ReadOnlySpan<double> parameters)
        {
            var i = 0;
            var alpha = parameters[i++];
            var beta = form.HasTrend ? parameters[i++] : 0;
            var gamma = form.HasSeason ? parameters[i++] : 0;
            var phi = form.Trend == EtsTrend.Damped ? parameters[i++] : 1;
            var level = parameters[i++];
            var trend = form.HasTrend ? parameters[i] : 0;
            return (new EtsSmoothing(alpha, beta, gamma, phi), level, trend);
        }
    }
}
