namespace AnalyticsHub.Analytics.Forecasting.Ets;

/// <summary>The Gaussian likelihood of an ETS fit with σ² concentrated out (Hyndman et al., 2008, §5.1).</summary>
internal static class EtsLikelihood
{
    private static readonly double LogTwoPiPlusOne = Math.Log(2 * Math.PI) + 1;

    /// <summary>−2 log L = n (log(2π SSE / n) + 1) + 2 Σ log |ŷ_t|, the last term only for multiplicative error
    /// (SSE then sums relative errors). A perfect fit (SSE = 0) is floored so the value stays finite.</summary>
    public static double MinusTwoLogLikelihood(in EtsPass pass, int n) =>
        n * (Math.Log(Math.Max(pass.SumSquaredErrors / n, 1e-300)) + LogTwoPiPlusOne) + 2 * pass.SumLogForecasts;
}
