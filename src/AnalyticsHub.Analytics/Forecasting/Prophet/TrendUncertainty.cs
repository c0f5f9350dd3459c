namespace AnalyticsHub.Analytics.Forecasting.Prophet;

/// <summary>How far the trend may wander from its extrapolation, as Prophet assumes: future slope changes arrive at
/// the history's rate (S changepoints per unit of scaled time) with Laplace(0, b) sizes, b the fit's mean |δ|.
/// Prophet simulates such paths and takes quantiles; here their variance is used in closed form. A change δ at
/// u ∈ (0, τ) moves the trend at τ by δ·(τ − u); for a Poisson stream of rate S with Var δ = 2b²,
/// Var = S·2b²·∫₀^τ (τ − u)² du = (2/3)·S·b²·τ³. Taking it as Gaussian is the approximation (the simulated
/// mixture has heavier tails).</summary>
internal static class TrendUncertainty
{
    /// <param name="changepointRate">S, slope changes per unit of scaled time.</param>
    /// <param name="slopeChangeScale">b, the Laplace scale of a slope change.</param>
    /// <param name="elapsed">τ, scaled time since the end of the history.</param>
    public static double Variance(double changepointRate, double slopeChangeScale, double elapsed) =>
        2.0 / 3.0 * changepointRate * slopeChangeScale * slopeChangeScale * elapsed * elapsed * elapsed;
}
