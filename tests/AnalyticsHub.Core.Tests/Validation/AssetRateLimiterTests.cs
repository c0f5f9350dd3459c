using System.Text;
using AnalyticsHub.Core.Validation;

namespace AnalyticsHub.Core.Tests.Validation;

public sealed class AssetRateLimiterTests
{
    private const long Ms = 1_000_000;
    private const long T0 = 1_000 * Ms;

    private static AssetRateLimiter Limiter(double rate = 10, double burst = 0, int maxAssets = 100_000) =>
        new(new AssetRateLimiterOptions { Enabled = true, EventsPerSecond = rate, Burst = burst, MaxTrackedAssets = maxAssets });

    private static int Drain(AssetRateLimiter limiter, ReadOnlySpan<byte> asset, long now)
    {
        int taken = 0;
        while (limiter.TryAcquire(asset, now))
        {
            taken++;
        }

        return taken;
    }

    [Fact]
    public void Defaults_AreOff_1000PerSecond_100kAssets()
    {
        var options = new AssetRateLimiterOptions();
        Assert.False(options.Enabled);
        Assert.Equal(1_000, options.EventsPerSecond);
        Assert.Equal(100_000, options.MaxTrackedAssets);
        var limiter = new AssetRateLimiter(options);
        Assert.False(limiter.Enabled);
        for (int i = 0; i < 10_000; i++)
        {
            Assert.True(limiter.TryAcquire("asset"u8, T0));
        }

        Assert.Equal(0, limiter.TrackedAssets);
    }

    [Fact]
    public void NewAsset_GetsAFullBucket_EqualToTheRate()
    {
        var limiter = Limiter(rate: 10);
        Assert.Equal(10, Drain(limiter, "a"u8, T0));
        Assert.Equal(Rejection.RateLimited, limiter.Check("a"u8, T0));
    }

    [Fact]
    public void Tokens_RefillAtTheRate_UpToTheBurst()
    {
        var limiter = Limiter(rate: 10);
        Drain(limiter, "a"u8, T0);
        Assert.False(limiter.TryAcquire("a"u8, T0 + (99 * Ms))); // 0.99 of a token
        Assert.True(limiter.TryAcquire("a"u8, T0 + (100 * Ms)));
        Assert.False(limiter.TryAcquire("a"u8, T0 + (100 * Ms)));
        Assert.Equal(5, Drain(limiter, "a"u8, T0 + (600 * Ms)));
        Assert.Equal(10, Drain(limiter, "a"u8, T0 + (3_600_000 * Ms))); // capped at the burst
    }

    [Fact]
    public void Burst_CanDifferFromTheRate()
    {
        var limiter = Limiter(rate: 1, burst: 5);
        Assert.Equal(5, Drain(limiter, "a"u8, T0));
        Assert.Equal(1, Drain(limiter, "a"u8, T0 + (1_000 * Ms)));
        Assert.Equal(5, Drain(limiter, "a"u8, T0 + (60_000 * Ms)));
    }

    [Fact]
    public void FractionalRate_BelowOnePerSecond_StillAllowsOneEvent()
    {
        var limiter = Limiter(rate: 0.5);
        Assert.Equal(1, Drain(limiter, "a"u8, T0));
        Assert.Equal(0, Drain(limiter, "a"u8, T0 + (1_999 * Ms)));
        Assert.Equal(1, Drain(limiter, "a"u8, T0 + (2_000 * Ms)));
    }

    [Fact]
    public void Assets_HaveSeparateBuckets()
    {
        var limiter = Limiter(rate: 3);
        Assert.Equal(3, Drain(limiter, "a"u8, T0));
        Assert.Equal(3, Drain(limiter, "b"u8, T0));
        Assert.Equal(3, Drain(limiter, "A"u8, T0)); // asset ids are case-sensitive
        Assert.Equal(3, limiter.TrackedAssets);
    }

    [Fact]
    public void EmptyAssetId_IsNotLimited()
    {
        var limiter = Limiter(rate: 1);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(Rejection.None, limiter.Check(ReadOnlySpan<byte>.Empty, T0));
        }

