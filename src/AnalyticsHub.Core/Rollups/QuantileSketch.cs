using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using AnalyticsHub.Core.Rollups.Internal;

namespace AnalyticsHub.Core.Rollups;

/// <summary>
/// A mergeable quantile sketch with a relative-error guarantee (DDSketch, Masson, Rim and Lee,
/// VLDB 2019): every quantile it returns is within <see cref="RelativeAccuracy"/> (1 %) of the
/// exact value of that rank, for any data, unless the data spans more than
/// <see cref="MaxBinsPerSign"/> bins (a ratio of about 10^17 on one sign), when the lowest bins
/// are collapsed and only the lowest quantiles lose the guarantee.
/// </summary>
/// <remarks>
/// <para>
/// A value's magnitude goes to a logarithmic bin (<see cref="CubicLogMapping"/>: the same mapping
/// for every sketch, so merging is adding counts bin by bin); positive and negative values have a
/// store each (<see cref="DenseBinStore"/>, at most <see cref="MaxBinsPerSign"/> bins), and
/// magnitudes below <see cref="MinIndexableValue"/> count as zero. Memory is bounded (about
/// 33 KiB at most; typically a few KiB); arrays grow by doubling and are kept by
/// <see cref="Clear"/>, so a pooled sketch stops allocating once warm.
/// </para>
/// <para>
/// Rank definition (DDSketch's): <see cref="Quantile"/>(q) estimates the value of 0-based rank
/// <c>⌊q·(n−1)⌋</c> (computed in double arithmetic) of the sorted input: q = 0 is the minimum,
/// q = 1 the maximum, q = 0.5 of 1000 values the 500th smallest (rank 499).
/// </para>
/// <para>Not thread-safe: one writer at a time, no readers during writes.</para>
/// </remarks>
public sealed class QuantileSketch
{
    /// <summary>The guarantee: |estimate − exact| ≤ 1 % · |exact| for every quantile.</summary>
    public const double RelativeAccuracy = 0.01;

    /// <summary>Most bins kept per sign before the lowest collapse.</summary>
    public const int MaxBinsPerSign = DenseBinStore.MaxBins;

    /// <summary>Version byte of <see cref="WriteTo"/>'s format.</summary>
    public const byte FormatVersion = 1;

    // Fixed header: version byte + accuracy.
    private const int HeaderLength = 1 + sizeof(double);

    // Object header, method table, two stores (array reference, four ints/longs each), two ulongs.
    private const int ObjectBytes = 16 + (2 * 32) + 16;

    private DenseBinStore _negative; // keys −index(|x|): ascending keys are ascending values
    private DenseBinStore _positive; // keys index(x)
    private ulong _zeroCount;
    private ulong _count;

    public QuantileSketch()
    {
        _negative = new DenseBinStore();
        _positive = new DenseBinStore();
    }

    /// <summary>Smallest magnitude given a bin (2^-1000 ≈ 9.3e-302); smaller ones count as zero.</summary>
    public static double MinIndexableValue => CubicLogMapping.MinIndexableValue;

    /// <summary>Largest magnitude accepted (just under 2^1000 ≈ 1.07e301); larger ones are refused.</summary>
    public static double MaxIndexableValue => CubicLogMapping.MaxIndexableValue;

    /// <summary>Values added (wraps only past 2^64).</summary>
    public ulong Count => _count;

    public bool IsEmpty => _count == 0;

    /// <summary>Approximate heap bytes held: the object and its two count arrays.</summary>
    public long MemoryBytes => ObjectBytes + ArrayBytes(_negative.Capacity) + ArrayBytes(_positive.Capacity);

    /// <summary>Bins in use, both signs (not counting zero).</summary>
    internal int BinCount => _negative.Width + _positive.Width;

    /// <summary>
    /// Adds one value. False (and nothing added) for NaN, ±∞ and magnitudes above
    /// <see cref="MaxIndexableValue"/>; callers filter those first. Allocates only when the value
    /// falls outside the bins' current array.
    /// </summary>
    public bool Add(double value)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(value);
        ulong magnitude = bits & ~CubicLogMapping.SignMask;
        if (!CubicLogMapping.IsIndexable(magnitude))
        {
            return AddUnindexable(magnitude, 1);
        }

