namespace AnalyticsHub.Analytics.Anomalies.Nab;

/// <summary>
/// NAB's reward curve: 2 / (1 + e^{5y}) − 1 over a detection's relative position y. Inside a window y runs from −1
/// (first row) towards 0 (last row), so the value falls from ≈ 0.987 towards 0; after a window y counts window widths
/// past its end and the value falls from 0 towards −1. Beyond y = 3 it is exactly −1 (a plain false positive).
/// </summary>
public static class ScaledSigmoid
{
    /// <summary>The value at a window's first row, which NAB scales a true positive by so it earns the full tpWeight.</summary>
    public static readonly double AtWindowStart = Of(-1.0);

    /// <summary>The curve at relative position <paramref name="y"/>.</summary>
    public static double Of(double y) => y > 3.0 ? -1.0 : (2.0 / (1.0 + Math.Exp(5.0 * y))) - 1.0;
}
