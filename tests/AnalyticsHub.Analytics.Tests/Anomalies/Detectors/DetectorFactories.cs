using AnalyticsHub.Analytics.Anomalies;
using AnalyticsHub.Analytics.Anomalies.Detectors;
using AnalyticsHub.Analytics.Anomalies.Ensemble;

namespace AnalyticsHub.Analytics.Tests.Anomalies.Detectors;

/// <summary>Fresh instances of the detectors under test, by name.</summary>
internal static class DetectorFactories
{
    public static IAnomalyDetector Create(string name) => name switch
    {
        "robust-z" => new RobustZDetector(),
        "iqr" => new IqrDetector(),
        "ewma" => new EwmaDetector(),
        "seasonal" => new SeasonalResidualDetector(),
        "level-shift" => new LevelShiftDetector(),
        "trend-change" => new TrendChangeDetector(),
        "isolation-forest" => new IsolationForestDetector(),
        "volatility-shift" => new VolatilityShiftDetector(),
        "ensemble" => new EnsembleDetector(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown detector"),
    };

    public static TheoryData<string> Members => new(["robust-z", "iqr", "ewma", "seasonal", "level-shift", "trend-change", "isolation-forest", "volatility-shift"]);

    public static TheoryData<string> All => new([.. Members, "ensemble"]);
}
