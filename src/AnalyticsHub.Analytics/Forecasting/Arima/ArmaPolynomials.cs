namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>The expanded AR and MA polynomials of a seasonal ARMA for one parameter vector, reused across the
/// optimiser's evaluations. With the model written as z_t = Σ Ar[k] z_{t−k} + e_t + Σ Ma[k] e_{t−k}:
/// Ar are the coefficients of 1 − φ(B)Φ(Bᵐ) and Ma of θ(B)Θ(Bᵐ) − 1, indexed by lag (index 0 unused).
/// Only lags that can be non-zero (at most (p+1)(P+1) of them) are visited in the recursions.</summary>
/// <remarks>Parameter vector layout: p AR, q MA, P seasonal AR, Q seasonal MA values in the unconstrained space of
/// <see cref="ReflectionTransform"/>, then the constant (raw).</remarks>
internal sealed class ArmaPolynomials
{
    private readonly double[] _phi;
    private readonly double[] _theta;
    private readonly double[] _seasonalPhi;
    private readonly double[] _seasonalTheta;

    public ArmaPolynomials(ArimaOrder order)
    {
        Order = order;
        Ar = new double[order.ExpandedArDegree + 1];
        Ma = new double[order.ExpandedMaDegree + 1];
        _phi = new double[order.P];
        _theta = new double[order.Q];
        _seasonalPhi = new double[order.SeasonalP];
        _seasonalTheta = new double[order.SeasonalQ];
        ArLags = ProductLags(order.P, order.SeasonalP, order.Period);
        MaLags = ProductLags(order.Q, order.SeasonalQ, order.Period);
    }

    public ArimaOrder Order { get; }

    public double[] Ar { get; }

    public double[] Ma { get; }

    /// <summary>Lags k ≥ 1 where <see cref="Ar"/> may be non-zero, ascending.</summary>
    public int[] ArLags { get; }

    /// <summary>Lags k ≥ 1 where <see cref="Ma"/> may be non-zero, ascending.</summary>
    public int[] MaLags { get; }

    public double Constant { get; private set; }

    public ReadOnlySpan<double> Phi => _phi;

    public ReadOnlySpan<double> Theta => _theta;

    public ReadOnlySpan<double> SeasonalPhi => _seasonalPhi;

    public ReadOnlySpan<double> SeasonalTheta => _seasonalTheta;

    /// <summary>Sets the coefficients from a parameter vector and expands the polynomials.</summary>
    public void Load(ReadOnlySpan<double> parameters)
    {
        var o = Order;
        var at = 0;
        ReflectionTransform.ToCoefficients(parameters.Slice(at, o.P), _phi);
        at += o.P;
        // An invertible MA 1 + Σ θ Bʲ is a stationary "AR" 1 − Σ (−θ) Bʲ.
        ReflectionTransform.ToCoefficients(parameters.Slice(at, o.Q), _theta);
        Negate(_theta);
        at += o.Q;
        ReflectionTransform.ToCoefficients(parameters.Slice(at, o.SeasonalP), _seasonalPhi);
        at += o.SeasonalP;
        ReflectionTransform.ToCoefficients(parameters.Slice(at, o.SeasonalQ), _seasonalTheta);
        Negate(_seasonalTheta);
        at += o.SeasonalQ;
        Constant = o.Constant ? parameters[at] : 0;
        Expand();
    }

    private void Expand()
    {
        var m = Order.Period;
        Array.Clear(Ar);
        Array.Clear(Ma);
        // 1 − Σ Ar Bᵏ = (1 − Σ φᵢ Bⁱ)(1 − Σ Φⱼ Bᵐʲ)
        for (var i = 1; i <= _phi.Length; i++)
        {
            Ar[i] += _phi[i - 1];
        }
        for (var j = 1; j <= _seasonalPhi.Length; j++)
        {
            Ar[m * j] += _seasonalPhi[j - 1];
            for (var i = 1; i <= _phi.Length; i++)
            {
                Ar[m * j + i] -= _phi[i - 1] * _seasonalPhi[j - 1];
            }
        }
        // 1 + Σ Ma Bᵏ = (1 + Σ θᵢ Bⁱ)(1 + Σ Θⱼ Bᵐʲ)
        for (var i = 1; i <= _theta.Length; i++)
        {
            Ma[i] += _theta[i - 1];
        }
        for (var j = 1; j <= _seasonalTheta.Length; j++)
        {
            Ma[m * j] += _seasonalTheta[j - 1];
            for (var i = 1; i <= _theta.Length; i++)
            {
                Ma[m * j + i] += _theta[i - 1] * _seasonalTheta[j - 1];
            }
        }
    }

    private static void Negate(Span<double> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = -values[i];
        }
    }

    private static int[] ProductLags(int regular, int seasonal, int period)
    {
        var lags = new SortedSet<int>();
        for (var j = 0; j <= seasonal; j++)
        {
            for (var i = 0; i <= regular; i++)
            {
                if (i + j > 0)
                {
                    lags.Add(i + period * j);
                }
            }
        }
        return [.. lags];
    }
}
