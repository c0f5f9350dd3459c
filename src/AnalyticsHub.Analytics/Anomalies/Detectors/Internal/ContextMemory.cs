namespace AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

/// <summary>
/// A bounded memory of hashed contexts with approximately least-recently-used eviction, kept in two generations.
/// A lookup searches the current generation, then the previous one. A context found only in the previous generation
/// is copied forward, so whatever is in use stays. When the current generation holds <c>generationCapacity</c>
/// contexts, the previous one is dropped and the current one takes its place. The memory therefore never holds more
/// than 2 × <c>generationCapacity</c> contexts, and a context survives as long as it recurs at least once per
/// generation. Each generation is an open-addressing table with linear probing, a power of two in size and at most
/// half full. A slot packs a 48-bit fingerprint of the context's 64-bit hash with a 16-bit saturating count of its
/// occurrences (8 bytes). A lookup is O(1) expected; dropping a generation clears one table, amortised O(1) per
/// insertion. Nothing is allocated after construction.
/// </summary>
internal sealed class ContextMemory
{
    private const ulong CountMask = 0xFFFF;
    private const ulong KeyMask = ~CountMask;

    private readonly int _generationCapacity;
    private readonly int _mask;
    private ulong[] _current;
    private ulong[] _previous;
    private int _currentSize;
    private int _previousSize;

    public ContextMemory(int generationCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(generationCapacity, 1);
        _generationCapacity = generationCapacity;
        int slots = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * generationCapacity));
        _mask = slots - 1;
        _current = new ulong[slots];
        _previous = new ulong[slots];
    }

    /// <summary>Contexts held (a context copied forward is counted in both generations until the older one drops).</summary>
    public int Count => _currentSize + _previousSize;

    /// <summary>The most contexts the memory ever holds.</summary>
    public int Capacity => 2 * _generationCapacity;

    /// <summary>Records one occurrence of the context with this hash. Returns how often it was seen before: 0 when it
    /// is new or has been forgotten.</summary>
    public int Observe(ulong hash)
    {
        ulong key = Fingerprint(hash);
        int slot = Find(_current, key);
        if (_current[slot] != 0)
        {
            ulong count = _current[slot] & CountMask;
            if (count < CountMask)
            {
                _current[slot]++;
            }

            return (int)count;
        }

        int old = Find(_previous, key);
        int seen = _previous[old] != 0 ? (int)(_previous[old] & CountMask) : 0;
        if (_currentSize >= _generationCapacity)
        {
            Rotate();
            slot = Find(_current, key);
        }

        _current[slot] = key | Math.Min((ulong)seen + 1, CountMask);
        _currentSize++;
        return seen;
    }

    /// <summary>Forgets everything.</summary>
    public void Clear()
    {
        Array.Clear(_current);
        Array.Clear(_previous);
        _currentSize = 0;
        _previousSize = 0;
    }

    /// <summary>The upper 48 bits of the hash; never 0, which marks an empty slot.</summary>
    private static ulong Fingerprint(ulong hash)
    {
        ulong key = hash & KeyMask;
        return key == 0 ? CountMask + 1 : key;
    }

    /// <summary>The slot holding <paramref name="key"/>, or the empty slot where it would go.</summary>
    private int Find(ulong[] table, ulong key)
    {
        int slot = (int)(key >> 16) & _mask;
        while (table[slot] != 0 && (table[slot] & KeyMask) != key)
        {
            slot = (slot + 1) & _mask;
        }

        return slot;
    }

    private void Rotate()
    {
        (_previous, _current) = (_current, _previous);
        _previousSize = _currentSize;
        Array.Clear(_current);
        _currentSize = 0;
    }
}
