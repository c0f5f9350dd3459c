namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>CSS objective: the conditional residuals from <paramref name="scoreStart"/> on. A common score start
/// across the forms of one search keeps their sums of squares over the same points, hence comparable.</summary>
internal sealed class ConditionalSumOfSquaresObjective(ArmaPolynomials model, double[] series, int scoreStart) : IResidualFunction
{
    private readonly double[] _centered = new double[series.Length];
    private readonly double[] _residuals = new double[series.Length];

    public int ResidualCount => series.Length - scoreStart;

    public void Evaluate(ReadOnlySpan<double> parameters, Span<double> residuals)
    {
        model.Load(parameters);
        ConditionalResiduals.Compute(model, series, _centered, _residuals);
        _residuals.AsSpan(scoreStart).CopyTo(residuals);
    }
}