        int index = CubicLogMapping.Index(magnitude);
        if ((long)bits >= 0)
        {
            _positive.Add(index, 1);
        }
        else
        {
            _negative.Add(-index, 1);
        }

        _count++;
        return true;
    }

    /// <summary>Adds <paramref name="count"/> copies of a value (none when 0); false as for <see cref="Add(double)"/>.</summary>
    public bool Add(double value, ulong count)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(value);
        ulong magnitude = bits & ~CubicLogMapping.SignMask;
        if (!CubicLogMapping.IsIndexable(magnitude))
        {
            return AddUnindexable(magnitude, count);
        }

        if (count == 0)
        {
            return true;
        }

        int index = CubicLogMapping.Index(magnitude);
        if ((long)bits >= 0)
        {
            _positive.Add(index, count);
        }
        else
        {
            _negative.Add(-index, count);
        }

        _count += count;
        return true;
    }

    /// <summary>
    /// Adds every value of <paramref name="other"/> (which is unchanged; it may be this sketch).
    /// The result equals the sketch of both inputs concatenated, bin for bin.
    /// </summary>
    public void MergeFrom(QuantileSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            _negative.Double();
            _positive.Double();
            _zeroCount += _zeroCount;
            _count += _count;
            return;
        }

        _negative.MergeFrom(in other._negative);
        _positive.MergeFrom(in other._positive);
        _zeroCount += other._zeroCount;
        _count += other._count;
    }

    /// <summary>
    /// The estimated value of rank <c>⌊q·(n−1)⌋</c> (see remarks), within
    /// <see cref="RelativeAccuracy"/> of the exact one; NaN when the sketch is empty.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="q"/> is not in [0, 1].</exception>
    public double Quantile(double q)
    {
        if (!(q >= 0 && q <= 1))
        {
            ThrowQuantileOutOfRange(q);
        }

        if (_count == 0)
        {
            return double.NaN;
        }

        ulong rank = Math.Min((ulong)Math.Floor(q * (_count - 1)), _count - 1);

        // Ascending values: negatives from the most negative, zero, then positives.
        if (rank < _negative.Total)
        {
            return -CubicLogMapping.Value(-KeyAtRank(_negative, rank));
        }

        rank -= _negative.Total;
        if (rank < _zeroCount)
        {
            return 0;
        }

        rank -= _zeroCount;
        return CubicLogMapping.Value(KeyAtRank(_positive, rank));
    }

    /// <summary>Empties the sketch, keeping its arrays.</summary>
    public void Clear()
    {
        _negative.Clear();
        _positive.Clear();
        _zeroCount = 0;
        _count = 0;
    }

    /// <summary>Makes this sketch equal to <paramref name="other"/>, reusing arrays when large enough.</summary>
    public void CopyFrom(QuantileSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            return;
        }

        _negative.CopyFrom(in other._negative);
        _positive.CopyFrom(in other._positive);
        _zeroCount = other._zeroCount;
        _count = other._count;
    }

    // Serialized layout (all varints are unsigned LEB128, as protobuf; keys zigzag-encoded):
    //
    //   offset  bytes     field
    //   ------  --------  ------------------------------------------------------------------
    //   0       1         version = FormatVersion (1: the cubically interpolated mapping)
    //   1       8         relative accuracy, IEEE 754 binary64 little-endian (= 0.01)
    //   9       1..10     zero count                                           varint
    //   then twice, the negative store (keys −index(|x|)) and then the positive one:
    //           1..5      first key (0 when the store is empty)                zigzag varint
    //           1..2      bin count n, 0..MaxBinsPerSign                       varint
    //           n×1..10   counts of keys first .. first+n−1, both ends ≠ 0     varint each
    //
    //   +---------+----------------+------------+-----------------------------+-----------------------------+
    //   | version | accuracy (f64) | zero count | key | n | count × n  (neg.) | key | n | count × n  (pos.) |
    //   +---------+----------------+------------+-----------------------------+-----------------------------+
    //
    // The total count is not stored: it is the zero count plus every bin. The encoding is
    // canonical (equal sketches give equal bytes). Typical size: ~2 bytes per bin in use.

    /// <summary>Bytes <see cref="WriteTo"/> will write.</summary>
    public int GetSerializedLength() =>
        HeaderLength + VarInt.Length(_zeroCount) + StoreLength(_negative) + StoreLength(_positive);

    /// <summary>Writes the sketch (layout above); returns the bytes written, <see cref="GetSerializedLength"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public int WriteTo(Span<byte> destination)
    {
        int length = GetSerializedLength();
        if (destination.Length < length)
        {
            ThrowDestinationTooShort(length);
        }

        destination[0] = FormatVersion;
        BinaryPrimitives.WriteDoubleLittleEndian(destination[1..], RelativeAccuracy);
        int position = HeaderLength;
        position += VarInt.Write(destination[position..], _zeroCount);
        position = WriteStore(destination, position, _negative);
        position = WriteStore(destination, position, _positive);
        return position;
    }

    /// <summary>
    /// Reads a sketch written by <see cref="WriteTo"/> that is exactly <paramref name="source"/>.
    /// False, with <paramref name="into"/> left empty, on anything else: truncated or trailing
    /// bytes, another version or accuracy, a bin count over <see cref="MaxBinsPerSign"/>, keys out
    /// of range, zero end bins, overlong varints, a total count past 2^64. Never throws on bad
    /// input, and allocates at most the bounded bin arrays.
    /// </summary>
    public static bool TryReadFrom(ReadOnlySpan<byte> source, QuantileSketch into)
    {
        if (TryReadFrom(source, into, out int consumed) && consumed == source.Length)
        {
            return true;
        }

        into.Clear(); // trailing bytes after a valid sketch
        return false;
    }

    /// <summary>
    /// Reads a sketch from the start of <paramref name="source"/>, which may continue with other
    /// data; <paramref name="bytesRead"/> is its length. False (into empty, bytesRead 0) as for
    /// <see cref="TryReadFrom(ReadOnlySpan{byte}, QuantileSketch)"/>.
    /// </summary>
    public static bool TryReadFrom(ReadOnlySpan<byte> source, QuantileSketch into, out int bytesRead)
    {
        ArgumentNullException.ThrowIfNull(into);
        into.Clear();
        bytesRead = 0;
        if (source.Length < HeaderLength
            || source[0] != FormatVersion
            || BinaryPrimitives.ReadDoubleLittleEndian(source[1..]) != RelativeAccuracy)
        {
            return false;
        }

        int position = HeaderLength;
        if (!VarInt.TryRead(source, ref position, out ulong zeroCount)
            || !TryReadStore(source, ref position, -CubicLogMapping.MaxIndex, -CubicLogMapping.MinIndex, ref into._negative)
            || !TryReadStore(source, ref position, CubicLogMapping.MinIndex, CubicLogMapping.MaxIndex, ref into._positive))
        {
            into.Clear();
            return false;
        }

        ulong count = zeroCount + into._negative.Total;
        ulong total = count + into._positive.Total;
        if (count < zeroCount || total < count)
        {
            into.Clear();
            return false;
        }

        into._zeroCount = zeroCount;
        into._count = total;
        bytesRead = position;
        return true;
    }

    private bool AddUnindexable(ulong magnitude, ulong count)
    {
        if (magnitude >= CubicLogMapping.MinIndexableBits)
        {
            return false; // NaN, ±∞, or too large to index
        }

        _zeroCount += count;
        _count += count;
        return true;
    }

    /// <summary>
    /// The key of the bin holding rank <paramref name="rank"/> (&lt; store total) of a store,
    /// counting from whichever end is nearer (p99 looks at a few bins, not all of them).
    /// </summary>
    private static int KeyAtRank(in DenseBinStore store, ulong rank)
    {
        var bins = store.Bins;
        if (rank < store.Total / 2)
        {
            return store.MinKey + IndexOfRankFromStart(bins, rank, store.MaxKey - store.MinKey);
        }

        // Rank r from the bottom is rank total − 1 − r from the top.
        return store.MinKey + IndexOfRankFromEnd(bins, store.Total - 1 - rank);
    }

    /// <summary>
    /// The first index whose running count passes <paramref name="rank"/> (<paramref name="fallback"/>
    /// if none). Whole blocks of four bins are skipped with one vector sum: a day of 1 m buckets
    /// asks this tens of thousands of times per query, over a few hundred mostly empty bins each.
    /// </summary>
    private static int IndexOfRankFromStart(ReadOnlySpan<ulong> bins, ulong rank, int fallback)
    {
        ulong seen = 0;
        int i = 0;
        int last = bins.Length - 1; // the last bin is the answer whenever the others do not reach the rank
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<ulong>.Count <= last; i += Vector256<ulong>.Count)
            {
                ulong block = Vector256.Sum(Vector256.Create(bins.Slice(i, Vector256<ulong>.Count)));
                if (seen + block > rank)
                {
                    break;
                }
                seen += block;
            }
        }

        for (; i < last; i++)
        {
            seen += bins[i];
            if (seen > rank)
            {
                return i;
            }
        }

        return fallback;
    }

    /// <summary>As <see cref="IndexOfRankFromStart"/>, counting from the last bin down (0 if none).</summary>
    private static int IndexOfRankFromEnd(ReadOnlySpan<ulong> bins, ulong fromTop)
    {
        ulong seen = 0;
        int i = bins.Length - 1;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i - Vector256<ulong>.Count + 1 > 0; i -= Vector256<ulong>.Count)
            {
                ulong block = Vector256.Sum(Vector256.Create(bins.Slice(i - Vector256<ulong>.Count + 1, Vector256<ulong>.Count)));
                if (seen + block > fromTop)
                {
                    break;
                }
                seen += block;
            }
        }

        for (; i > 0; i--)
        {
            seen += bins[i];
            if (seen > fromTop)
            {
                return i;
            }
        }

        return 0;
    }

    private static long ArrayBytes(int length) => length == 0 ? 0 : 24 + (8L * length);

    private static int StoreLength(in DenseBinStore store)
    {
        if (store.IsEmpty)
        {
            return 2; // key 0, n 0
        }

        int length = VarInt.Length(VarInt.ZigZag(store.MinKey)) + VarInt.Length((ulong)store.Width);
        foreach (ulong count in store.Bins)
        {
            length += VarInt.Length(count);
        }

        return length;
    }

    private static int WriteStore(Span<byte> destination, int position, in DenseBinStore store)
    {
        position += VarInt.Write(destination[position..], store.IsEmpty ? 0 : VarInt.ZigZag(store.MinKey));
        position += VarInt.Write(destination[position..], (ulong)store.Width);
        foreach (ulong count in store.Bins)
        {
            position += VarInt.Write(destination[position..], count);
        }

        return position;
    }

    [SkipLocalsInit] // the count buffer is written before it is read
    private static bool TryReadStore(ReadOnlySpan<byte> source, ref int position, int minKey, int maxKey, ref DenseBinStore store)
    {
        if (!VarInt.TryRead(source, ref position, out ulong encodedKey)
            || !VarInt.TryUnZigZag(encodedKey, out int firstKey)
            || !VarInt.TryRead(source, ref position, out ulong binCount)
            || binCount > MaxBinsPerSign)
        {
            return false;
        }

        if (binCount == 0)
        {
            return firstKey == 0;
        }

        int n = (int)binCount;
        if (firstKey < minKey || (long)firstKey + n - 1 > maxKey || source.Length - position < n)
        {
            return false; // each count takes at least a byte
        }

        Span<ulong> counts = stackalloc ulong[MaxBinsPerSign].Slice(0, n); // 16 KiB at most
        ulong total = 0;
        for (int i = 0; i < n; i++)
        {
            if (!VarInt.TryRead(source, ref position, out counts[i]))
            {
                return false;
            }

            ulong next = total + counts[i];
            if (next < total)
            {
                return false;
            }

            total = next;
        }

        if (counts[0] == 0 || counts[n - 1] == 0)
        {
            return false; // not canonical: the range would not be the bins in use
        }

        store.Load(firstKey, counts, total);
        return true;
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowQuantileOutOfRange(double q) =>
        throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile is in [0, 1].");

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDestinationTooShort(int length) =>
        throw new ArgumentException($"The destination must hold at least {length} bytes.", "destination");
}