        Assert.Equal(0, limiter.TrackedAssets);
    }

    [Fact]
    public void TimeGoingBackwards_RefillsNothing_AndKeepsTheBucketClock()
    {
        var limiter = Limiter(rate: 10);
        Drain(limiter, "a"u8, T0);
        Assert.False(limiter.TryAcquire("a"u8, T0 - (10_000 * Ms)));
        Assert.False(limiter.TryAcquire("a"u8, long.MinValue));
        // Still measured from T0, not from the older readings.
        Assert.True(limiter.TryAcquire("a"u8, T0 + (100 * Ms)));
        Assert.False(limiter.TryAcquire("a"u8, T0 + (100 * Ms)));
    }

    [Fact]
    public void ExtremeClockValues_DoNotOverflow()
    {
        var limiter = Limiter(rate: 10);
        Assert.True(limiter.TryAcquire("a"u8, long.MinValue));
        Assert.Equal(10, Drain(limiter, "a"u8, long.MaxValue)); // refilled (9 left + refill, capped)
    }

    [Fact]
    public void PrecomputedKey_EqualsTheHashOfTheBytes()
    {
        var limiter = Limiter(rate: 2);
        Assert.True(limiter.TryAcquire(Fnv1a64.Hash("a"u8), T0));
        Assert.True(limiter.TryAcquire("a"u8, T0));
        Assert.False(limiter.TryAcquire("a"u8, T0));
    }

    [Fact]
    public void TrackedAssets_NeverExceedTheBound()
    {
        var limiter = Limiter(maxAssets: 100);
        for (int i = 0; i < 10_000; i++)
        {
            Assert.True(limiter.TryAcquire(Encoding.UTF8.GetBytes($"asset-{i}"), T0 + i));
        }

        Assert.InRange(limiter.TrackedAssets, 1, 100);
    }

    [Fact]
    public void FullTable_EvictsTheLeastRecentlySeen_WhenNoneHasRefilled()
    {
        var limiter = Limiter(rate: 10, maxAssets: 1);
        Assert.Equal(10, Drain(limiter, "a"u8, T0));
        Assert.True(limiter.TryAcquire("b"u8, T0)); // evicts "a"
        Assert.Equal(1, limiter.TrackedAssets);
        Assert.Equal(10, Drain(limiter, "a"u8, T0)); // "a" starts over: eviction fails open
    }

    [Fact]
    public void FullShard_EvictsRefilledBucketsFirst()
    {
        // 128 assets over 64 shards = 2 per shard; keys that are multiples of 64 share shard 0.
        var limiter = Limiter(rate: 10, maxAssets: 128);
        Assert.Equal(10, Drain(limiter, 64, T0)); // oldest, and still empty at T0+700ms
        Assert.True(limiter.TryAcquire(0UL, T0 + (500 * Ms))); // refilled by T0+600ms
        Assert.True(limiter.TryAcquire(128UL, T0 + (700 * Ms))); // shard full: must evict key 0
        Assert.Equal(7, Drain(limiter, 64, T0 + (700 * Ms))); // key 64 kept its state
        Assert.Equal(2, limiter.TrackedAssets);

        static int Drain(AssetRateLimiter limiter, ulong key, long now)
        {
            int taken = 0;
            while (limiter.TryAcquire(key, now))
            {
                taken++;
            }

            return taken;
        }
    }

    [Fact]
    public void ConcurrentCallers_OnOneAsset_TakeExactlyTheBurst()
    {
        var limiter = Limiter(rate: 10_000);
        int granted = 0;
        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 5_000; i++)
            {
                if (limiter.TryAcquire("hot"u8, T0))
                {
                    Interlocked.Increment(ref granted);
                }
            }
        });
        Assert.Equal(10_000, granted);
    }

    [Fact]
    public void ConcurrentCallers_OnManyAssets_StayWithinTheBound()
    {
        var limiter = Limiter(rate: 5, maxAssets: 10_000);
        int granted = 0;
        Parallel.For(0, 8, thread =>
        {
            Span<byte> id = stackalloc byte[16];
            for (int i = 0; i < 20_000; i++)
            {
                BitConverter.TryWriteBytes(id, (long)(i % 500));
                if (limiter.TryAcquire(id[..8], T0))
                {
                    Interlocked.Increment(ref granted);
                }
            }
        });
        // 500 assets, all tracked (under the bound), each granted its burst of 5 exactly once.
        Assert.Equal(500, limiter.TrackedAssets);
        Assert.Equal(2_500, granted);
    }

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(-1, 0, 1)]
    [InlineData(double.NaN, 0, 1)]
    [InlineData(double.PositiveInfinity, 0, 1)]
    [InlineData(10, -1, 1)]
    [InlineData(10, 0.5, 1)]
    [InlineData(10, double.NaN, 1)]
    [InlineData(10, 0, 0)]
    public void Constructor_RejectsBadOptions(double rate, double burst, int maxAssets) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new AssetRateLimiter(new AssetRateLimiterOptions
        {
            EventsPerSecond = rate,
            Burst = burst,
            MaxTrackedAssets = maxAssets,
        }));
}
