namespace AnalyticsHub.Analytics.Forecasting.Arima;

/// <summary>The form of a seasonal ARIMA model: ARIMA(p,d,q)(P,D,Q)[m], with or without a constant (the mean of
/// the differenced series: a level when d + D = 0, a drift when d + D = 1; never used when d + D ≥ 2).</summary>
public readonly record struct ArimaOrder(int P, int D, int Q, int SeasonalP, int SeasonalD, int SeasonalQ, int Period, bool Constant)
{
    /// <summary>Number of estimated coefficients (AR, MA, seasonal AR and MA, constant), without the noise variance.</summary>
    public int CoefficientCount => P + Q + SeasonalP + SeasonalQ + (Constant ? 1 : 0);

    /// <summary>Degree of the expanded AR polynomial φ(B)Φ(Bᵐ), differencing excluded.</summary>
    public int ExpandedArDegree => P + Period * SeasonalP;

    /// <summary>Degree of the expanded MA polynomial θ(B)Θ(Bᵐ).</summary>
    public int ExpandedMaDegree => Q + Period * SeasonalQ;

    /// <summary>Points lost to differencing.</summary>
    public int DifferencingLength => D + Period * SeasonalD;

    public bool IsSeasonal => SeasonalP + SeasonalD + SeasonalQ > 0;

    public override string ToString()
    {
        var text = IsSeasonal
            ? $"ARIMA({P},{D},{Q})({SeasonalP},{SeasonalD},{SeasonalQ})[{Period}]"
            : $"ARIMA({P},{D},{Q})";
        return Constant ? text + (D + SeasonalD == 0 ? " with mean" : " with drift") : text;
    }
}
