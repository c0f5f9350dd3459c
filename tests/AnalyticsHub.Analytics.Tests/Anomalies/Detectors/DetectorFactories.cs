using AnalyticsHub.Analytics.Anomalies;

namespace AnalyticsHub.Analytics.Tests.Anomalies.Detectors;

/// <summary>Fresh instances of the detectors under test, by name (from the catalog the commands use).</summary>
internal static class DetectorFactories
{
    public static IAnomalyDetector Create(string name) =>
        AnomalyDetectorCatalog.Create(name) ?? throw new ArgumentOutOfRangeException(nameof(name), name, "unknown detector");

    public static TheoryData<string> Members => new(["robust-z", "iqr", "ewma", "seasonal", "level-shift", "trend-change", "isolation-forest", "volatility-shift"]);

    public static TheoryData<string> All => new([.. Members, "ensemble"]);
}
