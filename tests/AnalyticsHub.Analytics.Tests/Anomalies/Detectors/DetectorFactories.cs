using AnalyticsHub.Analytics.Anomalies;

namespace AnalyticsHub.Analytics.Tests.Anomalies.Detectors;

/// <summary>Fresh instances of the detectors under test, by name (from the catalog the commands use).</summary>
internal static class DetectorFactories
{
    public static IAnomalyDetector Create(string name) =>
        AnomalyDetectorCatalog.Create(name) ?? throw new ArgumentOutOfRangeException(nameof(name), name, "unknown detector");

    public static TheoryData<string> Members => new(["robust-z", "iqr", "ewma", "seasonal", "level-shift", "trend-change", "isolation-forest", "volatility-shift", "autoencoder"]);

    /// <summary>Every detector, including the contextual-novelty one, whose raw score is not a standalone alarm on noise
    /// (it is left out of <see cref="Members"/>: see ContextNoveltyDetectorTests).</summary>
    public static TheoryData<string> All => new([.. Members, "context-novelty", "ensemble"]);
}
