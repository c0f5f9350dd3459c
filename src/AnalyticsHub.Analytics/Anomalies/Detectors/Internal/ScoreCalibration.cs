namespace AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

/// <summary>
/// Maps raw statistics to the common [0, 1] scale through a tail probability, so detectors can be combined: a z-score
/// becomes −log10 of its two-sided Gaussian tail over <see cref="DecadesToSaturate"/> decades. z = 3 → 0.26,
/// z = 4 → 0.42, z = 5 → 0.62, z = 6 → 0.87, z ≥ 6.5 → 1. The log keeps resolution in the far tail, where a
/// probability would round to 1.
/// </summary>
internal static class ScoreCalibration
{
    public const double DecadesToSaturate = 10.0;

    public static double FromZ(double z)
    {
        double decades = -Log10TwoSidedTail(Math.Abs(z));
        return Math.Clamp(decades / DecadesToSaturate, 0.0, 1.0);
    }

    /// <summary>log10 P(|Z| ≥ z) for a standard normal Z, accurate in the far tail (no underflow).</summary>
    public static double Log10TwoSidedTail(double z)
    {
        // Chebyshev-fitted erfc (fractional error < 1.2e-7 everywhere), kept in log form: P(|Z| ≥ z) = erfc(z / √2).
        double x = z / Math.Sqrt(2.0);
        double t = 1.0 / (1.0 + (0.5 * x));
        double poly = -1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418 + (t * (-0.18628806
            + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587 + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))));
        double lnTail = Math.Log(t) - (x * x) + poly;
        return Math.Min(0.0, lnTail / Math.Log(10.0));
    }
}
