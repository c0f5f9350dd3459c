namespace AnalyticsHub.Analytics.Forecasting.Scenarios;

/// <summary>Applies what-if adjustments to a forecast. Adjustments apply in the order given, so "traffic 2× from
/// step 0, then +100 from step 24" doubles first and adds after. Bounds move with the point: a multiplier scales
/// the interval (a scaled quantity's uncertainty scales with it), a shift moves it. A negative multiplier would
/// swap the bounds, so each step's bounds are re-ordered.</summary>
public static class ScenarioAnalysis
{
    public static ScenarioForecast Apply(ForecastBand baseline, IReadOnlyList<ScenarioAdjustment> adjustments)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(adjustments);
        var horizon = baseline.Point.Length;
        var point = new double[horizon];
        var lower = new double[horizon];
        var upper = new double[horizon];
        for (var step = 0; step < horizon; step++)
        {
            double p = baseline.Point[step], l = baseline.Lower[step], u = baseline.Upper[step];
            foreach (var adjustment in adjustments)
            {
                p = adjustment.ApplyAt(step, p);
                l = adjustment.ApplyAt(step, l);
                u = adjustment.ApplyAt(step, u);
            }
            point[step] = p;
            lower[step] = Math.Min(l, u);
            upper[step] = Math.Max(l, u);
        }
        return new ScenarioForecast(baseline, new ForecastBand(point, lower, upper));
    }
}
