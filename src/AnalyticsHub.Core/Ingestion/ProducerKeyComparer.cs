using System.Runtime.InteropServices;

namespace AnalyticsHub.Core.Ingestion;

/// <summary>
/// Compares producer ids as bytes and lets the producer table be searched with a
/// <see cref="ReadOnlySpan{T}"/> (no array or string per lookup; one copy per new producer).
/// </summary>
internal sealed class ProducerKeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly ProducerKeyComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode(byte[] obj) => Hash(obj);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

    // Producer ids come from clients: hash them with the runtime's per-process randomized Marvin
    // (string hashing, reached by viewing the bytes as chars) so colliding ids cannot be chosen.
    private static int Hash(ReadOnlySpan<byte> key)
    {
        int hash = string.GetHashCode(MemoryMarshal.Cast<byte, char>(key));
        return (key.Length & 1) == 0 ? hash : HashCode.Combine(hash, key[^1]);
    }
}
