namespace AnalyticsHub.Analytics.Forecasting.Ets;

/// <summary>Smoothing parameters of an ETS model in error-correction form: α (level), β (trend), γ (season),
/// φ (damping; 1 for an undamped trend). Components the form lacks ignore their parameter.</summary>
public readonly record struct EtsSmoothing(double Alpha, double Beta = 0, double Gamma = 0, double Phi = 1)
{
    /// <summary>The usual region (Hyndman et al., 2008, §5.2): 0 &lt; β ≤ α &lt; 1, 0 &lt; γ ≤ 1 − α, 0.8 ≤ φ ≤ 0.98.</summary>
    public bool IsWithinUsualBounds(EtsForm form)
    {
        const double Floor = 1e-4;
        if (Alpha < Floor || Alpha > 1 - Floor)
        {
            return false;
        }
        if (form.HasTrend && (Beta < Floor || Beta > Alpha))
        {
            return false;
        }
        if (form.HasSeason && (Gamma < Floor || Gamma > 1 - Alpha))
        {
            return false;
        }
        return form.Trend != EtsTrend.Damped || (Phi >= 0.8 && Phi <= 0.98);
    }
}
