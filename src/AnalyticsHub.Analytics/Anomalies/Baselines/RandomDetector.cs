using AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

namespace AnalyticsHub.Analytics.Anomalies.Baselines;

/// <summary>
/// NAB's "random" baseline: a uniform score in [0, 1) per point, ignoring the data — the floor any detector must beat.
/// Each instance starts from the same fixed seed (SplitMix64), so a run is reproducible on any runtime.
/// </summary>
public sealed class RandomDetector(ulong seed = RandomDetector.DefaultSeed) : IAnomalyDetector
{
    /// <summary>The seed every default instance starts from.</summary>
    public const ulong DefaultSeed = 42;

    private ulong _state = seed;

    /// <inheritdoc />
    public string Name => "random";

    /// <inheritdoc />
    public AnomalyScore Observe(long timestampUnixSeconds, double value) => new(SplitMix64.NextUnit(ref _state), double.NaN, double.NaN);
}
