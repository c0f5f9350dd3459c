using System.Runtime.InteropServices;

namespace AnalyticsHub.Core.Ingestion;

/// <summary>
/// Keyed hash of an <see cref="EventIdKey"/>: two folded 64×64→128-bit multiplies (wyhash style)
/// over the key XORed with per-instance random secrets. Event ids come from clients, so an
/// unkeyed hash would let one craft ids that all land in one probe chain and turn every lookup
/// into a scan; without the secrets colliding ids cannot be chosen. Not a MAC — only spreads.
/// </summary>
internal readonly struct EventIdHasher
{
    private readonly ulong _k0, _k1, _k2, _k3;

    private EventIdHasher(ReadOnlySpan<ulong> secrets)
    {
        _k0 = secrets[0];
        _k1 = secrets[1];
        _k2 = secrets[2];
        _k3 = secrets[3];
    }

    public static EventIdHasher CreateRandom()
    {
        Span<ulong> secrets = stackalloc ulong[4];
        Random.Shared.NextBytes(MemoryMarshal.AsBytes(secrets));
        return new EventIdHasher(secrets);
    }

    /// <summary>Hashes the id and tenant, not the generation stamp, so a key hashes the same whenever it was added.</summary>
    public ulong Hash(in EventIdKey key) =>
        FoldedMultiply(FoldedMultiply(key.High ^ _k0, key.Low ^ _k1) ^ _k2, key.Tenant ^ _k3);

    private static ulong FoldedMultiply(ulong a, ulong b)
    {
        ulong high = Math.BigMul(a, b, out ulong low);
        return high ^ low;
    }
}
