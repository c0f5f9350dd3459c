using AnalyticsHub.Analytics.Forecasting.Accuracy;
using AnalyticsHub.Analytics.Forecasting.Engine;
using AnalyticsHub.Analytics.Forecasting.Preprocessing;

namespace AnalyticsHub.Analytics.Forecasting;

/// <summary>Automatic forecasting: every candidate model forecasts the last <see cref="ForecastEngineOptions.ValidationWindows"/>
/// horizons before the origin from the history before them (rolling origin); their sMAPE there sets the weights
/// (<see cref="CombinationRule"/>); the chosen members are refit on the whole history and combined; the combined
/// interval is scaled so it would have covered the validation actuals at the asked level. Thread-safe: one engine
/// can forecast many series in parallel.</summary>
public sealed class ForecastEngine(IReadOnlyList<IForecastModel> candidates, ForecastEngineOptions options)
{
    /// <summary>An engine over <see cref="ForecastModelCatalog.Candidates"/> with default options.</summary>
    public ForecastEngine()
        : this(ForecastModelCatalog.Candidates, new ForecastEngineOptions())
    {
    }

    public IReadOnlyList<IForecastModel> Candidates => candidates;

    /// <summary>Fewest observations the engine accepts for <paramref name="spec"/>: a season and a few points more
    /// (seasonal naive's need), or 4 without season.</summary>
    public static int MinimumHistory(ForecastSpec spec) => Math.Max(4, spec.PrimaryPeriod + 2);

    /// <summary>Forecasts <paramref name="history"/> (oldest first; NaN marks a missing value and is interpolated).</summary>
    public EngineForecast Forecast(ReadOnlySpan<double> history, ForecastSpec spec)
    {
        if (history.Length < MinimumHistory(spec))
        {
            throw new ArgumentException($"the history has {history.Length} points; at least {MinimumHistory(spec)} are needed", nameof(history));
        }
        var series = history.ToArray();
        if (MissingValues.Any(series))
        {
            MissingValues.Interpolate(series);
        }
        if (options.CleanOutliers)
        {
            OutlierCleaner.Clean(series, spec.SeasonalPeriods);
        }

        var errors = ValidationErrors(series, spec, out var validationForecasts, out var windows);
        var weights = EnsembleWeights.FromErrors(errors, options.Rule, options.MaxMembers);
        var validated = weights.Any(w => w > 0);

        var forecasts = new ModelForecast?[candidates.Count];
        for (var c = 0; c < candidates.Count; c++)
        {
            if (options.ForecastAllCandidates || weights[c] > 0 || !validated)
            {
                forecasts[c] = candidates[c].Fit(series, spec);
            }
        }
        if (!validated)
        {
            // Too short to validate: an equal-weight average of whatever fits.
            for (var c = 0; c < candidates.Count; c++)
            {
                weights[c] = forecasts[c] is null ? 0 : 1;
            }
        }
        if (!weights.Where((w, c) => w > 0 && forecasts[c] is not null).Any())
        {
            throw new InvalidOperationException("no candidate model could fit the series");
        }

        var scale = validated && options.CalibrateIntervals
            ? CalibrationScale(series, spec, weights, validationForecasts, windows)
            : 1.0;
        var (point, lower, upper) = ForecastCombiner.Combine(forecasts, weights, spec.Horizon, scale);
        var results = new CandidateResult[candidates.Count];
        for (var c = 0; c < candidates.Count; c++)
        {
            results[c] = new CandidateResult(candidates[c].Name, errors[c], forecasts[c] is null ? 0 : weights[c], forecasts[c]);
        }
        return new EngineForecast(point, lower, upper, results, scale);
    }

    /// <summary>Mean validation sMAPE per candidate over the windows that fit in the history (NaN when a candidate
    /// failed a window or no window fits), with the validation forecasts per window and candidate.</summary>
    private double[] ValidationErrors(double[] series, ForecastSpec spec, out ModelForecast?[,] forecasts, out int windows)
    {
        var h = spec.Horizon;
        windows = Math.Max(0, Math.Min(options.ValidationWindows, (series.Length - MinimumHistory(spec)) / h));
        forecasts = new ModelForecast?[windows, candidates.Count];
        var errors = new double[candidates.Count];
        for (var c = 0; c < candidates.Count; c++)
        {
            errors[c] = windows == 0 ? double.NaN : 0;
            for (var w = 0; w < windows && !double.IsNaN(errors[c]); w++)
            {
                var origin = series.Length - (w + 1) * h;
                var forecast = candidates[c].Fit(series.AsSpan(0, origin), spec);
                forecasts[w, c] = forecast;
                errors[c] = forecast is null ? double.NaN
                    : errors[c] + ForecastAccuracy.Smape(series.AsSpan(origin, h), forecast.Point) / windows;
            }
        }
        return errors;
    }

    /// <summary>The conformal scale of the combined interval on the validation windows, with the final weights.</summary>
    private static double CalibrationScale(double[] series, ForecastSpec spec, double[] weights,
        ModelForecast?[,] validationForecasts, int windows)
    {
        var scores = new List<double>(windows * spec.Horizon);
        var members = new ModelForecast?[weights.Length];
        for (var w = 0; w < windows; w++)
        {
            for (var c = 0; c < weights.Length; c++)
            {
                members[c] = validationForecasts[w, c];
            }
            var (point, lower, upper) = ForecastCombiner.Combine(members, weights, spec.Horizon, 1.0);
            var origin = series.Length - (w + 1) * spec.Horizon;
            IntervalCalibration.AddScores(series.AsSpan(origin, spec.Horizon), point, lower, upper, scores);
        }
        return IntervalCalibration.Scale(scores, spec.Level);
    }
}
