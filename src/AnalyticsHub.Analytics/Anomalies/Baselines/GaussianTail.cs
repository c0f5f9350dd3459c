using MathNet.Numerics;

namespace AnalyticsHub.Analytics.Anomalies.Baselines;

/// <summary>The standard normal upper tail Q(z) = P(Z &gt; z).</summary>
internal static class GaussianTail
{
    public static double Upper(double z) => 0.5 * SpecialFunctions.Erfc(z / Math.Sqrt(2));
}
