namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>Exact-likelihood objective as a sum of squares: with σ² concentrated out, −2 log L is, up to constants,
/// n log(Σ v²/F) + Σ log F, which is minimised by the same parameters as Σ (g v/√F)² with g = exp(Σ log F / 2n).</summary>
internal sealed class ExactLikelihoodObjective : IResidualFunction
{
    private readonly ArmaPolynomials _model;
    private readonly double[] _series;
    private readonly double[] _centered;
    private readonly ArmaKalmanFilter _filter;

    public ExactLikelihoodObjective(ArmaPolynomials model, double[] series)
    {
        _model = model;
        _series = series;
        _centered = new double[series.Length];
        _filter = new ArmaKalmanFilter(model.Order);
    }

    public int ResidualCount => _series.Length;

    public void Evaluate(ReadOnlySpan<double> parameters, Span<double> residuals)
    {
        if (!TryFilter(parameters, residuals, out _, out var sumLogVariance))
        {
            residuals.Fill(double.NaN);
            return;
        }
        var scale = Math.Exp(sumLogVariance / (2.0 * _series.Length));
        for (var i = 0; i < residuals.Length; i++)
        {
            residuals[i] *= scale;
        }
    }

    /// <summary>−2 log L at <paramref name="parameters"/> with σ² at its maximum-likelihood value; NaN when the
    /// filter cannot start.</summary>
    public double MinusTwoLogLikelihood(ReadOnlySpan<double> parameters, out double sigma2)
    {
        var standardized = new double[_series.Length];
        if (!TryFilter(parameters, standardized, out var sumSquares, out var sumLogVariance))
        {
            sigma2 = double.NaN;
            return double.NaN;
        }
        var n = _series.Length;
        sigma2 = sumSquares / n;
        return n * (Math.Log(2 * Math.PI * sigma2) + 1) + sumLogVariance;
    }

    /// <summary>Runs the filter at <paramref name="parameters"/> and forecasts the centred series from its final state
    /// (exact, unlike the conditional recursion when an MA root nears the unit circle). Writes the one-step
    /// prediction errors, standardised and scaled by σ̂, into <paramref name="innovations"/>; false when the filter cannot start.</summary>
    public bool TryForecast(ReadOnlySpan<double> parameters, Span<double> innovations, Span<double> forecasts)
    {
        if (!TryFilter(parameters, innovations, out var sumSquares, out _))
        {
            return false;
        }
        // Standardised innovations times σ̂: one spread over time, which is what residual-based intervals want.
        var sigma = Math.Sqrt(sumSquares / _series.Length);
        for (var t = 0; t < innovations.Length; t++)
        {
            innovations[t] *= sigma;
        }
        _filter.Forecast(forecasts);
        return true;
    }

    private bool TryFilter(ReadOnlySpan<double> parameters, Span<double> standardized, out double sumSquares, out double sumLogVariance)
    {
        _model.Load(parameters);
        var constant = _model.Constant;
        for (var t = 0; t < _series.Length; t++)
        {
            _centered[t] = _series[t] - constant;
        }
        sumSquares = _filter.Run(_model, _centered, standardized, out sumLogVariance);
        return double.IsFinite(sumSquares);
    }
}
