using AnalyticsHub.Analytics.Anomalies.Baselines;
using AnalyticsHub.Analytics.Anomalies.Detectors;
using AnalyticsHub.Analytics.Anomalies.Ensemble;

namespace AnalyticsHub.Analytics.Anomalies;

/// <summary>
/// The detectors known by name (hubctl detect --detector, evaluate-nab, the API): each name maps to a factory that
/// makes a fresh instance for one series. Add a detector with one line; the name should match its
/// <see cref="IAnomalyDetector.Name"/>. Listed in insertion order.
/// </summary>
public static class AnomalyDetectorCatalog
{
    /// <summary>The detector used when none is named (hubctl detect's default).</summary>
    public const string DefaultName = "ensemble";

    /// <summary>Name → factory of a fresh instance.</summary>
    public static IReadOnlyDictionary<string, Func<IAnomalyDetector>> Factories { get; } =
        new Dictionary<string, Func<IAnomalyDetector>>(StringComparer.OrdinalIgnoreCase)
        {
            // NAB's reference baselines: yardsticks, not for production use.
            ["windowed-gaussian"] = () => new WindowedGaussianDetector(),
            ["random"] = () => new RandomDetector(),
            ["robust-z"] = () => new RobustZDetector(),
            ["iqr"] = () => new IqrDetector(),
            ["ewma"] = () => new EwmaDetector(),
            ["seasonal"] = () => new SeasonalResidualDetector(),
            ["level-shift"] = () => new LevelShiftDetector(),
            ["trend-change"] = () => new TrendChangeDetector(),
            ["isolation-forest"] = () => new IsolationForestDetector(),
            ["volatility-shift"] = () => new VolatilityShiftDetector(),
            ["context-novelty"] = () => new ContextNoveltyDetector(),
            ["autoencoder"] = () => new AutoencoderDetector(),
            ["ensemble"] = () => new EnsembleDetector(),
        };

    /// <summary>A fresh detector by name, or null for an unknown name.</summary>
    public static IAnomalyDetector? Create(string name) => Factories.TryGetValue(name, out var factory) ? factory() : null;
}
