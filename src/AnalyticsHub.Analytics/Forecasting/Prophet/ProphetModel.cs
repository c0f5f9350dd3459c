using AnalyticsHub.Analytics.Forecasting.Preprocessing;

namespace AnalyticsHub.Analytics.Forecasting.Prophet;

/// <summary>A Prophet-style additive regression (Taylor &amp; Letham, "Forecasting at Scale", 2018):
/// y(t) = trend(t) + Σ seasonalities(t) + events(t) + ε. The trend is piecewise linear with many candidate
/// changepoints whose slope changes have a Laplace prior (an L1 penalty, so most vanish); each seasonal period that
/// fits twice into the history is a Fourier series; events are step regressors (<see cref="EventWindow"/>). Fitted
/// by penalised least squares (<see cref="ProphetEstimator"/>), forecast with the last slope, intervals from the
/// noise plus the trend's uncertainty (<see cref="TrendUncertainty"/>). In multiplicative mode the same model runs
/// on log y.</summary>
public sealed class ProphetModel(ProphetOptions options) : IForecastModel
{
    /// <summary>Fewest points fitted: a handful beyond the trend's own columns.</summary>
    private const int MinimumHistory = 10;

    public ProphetModel()
        : this(new ProphetOptions())
    {
    }

    public string Name => "prophet";

    public ProphetOptions Options => options;

    public ModelForecast? Fit(ReadOnlySpan<double> history, ForecastSpec spec)
    {
        var fit = FitScaled(history, spec, out var scaling);
        if (fit is null)
        {
            return null;
        }
        var point = new double[spec.Horizon];
        var lower = new double[spec.Horizon];
        var upper = new double[spec.Horizon];
        fit.Forecast(spec.Level, point, lower, upper);
        scaling.InverseInPlace(point);
        scaling.InverseInPlace(lower);
        scaling.InverseInPlace(upper);

        var residuals = new double[history.Length];
        for (var t = 0; t < residuals.Length; t++)
        {
            residuals[t] = history[t] - scaling.Inverse(fit.Fitted[t]);
        }
        var periods = fit.Design.Terms.ToArray().Select(term => term.Period).Distinct();
        var name = $"Prophet[{string.Join(',', periods)}{(scaling.Log ? ";log" : "")}]";
        return new ModelForecast(name, point, lower, upper) { Residuals = residuals };
    }

    /// <summary>The fit on the scaled history, with its scaling; null when the history is too short or constant.</summary>
    internal ProphetFit? FitScaled(ReadOnlySpan<double> history, ForecastSpec spec, out ProphetScaling scaling)
    {
        scaling = default;
        var n = history.Length;
        if (n < MinimumHistory)
        {
            return null;
        }
        var found = ProphetScaling.For(history, UseLog(history, spec));
        if (found is null)
        {
            return null;
        }
        scaling = found.Value;
        var y = new double[n];
        scaling.Forward(history, y);
        var periods = spec.SeasonalPeriods.Where(period => n >= 2 * period).ToArray();
        var terms = FourierTerm.For(periods, options.FourierOrder);
        var design = new ProphetDesign(n, options.ChangepointCount, options.ChangepointRange, terms, options.Events);
        return ProphetEstimator.Fit(design, y, options);
    }

    private bool UseLog(ReadOnlySpan<double> history, ForecastSpec spec)
    {
        if (options.Mode == SeasonalityMode.Additive || !AllPositive(history))
        {
            return false;
        }
        return options.Mode == SeasonalityMode.Multiplicative
            || GuerreroLambda.Estimate(history, spec.PrimaryPeriod) <= options.LogLambdaThreshold;
    }

    private static bool AllPositive(ReadOnlySpan<double> history)
    {
        foreach (var value in history)
        {
            if (!(value > 0))
            {
                return false;
            }
        }
        return true;
    }
}
