namespace AnalyticsHub.Analytics.Forecasting.Scenarios;

/// <summary>When forecast spending crosses a budget. Steps are 1-based forecast steps (1 = the first step after the
/// history); null means "not within the horizon".</summary>
/// <param name="Expected">First step where the spent amount plus the cumulative point forecast reaches the budget.</param>
/// <param name="Earliest">The same with the upper bounds: the soonest the budget plausibly runs out.</param>
/// <param name="Latest">The same with the lower bounds: the latest it plausibly runs out.</param>
/// <param name="AlreadyExceeded">The history alone has spent the budget.</param>
public sealed record BudgetCrossing(int? Expected, int? Earliest, int? Latest, bool AlreadyExceeded)
{
    /// <summary>Finds the crossing for per-step costs forecast as <paramref name="forecast"/>, with
    /// <paramref name="spent"/> already used. The cumulative bounds add the per-step bounds, which is exact when
    /// errors are perfectly correlated across steps and conservative (wider) otherwise.</summary>
    public static BudgetCrossing Find(double spent, ForecastBand forecast, double budget)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        if (spent >= budget)
        {
            return new BudgetCrossing(0, 0, 0, AlreadyExceeded: true);
        }
        return new BudgetCrossing(
            FirstCrossing(spent, forecast.Point, budget),
            FirstCrossing(spent, forecast.Upper, budget),
            FirstCrossing(spent, forecast.Lower, budget),
            AlreadyExceeded: false);
    }

    /// <summary>Per-step amounts of a cumulative series, one fewer than its values: x₁ − x₀, x₂ − x₁, …</summary>
    public static double[] Increments(ReadOnlySpan<double> cumulative)
    {
        var increments = new double[Math.Max(cumulative.Length - 1, 0)];
        for (var t = 0; t < increments.Length; t++)
        {
            increments[t] = cumulative[t + 1] - cumulative[t];
        }
        return increments;
    }

    private static int? FirstCrossing(double spent, double[] perStep, double budget)
    {
        var total = spent;
        for (var step = 0; step < perStep.Length; step++)
        {
            total += perStep[step];
            if (total >= budget)
            {
                return step + 1;
            }
        }
        return null;
    }
}
