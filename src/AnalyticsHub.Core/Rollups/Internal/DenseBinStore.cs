using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace AnalyticsHub.Core.Rollups.Internal;

/// <summary>
/// The counts of one sign of a <see cref="QuantileSketch"/>: a dense <c>ulong[]</c> of bins over
/// a contiguous key range, growing on demand, at most <see cref="MaxBins"/> wide. Keys ascend
/// with the values they stand for (the negative store uses keys <c>−index(|x|)</c>), so
/// collapsing the lowest keys always gives up the lowest quantiles and keeps the upper ones.
/// </summary>
/// <remarks>
/// <para>
/// A mutable struct held in a field of its sketch (never copied: a copy would share the array).
/// Invariants: every array slot outside [<see cref="MinKey"/>, <see cref="MaxKey"/>] is zero,
/// both end bins of a non-empty store are non-zero, and the array is never longer than
/// <see cref="MaxBins"/>. The array starts at <see cref="InitialLength"/> bins, doubles when the
/// range outgrows it (re-centred on the range, so growth either way is cheap), and is otherwise
/// only shifted in place.
/// </para>
/// <para>
/// Collapsing (DDSketch's collapsing-lowest store): when the range would exceed
/// <see cref="MaxBins"/>, every key below <c>MaxKey − MaxBins + 1</c> is counted in that key's
/// bin. The contents are therefore a function of the multiset of keys added, whatever the order
/// or merge tree: "bins of keys ≥ MaxKey − MaxBins + 1 as they are, all lower ones folded into the
/// lowest". Merging is exact, and a merge equals adding the concatenated data.
/// </para>
/// </remarks>
internal struct DenseBinStore
{
    /// <summary>Most bins a store keeps (16 KiB of counts; 2048 bins at 1 % cover a ratio of about 10^17).</summary>
    internal const int MaxBins = 2048;

    /// <summary>Bins allocated for the first value.</summary>
    internal const int InitialLength = 32;

    private ulong[] _counts;
    private int _offset; // key of _counts[0]
    private int _minKey;
    private int _maxKey;
    private ulong _total;

    public DenseBinStore()
    {
        _counts = [];
        _minKey = int.MaxValue;
        _maxKey = int.MinValue;
    }

    public readonly bool IsEmpty => _total == 0;

    /// <summary>Sum of the counts (wraps only past 2^64 values).</summary>
    public readonly ulong Total => _total;

    public readonly int MinKey => _minKey;

    public readonly int MaxKey => _maxKey;

    /// <summary>Occupied bins, <see cref="MinKey"/> to <see cref="MaxKey"/> (0 when empty).</summary>
    public readonly int Width => IsEmpty ? 0 : _maxKey - _minKey + 1;

    /// <summary>Length of the count array (capacity, in bins).</summary>
    public readonly int Capacity => _counts.Length;

    /// <summary>Counts of <see cref="MinKey"/> to <see cref="MaxKey"/>.</summary>
    public readonly ReadOnlySpan<ulong> Bins => IsEmpty ? default : _counts.AsSpan(_minKey - _offset, _maxKey - _minKey + 1);

