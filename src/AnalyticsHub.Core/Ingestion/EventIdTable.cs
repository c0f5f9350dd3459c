using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace AnalyticsHub.Core.Ingestion;

/// <summary>
/// The ids of one stripe, all generations together: an open-addressing (linear probing) set of
/// <see cref="EventIdKey"/> in one flat array of 24-byte structs. One table instead of one per
/// generation means a lookup is one probe sequence (one cache miss when the table is larger
/// than the caches) whatever the number of generations; the GC never scans it (no references).
/// Not thread-safe: the owning <see cref="EventIdStripe"/> holds its lock around every call.
/// </summary>
/// <remarks>
/// The array starts small and doubles up to the size its bound needs (an idle hub does not pay
/// for a full window); after that it is only reused. Slots come from the 32 low hash bits by
/// multiply-shift range reduction, so capacities need not be powers of two and the largest
/// matches the configured bound. Nothing leaves a tombstone, so probe chains never silt up: a
/// single removal shifts later entries back (Knuth's algorithm R), and a retired generation is
/// swept out by rebuilding the clusters it touched (<see cref="RemoveStale"/>).
/// </remarks>
internal sealed class EventIdTable
{
    // At most 2/3 full: an unsuccessful probe (every new id) then averages 5 slots (120 bytes);
    // 1/2 would save about 10 ns per new id for a third more memory (36 → 48 bytes per id).
    private const int LoadNumerator = 2;
    private const int LoadDenominator = 3;

    private readonly EventIdHasher _hasher;
    private readonly int _maxCapacity;
    private EventIdKey[] _slots;
    private int _growAt;

    public EventIdTable(EventIdHasher hasher, int initialCapacity, int maxEntries)
    {
        _hasher = hasher;
        _maxCapacity = CapacityFor(maxEntries);
        _slots = new EventIdKey[Math.Min(initialCapacity, _maxCapacity)];
        _growAt = GrowThreshold(_slots.Length);
    }

    public int Count { get; private set; }

    /// <summary>
    /// The slot holding the id, or the complement of the empty slot that ended the search (where
    /// <see cref="Add"/> puts it, if the table is not changed in between).
    /// </summary>
    public int Find(in EventIdKey key, uint hash)
    {
        var slots = _slots;
        int i = Home(hash, slots.Length);
        while (true)
        {
            ref readonly var slot = ref slots[i];
            if (slot.IsEmpty)
            {
                return ~i;
            }

            if (slot.SameId(key))
            {
                return i;
            }

            i = Next(i, slots.Length);
        }
    }

    /// <summary>
    /// Asks the CPU to start loading the home slot of <paramref name="hash"/> (a hint: no effect on
    /// the table, safe without the stripe's lock). On a table larger than the caches, a lookup's
    /// cost is that one miss; issued for a whole batch before its lookups, the misses overlap.
    /// </summary>
    public unsafe void Prefetch(uint hash)
    {
        if (Sse.IsSupported)
        {
            var slots = _slots; // a racing Grow makes this a wasted hint, nothing worse
            // The array may move before the instruction runs: a prefetch never faults, the hint is just wasted.
            // (The next line as well, for probes that run past this one, measured no faster.)
            Sse.Prefetch0(Unsafe.AsPointer(ref slots[Home(hash, slots.Length)]));
        }
    }

    /// <summary>
    /// Adds a key known to be absent, into <paramref name="emptySlot"/> from <see cref="Find"/> when
    /// given (-1: search again). The caller never adds more than the <c>maxEntries</c> given.
    /// </summary>
    public void Add(in EventIdKey key, uint hash, int emptySlot = -1)
    {
        if (Count >= _growAt && _slots.Length < _maxCapacity)
        {
            Grow();
            emptySlot = -1;
        }

        if (emptySlot >= 0)
        {
            _slots[emptySlot] = key;
        }
        else
        {
            Place(_slots, key, hash);
        }

        Count++;
    }

