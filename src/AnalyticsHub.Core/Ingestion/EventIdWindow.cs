using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Core.Ingestion;

/// <summary>
/// The event_id duplicate window: an event whose id (within its tenant) was already seen in the
/// last <see cref="EventIdWindowOptions.Window"/> is a duplicate and is not stored again.
/// </summary>
/// <remarks>
/// <para>
/// Exact, never lossy: a key is the UUID's 128 bits plus a 56-bit FNV-1a fingerprint of the
/// tenant id bytes, compared in full, so a first sighting is never reported as a duplicate
/// (the one exception would be the same UUID in two tenants whose fingerprints collide; tenant
/// ids are compared as given, so callers map an absent tenant to <c>default</c> first).
/// </para>
/// <para>
/// Guarantee: an id is remembered for at least <c>Window</c> and forgotten within
/// <c>Window × G/(G−1)</c> (<c>G</c> = <see cref="EventIdWindowOptions.Generations"/>), unless
/// <see cref="EarlyRotations"/> grew: memory is bounded by
/// <see cref="EventIdWindowOptions.MaxEntries"/>, and when an arrival rate would need more, the
/// oldest ids are forgotten early (a repeat of one is then stored again — missed, never invented).
/// </para>
/// <para>
/// Thread-safe and allocation-free per call. Keys are spread over up to 64 stripes by a keyed
/// hash; each stripe has its own lock and generations, kept in one open-addressing table with
/// each id stamped by generation (<see cref="EventIdStripe"/>, <see cref="EventIdTable"/>), so
/// the bound, rotation and early rotation apply per stripe (each holds an even share of
/// <c>MaxEntries</c>). Time is passed in as monotonic nanoseconds, so tests control it.
/// </para>
/// </remarks>
public sealed class EventIdWindow
{
    private const int MaxStripes = 64;

    // Below this many ids per generation, fewer stripes: tiny stripes would rotate early on noise.
    private const int MinEntriesPerStripeGeneration = 64;

    private readonly EventIdHasher _hasher = EventIdHasher.CreateRandom();
    private readonly EventIdStripe[] _stripes;
    private readonly int _stripeMask;

    public EventIdWindow(EventIdWindowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Window, TimeSpan.Zero, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Window.Ticks, long.MaxValue / TimeSpan.NanosecondsPerTick, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Generations, 2, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Generations, 16, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxEntries, options.Generations, nameof(options));

        Options = options;
        int generations = options.Generations;
        int stripes = Math.Clamp(options.MaxEntries / (generations * MinEntriesPerStripeGeneration), 1, MaxStripes);
        stripes = 1 << (31 - int.LeadingZeroCount(stripes)); // a power of two, for masking
        _stripeMask = stripes - 1;

        // Rounding the share down keeps stripes × G × budget ≤ MaxEntries.
        int budget = options.MaxEntries / (stripes * generations);
        long sliceNanos = Math.Max(1, options.Window.Ticks * TimeSpan.NanosecondsPerTick / (generations - 1));
        _stripes = new EventIdStripe[stripes];
        for (int i = 0; i < stripes; i++)
        {
            _stripes[i] = new EventIdStripe(_hasher, generations, budget, sliceNanos);
        }
    }

    public EventIdWindowOptions Options { get; }

    /// <summary>
    /// Ids remembered (sums the stripes without locking: for metrics). A stripe forgets lazily, on
    /// its next call; <see cref="Expire"/> brings every stripe up to date when traffic is idle.
    /// </summary>
    public long Count
    {
        get
        {
            long count = 0;
            foreach (var stripe in _stripes)
            {
                count += stripe.Count;
            }

            return count;
        }
    }

    /// <summary>Generations retired, still holding ids, before their time because the stripe's share of MaxEntries was reached.</summary>
    public long EarlyRotations
    {
        get
        {
            long rotations = 0;
            foreach (var stripe in _stripes)
            {
                rotations += stripe.EarlyRotations;
            }

            return rotations;
        }
    }

    /// <summary>
    /// True on a first sighting (the id is now remembered); false for a duplicate seen within the
    /// window. An <paramref name="eventId"/> that is not canonical UUID text is always true and
    /// remembered nowhere (validation rejects it before this point).
    /// </summary>
    /// <param name="nowNanos">A monotonic clock in nanoseconds (e.g. Stopwatch ticks scaled); not wall time.</param>
    public bool TryAdd(ReadOnlySpan<byte> eventId, ReadOnlySpan<byte> tenantId, long nowNanos)
    {
        if (!TryMakeKey(eventId, tenantId, out var key))
        {
            return true;
        }

        ulong hash = _hasher.Hash(key);
        return StripeOf(hash).TryAdd(key, (uint)hash, nowNanos);
    }

    /// <summary>
    /// Starts loading the memory <see cref="TryAdd"/> will read for this id, without waiting and
    /// without any effect on the window. With the production window (millions of ids, tables far
    /// larger than the caches) each TryAdd is one cache and TLB miss; calling this for every id of
    /// a batch first lets those misses overlap instead of being paid one after another.
    /// </summary>
    public void Prefetch(ReadOnlySpan<byte> eventId, ReadOnlySpan<byte> tenantId)
    {
        if (TryMakeKey(eventId, tenantId, out var key))
        {
            ulong hash = _hasher.Hash(key);
            StripeOf(hash).Prefetch((uint)hash);
        }
    }

    /// <summary>
    /// Forgets an id added by <see cref="TryAdd"/> whose batch did not become durable, so its
    /// retry counts as new. No effect when the id is not remembered.
    /// </summary>
    /// <remarks>
    /// A repeat of the id judged a duplicate between that TryAdd and this call is not revisited:
    /// it was dropped in favour of a copy that is now not stored, so a caller that lets batches
    /// overlap must fail such a repeat's batch too (or hold its ack until the first copy is durable).
    /// </remarks>
    public void Remove(ReadOnlySpan<byte> eventId, ReadOnlySpan<byte> tenantId)
    {
        if (TryMakeKey(eventId, tenantId, out var key))
        {
            ulong hash = _hasher.Hash(key);
            StripeOf(hash).Remove(key, (uint)hash);
        }
    }

    /// <summary>Retires every generation that has outlived its slice at <paramref name="nowNanos"/> (e.g. from a metrics timer).</summary>
    public void Expire(long nowNanos)
    {
        foreach (var stripe in _stripes)
        {
            stripe.Expire(nowNanos);
        }
    }

    private static bool TryMakeKey(ReadOnlySpan<byte> eventId, ReadOnlySpan<byte> tenantId, out EventIdKey key)
    {
        if (!Uuid.TryParse(eventId, out ulong high, out ulong low))
        {
            key = default;
            return false;
        }

        // The low bit is forced on so no key is all zeros (an empty slot).
        key = new EventIdKey(high, low, Fnv1a64.Hash(tenantId) | 1);
        return true;
    }

    // The table slot uses the hash's low 32 bits, the stripe bits above them: independent choices.
    private EventIdStripe StripeOf(ulong hash) => _stripes[(int)(hash >> 32) & _stripeMask];
}
