using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AnalyticsHub.Core.Validation;

/// <summary>
/// Per-asset token buckets: each asset may send <see cref="AssetRateLimiterOptions.EventsPerSecond"/>
/// sustained, <see cref="AssetRateLimiterOptions.Burst"/> at once. Keys are
/// <see cref="Fnv1a64"/> hashes of the asset id bytes (two ids sharing a hash share a bucket:
/// rare, and only ever stricter). Time is passed in as monotonic nanoseconds (for example
/// <c>Stopwatch</c> ticks scaled to ns), so the limiter reads no clock and tests control time.
/// </summary>
/// <remarks>
/// Thread-safe. The table is split into up to 64 shards, each a pre-sized dictionary behind its
/// own lock, so concurrent ingest threads rarely contend and a call never allocates. Memory is
/// bounded by <see cref="AssetRateLimiterOptions.MaxTrackedAssets"/>: when a shard is full, every
/// entry whose bucket has refilled is dropped (losing nothing — a full bucket is the same as no
/// entry); if none has, the least recently seen entry is dropped (that asset may burst again).
/// </remarks>
public sealed class AssetRateLimiter
{
    private const int MaxShards = 64;
    private const double NanosPerSecond = 1e9;

    private readonly Shard[] _shards;
    private readonly ulong _shardMask;
    private readonly int _shardCapacity;
    private readonly double _burst;
    private readonly double _tokensPerNano;

    public AssetRateLimiter(AssetRateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!double.IsFinite(options.EventsPerSecond) || options.EventsPerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "EventsPerSecond must be finite and > 0.");
        }

        if (!double.IsFinite(options.Burst) || options.Burst < 0 || (options.Burst > 0 && options.Burst < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Burst must be 0 (= rate) or finite and >= 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTrackedAssets, 1);

        Enabled = options.Enabled;
        _burst = options.Burst > 0 ? options.Burst : Math.Max(1, options.EventsPerSecond);
        _tokensPerNano = options.EventsPerSecond / NanosPerSecond;

        // Largest power of two ≤ min(64, max) so every shard holds at least one asset and the
        // shards together never exceed the configured bound.
        int shardCount = (int)Math.Min(MaxShards, (uint)options.MaxTrackedAssets);
        shardCount = 1 << (31 - int.LeadingZeroCount(shardCount));
        _shardMask = (ulong)shardCount - 1;
        _shardCapacity = options.MaxTrackedAssets / shardCount;
        _shards = new Shard[shardCount];
        for (int i = 0; i < shardCount; i++)
        {
            _shards[i] = new Shard(_shardCapacity);
        }
    }

    /// <summary>False when the limiter lets everything through.</summary>
    public bool Enabled { get; }

    /// <summary>Assets currently tracked (for metrics and tests; takes every shard's lock).</summary>
    public int TrackedAssets
    {
        get
        {
            int count = 0;
            foreach (var shard in _shards)
            {
                lock (shard.Gate)
                {
                    count += shard.Buckets.Count;
                }
            }

            return count;
        }
    }

    /// <summary><see cref="Rejection.RateLimited"/> when the asset's bucket is empty, else takes a token.</summary>
    public Rejection Check(ReadOnlySpan<byte> assetId, long nowNanos) =>
        TryAcquire(assetId, nowNanos) ? Rejection.None : Rejection.RateLimited;

    /// <summary>
    /// Takes one token from <paramref name="assetId"/>'s bucket. Always true when disabled or
    /// when the event names no asset (those fall under the tenant quota only).
    /// </summary>
    public bool TryAcquire(ReadOnlySpan<byte> assetId, long nowNanos) =>
        !Enabled || assetId.IsEmpty || TryAcquire(Fnv1a64.Hash(assetId), nowNanos);

    /// <summary>Takes one token from the bucket of a precomputed key (see <see cref="Fnv1a64"/>).</summary>
    public bool TryAcquire(ulong assetKey, long nowNanos)
    {
        if (!Enabled)
        {
            return true;
        }

        var shard = _shards[(int)(assetKey & _shardMask)];
        lock (shard.Gate)
        {
            var buckets = shard.Buckets;
            ref Bucket bucket = ref CollectionsMarshal.GetValueRefOrNullRef(buckets, assetKey);
            if (Unsafe.IsNullRef(ref bucket))
            {
                if (buckets.Count >= _shardCapacity)
                {
                    Evict(buckets, nowNanos);
                }

                bucket = ref CollectionsMarshal.GetValueRefOrAddDefault(buckets, assetKey, out _);
                bucket.Tokens = _burst;
                bucket.LastNanos = nowNanos;
            }
            else if (nowNanos > bucket.LastNanos)
            {
                // Time that runs backwards (callers racing with slightly older readings) refills
                // nothing and does not move the bucket's clock back.
                double refill = ((double)nowNanos - bucket.LastNanos) * _tokensPerNano;
                bucket.Tokens = Math.Min(_burst, bucket.Tokens + refill);
                bucket.LastNanos = nowNanos;
            }

            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                return true;
            }

            return false;
        }
    }

    // Called under the shard's lock when it is full. Removing while enumerating is allowed for
    // Dictionary since .NET Core 3.0, and the struct enumerator does not allocate.
    private void Evict(Dictionary<ulong, Bucket> buckets, long nowNanos)
    {
        int removed = 0;
        ulong oldestKey = 0;
        long oldestNanos = long.MaxValue;
        foreach (var (key, bucket) in buckets)
        {
            // Subtracting as doubles cannot overflow, whatever clock values callers pass.
            double refilled = bucket.Tokens + (Math.Max(0, (double)nowNanos - bucket.LastNanos) * _tokensPerNano);
            if (refilled >= _burst)
            {
                buckets.Remove(key);
                removed++;
            }
            else if (bucket.LastNanos < oldestNanos)
            {
                oldestNanos = bucket.LastNanos;
                oldestKey = key;
            }
        }

        if (removed == 0)
        {
            buckets.Remove(oldestKey);
        }
    }

    private struct Bucket
    {
        public double Tokens;
        public long LastNanos;
    }

    private sealed class Shard(int capacity)
    {
        public readonly Lock Gate = new();
        public readonly Dictionary<ulong, Bucket> Buckets = new(capacity);
    }
}