    /// <summary>Adds <paramref name="count"/> (&gt; 0) to the bin of <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int key, ulong count)
    {
        Debug.Assert(count > 0);
        var counts = _counts;
        int slot = key - _offset;
        if ((uint)slot < (uint)counts.Length)
        {
            // Inside the array the range stays within MaxBins (the array is no longer), so no
            // collapse can be due; and a collapsed store's array is exactly its range.
            counts[slot] += count;
            _minKey = Math.Min(_minKey, key);
            _maxKey = Math.Max(_maxKey, key);
            _total += count;
        }
        else
        {
            AddOutside(key, count);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddOutside(int key, ulong count)
    {
        int low = IsEmpty ? key : Math.Min(key, _minKey);
        int high = IsEmpty ? key : Math.Max(key, _maxKey);
        if ((long)high - low + 1 > MaxBins)
        {
            low = high - MaxBins + 1;
            key = Math.Max(key, low); // a key below the kept range counts in its lowest bin
        }

        SetRange(low, high);
        _counts[key - _offset] += count;
        _total += count;
    }

    /// <summary>
    /// Adds all of <paramref name="other"/>'s counts (another store, not this one), as if its
    /// values had been added here.
    /// </summary>
    public void MergeFrom(in DenseBinStore other)
    {
        if (other.IsEmpty)
        {
            return;
        }

        int low = IsEmpty ? other._minKey : Math.Min(_minKey, other._minKey);
        int high = IsEmpty ? other._maxKey : Math.Max(_maxKey, other._maxKey);
        low = (int)Math.Max(low, (long)high - MaxBins + 1);
        SetRange(low, high);

        // Bins of the other store below the kept range fold into its lowest bin.
        var from = other.Bins;
        int below = Math.Clamp(low - other._minKey, 0, from.Length);
        if (below > 0)
        {
            _counts[low - _offset] += RollupKernels.Sum(from[..below]);
            from = from[below..];
        }

        int first = Math.Max(other._minKey, low);
        RollupKernels.Add(_counts.AsSpan(first - _offset, from.Length), from);
        _total += other._total;
    }

    /// <summary>Doubles every count (merging a store into itself).</summary>
    public void Double()
    {
        if (!IsEmpty)
        {
            var bins = _counts.AsSpan(_minKey - _offset, _maxKey - _minKey + 1);
            RollupKernels.Add(bins, bins);
            _total += _total;
        }
    }

    /// <summary>Makes this store equal to <paramref name="other"/>, reusing the array when it is large enough.</summary>
    public void CopyFrom(in DenseBinStore other)
    {
        Clear();
        if (!other.IsEmpty)
        {
            SetRange(other._minKey, other._maxKey);
            other.Bins.CopyTo(_counts.AsSpan(_minKey - _offset));
            _total = other._total;
        }
    }

    /// <summary>
    /// Sets the range to [<paramref name="firstKey"/>, firstKey + counts.Length) with the given
    /// counts, into an empty store. The caller has checked the width (≤ <see cref="MaxBins"/>),
    /// that both ends are non-zero and that the total does not overflow.
    /// </summary>
    public void Load(int firstKey, ReadOnlySpan<ulong> counts, ulong total)
    {
        Debug.Assert(IsEmpty && counts.Length is > 0 and <= MaxBins && counts[0] != 0 && counts[^1] != 0);
        SetRange(firstKey, firstKey + counts.Length - 1);
        counts.CopyTo(_counts.AsSpan(firstKey - _offset));
        _total = total;
    }

    /// <summary>Empties the store, keeping its array.</summary>
    public void Clear()
    {
        if (!IsEmpty)
        {
            _counts.AsSpan(_minKey - _offset, _maxKey - _minKey + 1).Clear();
        }

        _minKey = int.MaxValue;
        _maxKey = int.MinValue;
        _total = 0;
    }

    /// <summary>
    /// Makes the occupied range exactly [<paramref name="low"/>, <paramref name="high"/>]
    /// (at most <see cref="MaxBins"/> wide, containing <see cref="MaxKey"/>), folding any bins
    /// below <paramref name="low"/> into it, then moving or growing the array if the range does
    /// not fit where it is. The caller then puts non-zero counts at any end that was not an end
    /// before, so the end bins stay non-zero.
    /// </summary>
    private void SetRange(int low, int high)
    {
        Debug.Assert(high >= low && (long)high - low + 1 <= MaxBins && (IsEmpty || (high >= _maxKey)));
        int width = high - low + 1;
        var counts = _counts;

        ulong folded = 0;
        if (!IsEmpty && _minKey < low)
        {
            var gone = counts.AsSpan(_minKey - _offset, Math.Min(low, _maxKey + 1) - _minKey);
            folded = RollupKernels.Sum(gone);
            gone.Clear();
            _minKey = low;
        }

        if (low < _offset || high >= _offset + counts.Length)
        {
            // The part of the old range that survives: [max(_minKey, low), _maxKey].
            int keep = IsEmpty || _maxKey < low ? 0 : _maxKey - Math.Max(_minKey, low) + 1;
            int keepFrom = keep == 0 ? 0 : Math.Max(_minKey, low);
            if (width <= counts.Length)
            {
                // Fits: shift in place, centred on the new range.
                int offset = low - ((counts.Length - width) / 2);
                if (keep > 0)
                {
                    var source = counts.AsSpan(keepFrom - _offset, keep);
                    var target = counts.AsSpan(keepFrom - offset, keep);
                    source.CopyTo(target); // memmove: overlap is fine
                    ClearOutside(counts, keepFrom - offset, keep, keepFrom - _offset);
                }

                _offset = offset;
            }
            else
            {
                int length = Math.Min(MaxBins, Math.Max(width, Math.Max(2 * counts.Length, InitialLength)));
                var grown = new ulong[length];
                int offset = low - ((length - width) / 2);
                if (keep > 0)
                {
                    counts.AsSpan(keepFrom - _offset, keep).CopyTo(grown.AsSpan(keepFrom - offset));
                }

                _counts = counts = grown;
                _offset = offset;
            }
        }

        counts[low - _offset] += folded;
        _minKey = low;
        _maxKey = high;
    }

    /// <summary>After a move of <paramref name="length"/> slots from <paramref name="from"/> to <paramref name="to"/>, zeroes the source slots not overwritten.</summary>
    private static void ClearOutside(ulong[] counts, int to, int length, int from)
    {
        if (from < to)
        {
            counts.AsSpan(from, Math.Min(length, to - from)).Clear();
        }
        else if (from > to)
        {
            int start = Math.Max(from, to + length);
            counts.AsSpan(start, from + length - start).Clear();
        }
    }
}
