using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Server.Query;
using AnalyticsHub.Storage.Stores;

namespace AnalyticsHub.Server.UnitTests.Query;

public sealed class PersistedRowsCacheTests
{
    private const long Hour = 3_600_000_000_000L;
    private static readonly RollupReadRequest Week = new("default", 3600, 0, 7 * 24 * Hour, "latency_ms", null);

    private readonly RollupChangeLog _changes = new();
    private int _reads;

    [Fact]
    public async Task SecondRead_IsServedFromTheCache()
    {
        var cache = new PersistedRowsCache(8, 1 << 20, TimeSpan.FromMinutes(1));

        var first = await cache.GetAsync(Week, true, _changes, 1, ReadAsync, CancellationToken.None);
        var second = await cache.GetAsync(Week, true, _changes, 2, ReadAsync, CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(1, _reads);
    }

    [Fact]
    public async Task PersistedChangeInTheRange_ReadsAgain_OneOutsideDoesNot()
    {
        var cache = new PersistedRowsCache(8, 1 << 20, TimeSpan.FromMinutes(1));
        await cache.GetAsync(Week, true, _changes, 1, ReadAsync, CancellationToken.None);

        _changes.Record(2, "default", 8 * 24 * Hour, (8 * 24 * Hour) + Hour); // after the range
        _changes.Record(3, "other", Hour, 2 * Hour);                          // another tenant
        await cache.GetAsync(Week, true, _changes, 3, ReadAsync, CancellationToken.None);
        Assert.Equal(1, _reads);

        _changes.Record(4, "default", Hour, 2 * Hour); // a late part reached the store
        await cache.GetAsync(Week, true, _changes, 4, ReadAsync, CancellationToken.None);
        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task ReadsWithAndWithoutSketches_AreSeparate()
    {
        var cache = new PersistedRowsCache(8, 1 << 20, TimeSpan.FromMinutes(1));

        await cache.GetAsync(Week, true, _changes, 1, ReadAsync, CancellationToken.None);
        await cache.GetAsync(Week, false, _changes, 1, ReadAsync, CancellationToken.None);

        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task ZeroAge_TurnsItOff()
    {
        var cache = new PersistedRowsCache(8, 1 << 20, TimeSpan.Zero);

        await cache.GetAsync(Week, true, _changes, 1, ReadAsync, CancellationToken.None);
        await cache.GetAsync(Week, true, _changes, 1, ReadAsync, CancellationToken.None);

        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task EntryBound_EvictsTheLeastRecentlyUsed()
    {
        var cache = new PersistedRowsCache(1, 1 << 20, TimeSpan.FromMinutes(1));
        var day = Week with { EndUnixNano = 24 * Hour };

        await cache.GetAsync(Week, true, _changes, 1, ReadAsync, CancellationToken.None);
        await cache.GetAsync(day, true, _changes, 1, ReadAsync, CancellationToken.None);
        await cache.GetAsync(Week, true, _changes, 1, ReadAsync, CancellationToken.None);

        Assert.Equal(3, _reads);
    }

    private Task<IReadOnlyList<PersistedRow>> ReadAsync(CancellationToken cancellationToken)
    {
        _reads++;
        var row = new RollupRow { TenantId = "default", Metric = "latency_ms", SeriesKey = "{}", ResolutionSeconds = 3600, Bucket = 1, Stats = new BucketStats(1, 5, 25, 5, 5) };
        return Task.FromResult<IReadOnlyList<PersistedRow>>([new PersistedRow(null, row, null)]);
    }
}
