using System.Numerics;

namespace AnalyticsHub.LoadRunner.Metrics;

/// <summary>
/// An HDR-style log-linear histogram of non-negative integers (latencies in nanoseconds): values
/// below 2^(M+1) are counted exactly, larger ones in buckets that split every power of two into
/// 2^M equal parts, so a bucket is never wider than 1/2^M of its lower bound. With M = 7 a
/// bucket spans at most 0.78% of its values and the midpoint reported for it is within 0.4% of
/// any value it holds; the whole 64-bit range needs 7,424 counters (58 KiB).
/// Not thread-safe: one writer, or callers lock (<see cref="LatencyRecorder"/>).
/// </summary>
/// <remarks>
/// Index layout for M = 7:
/// <code>
///   value                       index
///   0 … 255                     value                          (exact, width 1)
///   [2^k, 2^(k+1)), k ≥ 8       256 + (k-8)·128 + (v &gt;&gt; (k-7)) - 128   (width 2^(k-7))
/// </code>
/// </remarks>
public sealed class LogLinearHistogram
{
    /// <summary>Mantissa bits M: 2^M buckets per power of two.</summary>
    public const int SubBucketBits = 7;

    private const int SubBucketCount = 1 << SubBucketBits;           // 128
    private const int ExactLimit = SubBucketCount << 1;               // 256
    private const int MaxShift = 63 - SubBucketBits;                  // 56
    private const int BucketCount = ExactLimit + (MaxShift * SubBucketCount); // 7,424

    private readonly long[] _counts = new long[BucketCount];

    public long Count { get; private set; }

    /// <summary>Largest value recorded (exact); 0 when empty.</summary>
    public long Max { get; private set; }

    /// <summary>Smallest value recorded (exact); 0 when empty.</summary>
    public long Min { get; private set; }

    /// <summary>Sum of the recorded values (exact, for the mean).</summary>
    public double Sum { get; private set; }

    public double Mean => Count == 0 ? 0 : Sum / Count;

    public void Record(long value) => Record(value, 1);

    /// <summary>Counts <paramref name="value"/> <paramref name="count"/> times; negative values count as 0.</summary>
    public void Record(long value, long count)
    {
        if (count <= 0)
        {
            return;
        }

        if (value < 0)
        {
            value = 0;
        }

        _counts[IndexOf((ulong)value)] += count;
        if (Count == 0 || value < Min)
        {
            Min = value;
        }

        if (value > Max)
        {
            Max = value;
        }

        Count += count;
        Sum += (double)value * count;
    }

    /// <summary>Adds every count of <paramref name="other"/> to this one.</summary>
    public void Add(LogLinearHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }

        var source = other._counts;
        for (var i = 0; i < source.Length; i++)
        {
            _counts[i] += source[i];
        }

        if (Count == 0 || other.Min < Min)
        {
            Min = other.Min;
        }

        Max = Math.Max(Max, other.Max);
        Count += other.Count;
        Sum += other.Sum;
    }

    public void Reset()
    {
        Array.Clear(_counts);
        Count = 0;
        Max = 0;
        Min = 0;
        Sum = 0;
    }

    /// <summary>
    /// The value at <paramref name="percentile"/> (0–100): the bucket holding the value of rank
    /// ⌈p/100 · Count⌉ (nearest-rank definition; rank 1 at p = 0), reported as the bucket's
    /// midpoint clamped to the exact [Min, Max]. 0 when empty.
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = RankOf(percentile, Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                var (low, width) = BucketOf(i);
                var mid = (long)(low + ((width - 1) / 2));
                return Math.Clamp(mid, Min, Max);
            }
        }

        return Max;
    }

    /// <summary>Nearest rank (1-based) of a percentile among <paramref name="count"/> values.</summary>
    public static long RankOf(double percentile, long count)
    {
        var p = Math.Clamp(percentile, 0, 100);
        var rank = (long)Math.Ceiling(p / 100.0 * count);
        return Math.Clamp(rank, 1, count);
    }

    internal static int IndexOf(ulong value)
    {
        if (value < ExactLimit)
        {
            return (int)value;
        }

        var msb = 63 - BitOperations.LeadingZeroCount(value); // ≥ 8
        var shift = msb - SubBucketBits;                        // ≥ 1
        var mantissa = (int)(value >> shift);                   // [128, 255]
        return ExactLimit + ((shift - 1) * SubBucketCount) + (mantissa - SubBucketCount);
    }

    /// <summary>Lowest value and width of bucket <paramref name="index"/>.</summary>
    internal static (ulong Low, ulong Width) BucketOf(int index)
    {
        if (index < ExactLimit)
        {
            return ((ulong)index, 1);
        }

        var shift = ((index - ExactLimit) / SubBucketCount) + 1;
        var mantissa = (ulong)(((index - ExactLimit) % SubBucketCount) + SubBucketCount);
        return (mantissa << shift, 1UL << shift);
    }
}
