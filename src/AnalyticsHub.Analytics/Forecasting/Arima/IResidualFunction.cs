namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>A vector of residuals whose sum of squares <see cref="LevenbergMarquardt"/> minimises.</summary>
internal interface IResidualFunction
{
    int ResidualCount { get; }

    /// <summary>Writes the residuals for <paramref name="parameters"/>; writes NaN when they are not defined.</summary>
    void Evaluate(ReadOnlySpan<double> parameters, Span<double> residuals);
}
