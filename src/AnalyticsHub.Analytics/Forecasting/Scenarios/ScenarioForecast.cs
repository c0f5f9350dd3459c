namespace AnalyticsHub.Analytics.Forecasting.Scenarios;

/// <summary>A baseline forecast and the same forecast under a scenario, step by step.</summary>
public sealed class ScenarioForecast(ForecastBand baseline, ForecastBand scenario)
{
    public ForecastBand Baseline => baseline;

    public ForecastBand Scenario => scenario;

    /// <summary>Scenario minus baseline point forecast at step <paramref name="step"/>.</summary>
    public double DifferenceAt(int step) => scenario.Point[step] - baseline.Point[step];

    /// <summary>Σ (scenario − baseline) over the horizon: e.g. the extra spend the scenario implies.</summary>
    public double TotalDifference
    {
        get
        {
            double total = 0;
            for (var step = 0; step < baseline.Point.Length; step++)
            {
                total += DifferenceAt(step);
            }
            return total;
        }
    }
}

/// <summary>Point forecasts with the interval's lower and upper bounds, all one horizon long.</summary>
public sealed record ForecastBand(double[] Point, double[] Lower, double[] Upper);