    /// <summary>Removes the id; returns the stamp it was added with, or -1 when absent.</summary>
    public int Remove(in EventIdKey key, uint hash)
    {
        var slots = _slots;
        int i = Home(hash, slots.Length);
        while (!slots[i].SameId(key))
        {
            if (slots[i].IsEmpty)
            {
                return -1;
            }

            i = Next(i, slots.Length);
        }

        byte stamp = slots[i].Stamp;
        DeleteAt(slots, i);
        Count--;
        return stamp;
    }

    /// <summary>Removes every id whose stamp is <paramref name="liveStamps"/> or more behind <paramref name="current"/> (mod 256).</summary>
    /// <remarks>
    /// One pass, starting just after an empty slot so no cluster wraps past the start. Stale
    /// entries are cleared; once a cluster has lost one, each later entry of that cluster is
    /// lifted out and placed again from its home slot: it lands at or before where it was, in
    /// a slot already passed, and every slot from its home to it stays occupied, as lookups
    /// need. Cheaper than shifting back once per deleted entry when many are deleted.
    /// </remarks>
    public int RemoveStale(byte current, int liveStamps)
    {
        var slots = _slots;
        int i = 0;
        while (!slots[i].IsEmpty)
        {
            i++; // one exists: the table is never full
        }

        int removed = 0;
        bool clusterChanged = false;
        for (int visited = 1; visited < slots.Length; visited++)
        {
            i = Next(i, slots.Length);
            ref var slot = ref slots[i];
            bool occupied = !slot.IsEmpty;
            bool stale = occupied & ((byte)(current - slot.Stamp) >= liveStamps);

            // Non-short-circuit operators: one rarely taken branch instead of one per empty
            // slot, which mispredicts about half the time on a half-full table.
            if (stale | (clusterChanged & occupied))
            {
                var entry = slot;
                slot = default;
                if (stale)
                {
                    removed++;
                    clusterChanged = true;
                }
                else
                {
                    Place(slots, entry, (uint)_hasher.Hash(entry));
                }
            }

            clusterChanged &= occupied;
        }

        Count -= removed;
        return removed;
    }

    public void Clear()
    {
        if (Count != 0)
        {
            Array.Clear(_slots);
            Count = 0;
        }
    }

    // Empties slot `hole`: walks the rest of its cluster; an entry whose home lies cyclically in
    // (hole, j] must stay, any other moves into the hole, which moves to where that entry was.
    private void DeleteAt(EventIdKey[] slots, int hole)
    {
        int j = hole;
        while (true)
        {
            j = Next(j, slots.Length);
            ref readonly var entry = ref slots[j];
            if (entry.IsEmpty)
            {
                break;
            }

            int home = Home((uint)_hasher.Hash(entry), slots.Length);
            bool stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays)
            {
                slots[hole] = entry;
                hole = j;
            }
        }

        slots[hole] = default;
    }

    private void Grow()
    {
        var old = _slots;
        var slots = new EventIdKey[(int)Math.Min((long)old.Length * 2, _maxCapacity)];
        foreach (ref readonly var entry in old.AsSpan())
        {
            if (!entry.IsEmpty)
            {
                Place(slots, entry, (uint)_hasher.Hash(entry));
            }
        }

        _slots = slots;
        _growAt = GrowThreshold(slots.Length);
    }

    private static void Place(EventIdKey[] slots, in EventIdKey key, uint hash)
    {
        int i = Home(hash, slots.Length);
        while (!slots[i].IsEmpty)
        {
            i = Next(i, slots.Length);
        }

        slots[i] = key;
    }

    // Enough slots that maxEntries fill at most the load limit, plus one that always stays empty.
    private static int CapacityFor(int maxEntries) => checked((int)(((long)maxEntries * LoadDenominator / LoadNumerator) + 1));

    private static int GrowThreshold(int capacity) => (int)((long)capacity * LoadNumerator / LoadDenominator);

    // Lemire's multiply-shift: maps a uniform 32-bit hash onto [0, capacity) without a division.
    private static int Home(uint hash, int capacity) => (int)(((ulong)hash * (uint)capacity) >> 32);

    private static int Next(int i, int capacity) => ++i == capacity ? 0 : i;
}
