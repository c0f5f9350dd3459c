namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>A fitted ARIMA: its form, its parameters (in the optimiser's space, see <see cref="ArmaPolynomials"/>),
/// the innovation variance and the information criterion it was compared by.</summary>
internal sealed class ArimaFit
{
    public ArimaFit(ArimaOrder order, double[] parameters, double sigma2, double minusTwoLogLikelihood, int observations, bool exact)
    {
        Order = order;
        Parameters = parameters;
        Sigma2 = sigma2;
        MinusTwoLogLikelihood = minusTwoLogLikelihood;
        Observations = observations;
        Exact = exact;
        // k counts σ² as well (Hyndman & Khandakar, 2008).
        var k = order.CoefficientCount + 1;
        Aicc = minusTwoLogLikelihood + 2.0 * k + (observations - k - 1 > 0 ? 2.0 * k * (k + 1) / (observations - k - 1) : double.PositiveInfinity);
    }

    public ArimaOrder Order { get; }

    public double[] Parameters { get; }

    public double Sigma2 { get; }

    public double MinusTwoLogLikelihood { get; }

    /// <summary>Points the likelihood was computed over.</summary>
    public int Observations { get; }

    /// <summary>True for the exact (Kalman) likelihood, false for the conditional sum of squares.</summary>
    public bool Exact { get; }

    public double Aicc { get; }

    /// <summary>The coefficients on their natural scale (φ, θ, Φ, Θ, constant).</summary>
    public ArmaPolynomials Polynomials()
    {
        var polynomials = new ArmaPolynomials(Order);
        polynomials.Load(Parameters);
        return polynomials;
    }
}
