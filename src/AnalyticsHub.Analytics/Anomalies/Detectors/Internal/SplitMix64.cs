namespace AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood): the detectors' one source of reproducible randomness and of well-mixed hashes,
/// the same on every runtime (unlike <see cref="Random"/> across .NET versions).
/// </summary>
internal static class SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>The finaliser alone: a well-mixed 64-bit hash of <paramref name="x"/>.</summary>
    public static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    /// <summary>Advances <paramref name="state"/> and returns the next output's top 53 bits as a double in [0, 1).</summary>
    public static double NextUnit(ref ulong state) => (Mix(state += Gamma) >> 11) * (1.0 / (1UL << 53));
}
