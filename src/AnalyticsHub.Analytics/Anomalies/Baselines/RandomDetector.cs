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
    public AnomalyScore Observe(long timestampUnixSeconds, double value) => new(NextUnit(), double.NaN, double.NaN);

    /// <summary>SplitMix64's next output, its top 53 bits as a double in [0, 1).</summary>
    private double NextUnit()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
