namespace AnalyticsHub.Core.Rollups;

/// <summary>
/// One series' buckets of one width (1 s, 1 m, 1 h, 1 d) in a ring, as columns (struct of
/// arrays) so query kernels merge and re-bucket them with SIMD. Slot <c>b mod capacity</c>
/// holds bucket <c>b</c> (number of widths since the Unix epoch) when <see cref="BucketOf"/>
/// says so; anything else in a slot is stale and reads as empty. Sketches are created on a
/// slot's first value and kept (cleared, capacity kept) when the slot is reused.
/// </summary>
public sealed class BucketRing
{
    private const long Empty = long.MinValue;

    public BucketRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        Buckets = new long[capacity];
        Counts = new ulong[capacity];
        Sums = new double[capacity];
        SumsOfSquares = new double[capacity];
        Mins = new double[capacity];
        Maxes = new double[capacity];
        Tokens = new double[capacity];
        Errors = new ulong[capacity];
        Sketches = new QuantileSketch?[capacity];
        Quantiles = new double[capacity * QuantileCount];
        QuantilesFresh = new bool[capacity];
        Dirty = new bool[capacity];
        Buckets.AsSpan().Fill(Empty);
        Mins.AsSpan().Fill(double.PositiveInfinity);
        Maxes.AsSpan().Fill(double.NegativeInfinity);
    }

    public int Capacity { get; }

    // Columns, indexed by slot. Public for the query kernels, which read them under the engine's read lock.
    public long[] Buckets { get; }
    public ulong[] Counts { get; }
    public double[] Sums { get; }
    public double[] SumsOfSquares { get; }
    public double[] Mins { get; }
    public double[] Maxes { get; }

    /// <summary>Σ input + output tokens (cost events).</summary>
    public double[] Tokens { get; }

    /// <summary>Events with severity ≥ error.</summary>
    public ulong[] Errors { get; }

    public QuantileSketch?[] Sketches { get; }

    /// <summary>Changed since the last flush to the store.</summary>
    public bool[] Dirty { get; }

    /// <summary>The quantiles kept per slot, in this order (the percentile functions queries offer).</summary>
    public static readonly double[] QuantileLevels = [0.50, 0.90, 0.95, 0.99];

    public const int QuantileCount = 4;

    /// <summary>
    /// <see cref="QuantileLevels"/> of each slot's sketch (slot × 4), valid while
    /// <see cref="QuantilesFresh"/> says so: computed when the slot is flushed or reloaded, so a
    /// query over a day of 1 m buckets reads 4 numbers per bucket instead of walking 1,440 cold
    /// sketches; any change to the slot clears the flag.
    /// </summary>
    public double[] Quantiles { get; }

    public bool[] QuantilesFresh { get; }

    /// <summary>Computes <see cref="Quantiles"/> of <paramref name="slot"/> from its sketch (writer, under the write lock).</summary>
    public void FreezeQuantiles(int slot)
    {
        if (Sketches[slot] is not { IsEmpty: false } sketch)
        {
            return;
        }

        for (int i = 0; i < QuantileCount; i++)
        {
            Quantiles[(slot * QuantileCount) + i] = sketch.Quantile(QuantileLevels[i]);
        }
        QuantilesFresh[slot] = true;
    }

    public int SlotOf(long bucket)
    {
        long slot = bucket % Capacity;
        return (int)(slot < 0 ? slot + Capacity : slot);
    }

    /// <summary>The bucket slot <paramref name="slot"/> holds, or long.MinValue.</summary>
    public long BucketOf(int slot) => Buckets[slot];

    public bool Holds(long bucket) => Buckets[SlotOf(bucket)] == bucket;

    /// <summary>Empties <paramref name="slot"/> and assigns it <paramref name="bucket"/> (long.MinValue: none).</summary>
    public void Reset(int slot, long bucket)
    {
        Buckets[slot] = bucket;
        Counts[slot] = 0;
        Sums[slot] = 0;
        SumsOfSquares[slot] = 0;
        Mins[slot] = double.PositiveInfinity;
        Maxes[slot] = double.NegativeInfinity;
        Tokens[slot] = 0;
        Errors[slot] = 0;
        Sketches[slot]?.Clear();
        QuantilesFresh[slot] = false;
        Dirty[slot] = false;
    }

    /// <summary>The slot of <paramref name="bucket"/>, emptied first when it held another bucket.</summary>
    public int Claim(long bucket)
    {
        int slot = SlotOf(bucket);
        if (Buckets[slot] != bucket)
        {
            Reset(slot, bucket);
        }
        return slot;
    }

    /// <summary>Adds one event's value (the per-event path: no allocation once the slot's sketch exists).</summary>
    public void Add(int slot, double value, double tokens, bool error)
    {
        Counts[slot]++;
        Sums[slot] += value;
        SumsOfSquares[slot] += value * value;
        if (value < Mins[slot])
        {
            Mins[slot] = value;
        }
        if (value > Maxes[slot])
        {
            Maxes[slot] = value;
        }
        Tokens[slot] += tokens;
        if (error)
        {
            Errors[slot]++;
        }
        (Sketches[slot] ??= new QuantileSketch()).Add(value);
        QuantilesFresh[slot] = false;
    }

    /// <summary>Merges slot <paramref name="fromSlot"/> of <paramref name="from"/> into <paramref name="slot"/>.</summary>
    public void Merge(int slot, BucketRing from, int fromSlot)
    {
        Counts[slot] += from.Counts[fromSlot];
        Sums[slot] += from.Sums[fromSlot];
        SumsOfSquares[slot] += from.SumsOfSquares[fromSlot];
        Mins[slot] = Math.Min(Mins[slot], from.Mins[fromSlot]);
        Maxes[slot] = Math.Max(Maxes[slot], from.Maxes[fromSlot]);
        Tokens[slot] += from.Tokens[fromSlot];
        Errors[slot] += from.Errors[fromSlot];
        if (from.Sketches[fromSlot] is { IsEmpty: false } sketch)
        {
            (Sketches[slot] ??= new QuantileSketch()).MergeFrom(sketch);
        }
        QuantilesFresh[slot] = false;
        Dirty[slot] = true;
    }

    /// <summary>Sets <paramref name="slot"/> from persisted values (restart warm-up).</summary>
    public void Load(int slot, RollupRow row, QuantileSketch? sketch)
    {
        Reset(slot, row.Bucket);
        Counts[slot] = row.Stats.Count;
        Sums[slot] = row.Stats.Sum;
        SumsOfSquares[slot] = row.Stats.SumOfSquares;
        Mins[slot] = row.Stats.Min;
        Maxes[slot] = row.Stats.Max;
        Tokens[slot] = row.Tokens;
        Errors[slot] = row.Errors;
        if (sketch is not null)
        {
            (Sketches[slot] ??= new QuantileSketch()).CopyFrom(sketch);
            FreezeQuantiles(slot);
        }
    }

    /// <summary>Heap bytes held (columns plus sketches), for the memory gauge.</summary>
    public long MemoryBytes()
    {
        long bytes = Capacity * ((8L * 8) + 1 + 8 + (8 * QuantileCount) + 1);
        foreach (var sketch in Sketches)
        {
            bytes += sketch?.MemoryBytes ?? 0;
        }
        return bytes;
    }
}
