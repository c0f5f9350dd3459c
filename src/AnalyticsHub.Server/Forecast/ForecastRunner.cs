using AnalyticsHub.Analytics.Forecasting;
using AnalyticsHub.Analytics.Forecasting.Scenarios;

namespace AnalyticsHub.Server.Forecast;

/// <summary>Runs the forecasting engine for a validated request. Cumulative spend is forecast through its per-step
/// increments (a cumulative series is a trend the models would extrapolate badly) and cumulated back; scenarios
/// adjust the per-step forecast; the budget is checked against the spend so far plus the forecast.</summary>
internal static class ForecastRunner
{
    /// <summary>Forecasts; throws <see cref="ArgumentException"/> or <see cref="InvalidOperationException"/> when the
    /// engine cannot forecast the series.</summary>
    public static ForecastAnswer Run(ForecastRequest request)
    {
        var cumulative = request.Budget is { Cumulative: true };
        var series = cumulative ? BudgetCrossing.Increments(request.Values) : request.Values;
        var candidates = request.Models is null
            ? ForecastModelCatalog.Candidates
            : [.. ForecastModelCatalog.Candidates.Where(m => request.Models.Contains(m.Name, StringComparer.Ordinal))];
        var spec = new ForecastSpec(request.Horizon, request.SeasonalPeriods, request.Level);
        var engine = new ForecastEngine(candidates, new ForecastEngineOptions()).Forecast(series, spec);

        var perStep = new ForecastBand(engine.Point, engine.Lower, engine.Upper);
        var scenario = request.Scenario is null ? null : ScenarioAnalysis.Apply(perStep, request.Scenario.Adjustments);
        var spent = cumulative ? request.Values[^1] : Sum(request.Values);
        var budget = request.Budget is null ? null : new BudgetAnswer(
            request.Budget.Amount,
            spent,
            BudgetCrossing.Find(spent, perStep, request.Budget.Amount),
            scenario is null ? null : BudgetCrossing.Find(spent, scenario.Scenario, request.Budget.Amount));

        if (cumulative)
        {
            var start = request.Values[^1];
            scenario = scenario is null ? null : new ScenarioForecast(Cumulate(start, scenario.Baseline), Cumulate(start, scenario.Scenario));
            perStep = Cumulate(start, perStep);
        }
        return new ForecastAnswer(request, engine, perStep, scenario, budget);
    }

    /// <summary>Running totals from <paramref name="start"/>; bounds add up step by step (see <see cref="BudgetCrossing.Find"/>).</summary>
    private static ForecastBand Cumulate(double start, ForecastBand band) =>
        new(RunningTotal(start, band.Point), RunningTotal(start, band.Lower), RunningTotal(start, band.Upper));

    private static double[] RunningTotal(double start, double[] steps)
    {
        var totals = new double[steps.Length];
        var total = start;
        for (var i = 0; i < steps.Length; i++)
        {
            total += steps[i];
            totals[i] = total;
        }
        return totals;
    }

    private static double Sum(double[] values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }
        return sum;
    }
}
