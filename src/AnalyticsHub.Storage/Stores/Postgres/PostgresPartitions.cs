using System.Globalization;
using AnalyticsHub.Core.Storage;

namespace AnalyticsHub.Storage.Stores.Postgres;

/// <summary>
/// Which time buckets (one partition each: <see cref="PostgresStoreOptions.PartitionInterval"/>
/// wide, aligned to the Unix epoch) already have somewhere to go: a partition covering them, or
/// the default partition when a partition could not be attached because the default one already
/// holds rows of that range. Names partitions <c>events_pYYYYMMDD</c> (<c>_HH</c> for sub-day intervals).
/// </summary>
/// <remarks>A cache of the catalog: a wrong "missing" costs one idempotent DDL attempt, never a refused row.</remarks>
internal sealed class PostgresPartitions
{
    /// <summary>Microseconds from the Unix epoch to PostgreSQL's epoch (2000-01-01 UTC).</summary>
    public const long PostgresEpochUnixMicros = 946_684_800_000_000;

    private readonly long _intervalMicros;
    private readonly bool _wholeDays;
    private readonly Lock _lock = new();
    private readonly HashSet<long> _covered = [];

    public PostgresPartitions(TimeSpan interval)
    {
        _intervalMicros = interval.Ticks / TimeSpan.TicksPerMicrosecond;
        _wholeDays = interval.Ticks % TimeSpan.TicksPerDay == 0;
    }

    public int CoveredCount
    {
        get
        {
            lock (_lock)
            {
                return _covered.Count;
            }
        }
    }

    public static long FloorDiv(long value, long divisor)
    {
        long quotient = Math.DivRem(value, divisor, out long remainder);
        return remainder < 0 ? quotient - 1 : quotient;
    }

    public long BucketOfUnixMicros(long unixMicros) => FloorDiv(unixMicros, _intervalMicros);

    public long BucketOf(DateTimeOffset time) => BucketOfUnixMicros((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond);

    public DateTimeOffset StartOf(long bucket) => DateTimeOffset.UnixEpoch.AddTicks(bucket * _intervalMicros * TimeSpan.TicksPerMicrosecond);

    public DateTimeOffset EndOf(long bucket) => StartOf(bucket + 1);

    public string NameOf(long bucket) =>
        "events_p" + StartOf(bucket).ToString(_wholeDays ? "yyyyMMdd" : "yyyyMMdd'_'HH", CultureInfo.InvariantCulture);

    /// <summary>A timestamptz literal for DDL (partition bounds cannot be bind parameters).</summary>
    public static string Literal(DateTimeOffset time) =>
        "'" + time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture) + "+00'";

    public bool IsCovered(long bucket)
    {
        lock (_lock)
        {
            return _covered.Contains(bucket);
        }
    }

    public void MarkCovered(long bucket)
    {
        lock (_lock)
        {
            _covered.Add(bucket);
        }
    }

    /// <summary>Replaces the cache with the buckets wholly inside the partitions' ranges [lo, hi).</summary>
    public void Reset(IEnumerable<(DateTimeOffset From, DateTimeOffset To)> ranges)
    {
        lock (_lock)
        {
            _covered.Clear();
            foreach (var (from, to) in ranges)
            {
                long first = BucketOf(from);
                if (StartOf(first) < from)
                {
                    first++;
                }

                // At most ~11 years of daily buckets per partition: a range wider than that is not ours.
                for (long b = first, n = 0; EndOf(b) <= to && n < 4096; b++, n++)
                {
                    _covered.Add(b);
                }
            }
        }
    }

    /// <summary>
    /// Adds to <paramref name="missing"/> (distinct, in first-seen order, at most
    /// <paramref name="limit"/>) the buckets at or after <paramref name="minBucket"/> of rows that
    /// have no partition yet; rows of other buckets go to the default partition. Rows of one write
    /// mostly share a bucket: the previous row's bucket is checked first, so the common case costs
    /// a compare per row.
    /// </summary>
    public void CollectMissing(ReadOnlySpan<StoredEvent> rows, long minBucket, int limit, List<long> missing)
    {
        long last = long.MinValue;
        lock (_lock)
        {
            foreach (ref readonly var row in rows)
            {
                long bucket = BucketOfUnixMicros(FloorDiv(row.TimeUnixNano, 1000));
                if (bucket == last)
                {
                    continue;
                }

                last = bucket;
                if (bucket >= minBucket && missing.Count < limit && !_covered.Contains(bucket) && !missing.Contains(bucket))
                {
                    missing.Add(bucket);
                }
            }
        }
    }
}
