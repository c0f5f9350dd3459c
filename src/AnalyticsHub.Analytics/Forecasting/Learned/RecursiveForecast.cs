namespace AnalyticsHub.Analytics.Forecasting.Learned;

/// <summary>Multi-step forecasting with a one-step model: each forecast value is written into the series buffer and
/// becomes a lag of the next step.</summary>
internal sealed class RecursiveForecast(LagFeatures features, BoostedTrees model)
{
    /// <summary>Forecasts the <paramref name="steps"/> values after <paramref name="origin"/> into
    /// <c>buffer[origin .. origin + steps)</c>, from the values before <paramref name="origin"/>;
    /// <paramref name="scratch"/> holds one feature row.</summary>
    public void Run(Span<double> buffer, int origin, int steps, Span<double> scratch)
    {
        for (var t = origin; t < origin + steps; t++)
        {
            var level = features.Level(buffer, t);
            features.Write(buffer, t, level, scratch);
            buffer[t] = LagFeatures.Value(level, model.Predict(scratch));
        }
    }

    /// <summary>Forecast errors (actual − forecast) by step ahead, from every origin in the last
    /// <paramref name="tail"/> points of <paramref name="history"/>: origin o forecasts min(H, n − o) steps.
    /// Row h − 1 of the result holds the errors h steps ahead (fewer for larger h).</summary>
    public List<double>[] TailErrors(ReadOnlySpan<double> history, int tail, int horizon)
    {
        var n = history.Length;
        var buffer = history.ToArray();
        var scratch = new double[features.Count];
        var errors = new List<double>[horizon];
        for (var h = 0; h < horizon; h++)
        {
            errors[h] = new List<double>(tail);
        }
        for (var origin = n - tail; origin < n; origin++)
        {
            var steps = Math.Min(horizon, n - origin);
            Run(buffer, origin, steps, scratch);
            for (var h = 0; h < steps; h++)
            {
                errors[h].Add(history[origin + h] - buffer[origin + h]);
            }
            // Put the actuals back for the next origin.
            history.Slice(origin, steps).CopyTo(buffer.AsSpan(origin, steps));
        }
        return errors;
    }
}
