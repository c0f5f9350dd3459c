namespace AnalyticsHub.Analytics.Forecasting.Learned;

/// <summary>A learned forecaster trained per series: gradient-boosted regression trees (<see cref="GradientBoosting"/>)
/// predict the next value over the level one step ahead from lags, short means and the phase in each
/// season (<see cref="LagFeatures"/>), and forecast the horizon recursively. The last
/// <see cref="BoostingOptions.ValidationLength"/> points are held out in time order: they stop the boosting early,
/// and forecasts from every origin among them give the errors by step ahead that the interval's quantiles come from
/// (<see cref="EmpiricalInterval"/>). Deterministic for a given <see cref="BoostingOptions.Seed"/>.</summary>
public sealed class GradientBoostedForecaster(BoostingOptions options) : IForecastModel
{
    /// <summary>Neighbouring steps pooled on each side when taking an interval quantile.</summary>
    private const int IntervalPool = 4;

    public GradientBoostedForecaster()
        : this(new BoostingOptions())
    {
    }

    public string Name => "gbt";

    public ModelForecast? Fit(ReadOnlySpan<double> history, ForecastSpec spec)
    {
        var n = history.Length;
        var tail = Math.Max(options.ValidationLength, spec.Horizon);
        var features = LagFeatures.For(n, spec.SeasonalPeriods, tail + options.MinTrainingRows);
        if (features is null)
        {
            return null;
        }
        var width = features.Count;
        var rows = n - features.Lookback;
        var matrix = new double[rows * width];
        var targets = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var t = features.Lookback + r;
            var level = features.Level(history, t);
            features.Write(history, t, level, matrix.AsSpan(r * width, width));
            targets[r] = LagFeatures.Target(history, t, level);
        }

        var validated = GradientBoosting.Train(matrix, width, targets, rows - tail, options);
        var errors = new RecursiveForecast(features, validated).TailErrors(history, tail, spec.Horizon);
        var model = options.RefitOnAllRows
            ? GradientBoosting.Train(matrix, width, targets, rows, options, validated.TreeCount)
            : validated;

        var buffer = new double[n + spec.Horizon];
        history.CopyTo(buffer);
        new RecursiveForecast(features, model).Run(buffer, n, spec.Horizon, new double[width]);
        var point = buffer[n..];
        var (below, above) = EmpiricalInterval.Offsets(errors, spec.Level, IntervalPool);
        var lower = new double[spec.Horizon];
        var upper = new double[spec.Horizon];
        for (var h = 0; h < spec.Horizon; h++)
        {
            lower[h] = point[h] + below[h];
            upper[h] = point[h] + above[h];
        }
        return new ModelForecast($"GBT(depth {options.Depth}, {model.TreeCount} trees)", point, lower, upper)
        {
            Residuals = [.. errors[0]],
        };
    }
}
