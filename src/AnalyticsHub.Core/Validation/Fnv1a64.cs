namespace AnalyticsHub.Core.Validation;

/// <summary>
/// FNV-1a, 64-bit, over UTF-8 bytes: a stable, allocation-free key for short identifiers such as
/// asset ids (System.IO.Hashing is not available to Core). Stable across processes and machines,
/// unlike <see cref="HashCode"/>, so keys can be logged and compared between nodes. Not
/// collision-resistant against an adversary: use it for bucketing, never for identity.
/// </summary>
public static class Fnv1a64
{
    public const ulong OffsetBasis = 0xcbf29ce484222325;
    public const ulong Prime = 0x100000001b3;

    public static ulong Hash(ReadOnlySpan<byte> data)
    {
        ulong hash = OffsetBasis;
        foreach (byte b in data)
        {
            hash = (hash ^ b) * Prime;
        }

        return hash;
    }
}
