namespace AnalyticsHub.Analytics.Forecasting.Optimization;

/// <summary>A function to minimise over a small parameter vector; +∞ marks an infeasible point.</summary>
internal interface IObjective
{
    double Evaluate(ReadOnlySpan<double> parameters);
}
