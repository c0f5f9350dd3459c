using AnalyticsHub.Analytics.Anomalies;

namespace AnalyticsHub.Cli.Anomalies;

/// <summary>Resolves --detector names against <see cref="AnomalyDetectorCatalog"/>, failing with the known names.</summary>
internal static class DetectorLookup
{
    public static Func<IAnomalyDetector> Factory(string name) =>
        AnomalyDetectorCatalog.Factories.TryGetValue(name, out var factory)
            ? factory
            : throw new InputException($"unknown detector '{name}': use one of {string.Join(", ", AnomalyDetectorCatalog.Factories.Keys)}");
}
