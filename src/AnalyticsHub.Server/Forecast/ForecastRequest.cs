using AnalyticsHub.Analytics.Forecasting.Scenarios;

namespace AnalyticsHub.Server.Forecast;

/// <summary>A validated <c>POST /api/v1/forecast</c> body: an evenly spaced series and what to forecast.</summary>
internal sealed record ForecastRequest(
    DateTimeOffset[] Timestamps,
    double[] Values,
    int Horizon,
    double Level,
    int[] SeasonalPeriods,
    string[]? Models,
    ScenarioRequest? Scenario,
    BudgetRequest? Budget)
{
    public TimeSpan Spacing => Timestamps[1] - Timestamps[0];

    /// <summary>Timestamp of forecast step <paramref name="step"/> (0 = the first step after the history).</summary>
    public DateTimeOffset StepTime(int step) => Timestamps[^1] + Spacing * (step + 1);
}

/// <summary>What-if adjustments, each from a forecast step (converted from a timestamp when one was given).</summary>
internal sealed record ScenarioRequest(string? Name, ScenarioAdjustment[] Adjustments);

/// <summary>A budget and whether <see cref="ForecastRequest.Values"/> are cumulative spend (true) or per-step spend.</summary>
internal sealed record BudgetRequest(double Amount, bool Cumulative);
