using AnalyticsHub.Analytics.Forecasting;
using AnalyticsHub.Analytics.Forecasting.Scenarios;

namespace AnalyticsHub.Server.Forecast;

/// <summary>What the forecast endpoint answers: the engine's forecast in the client's terms (cumulative when the
/// client sent cumulative spend), the scenario next to it, and when the budget runs out.</summary>
internal sealed record ForecastAnswer(
    ForecastRequest Request,
    EngineForecast Engine,
    ForecastBand Forecast,
    ScenarioForecast? Scenario,
    BudgetAnswer? Budget);

/// <summary>Budget crossings of the baseline and, when a scenario was asked, of the scenario.</summary>
internal sealed record BudgetAnswer(double Amount, double Spent, BudgetCrossing Baseline, BudgetCrossing? Scenario);
