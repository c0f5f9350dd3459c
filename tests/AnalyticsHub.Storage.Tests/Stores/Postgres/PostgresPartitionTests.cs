using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores;

namespace AnalyticsHub.Storage.Tests.Stores.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresPartitionTests(PostgresFixture fixture)
{
    private static readonly DateTimeOffset Today = StoredEventSamples.BaseTime; // 2026-11-24 12:00 UTC, what the stores' clock says

    [Fact]
    public async Task Write_RowsOfFarPastAndFutureDays_CreatesTheirPartitionsFirst()
    {
        string db = fixture.NewDatabase();
        await using var store = PostgresFixture.NewStore(db, o => o with { RetentionDays = null });
        await store.InitializeAsync(CancellationToken.None);
        using var batch = new StoredEventBatch();
        Add(batch, new DateTimeOffset(2020, 2, 29, 23, 59, 59, TimeSpan.Zero), 3);
        Add(batch, Today, 5);
        Add(batch, new DateTimeOffset(2031, 6, 15, 0, 0, 0, TimeSpan.Zero), 2);
        Add(batch, new DateTimeOffset(1969, 12, 31, 23, 59, 59, TimeSpan.Zero), 1); // before the Unix epoch
        batch[^1].TimeUnixNano = -1; // 1969-12-31T23:59:59.999999999Z

        await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

        var partitions = await PostgresRead.PartitionsAsync(db);
        Assert.Contains("events_p20200229", partitions);
        Assert.Contains("events_p20310615", partitions);
        Assert.Contains("events_p19691231", partitions);
        var perPartition = await PostgresRead.RowsPerPartitionAsync(db);
        Assert.Equal(3L, perPartition["events_p20200229"]);
        Assert.Equal(5L, perPartition["events_p20261124"]);
        Assert.Equal(2L, perPartition["events_p20310615"]);
        Assert.Equal(1L, perPartition["events_p19691231"]);
        Assert.False(perPartition.ContainsKey("events_default"));
        Assert.Equal(999L, await PostgresRead.ScalarAsync<long>(db, "SELECT time_ns::bigint FROM events WHERE time < '1970-01-01'"));
        Assert.Equal("1969-12-31 23:59:59.999999+00", await PostgresRead.ScalarAsync<string>(db, "SELECT time::text FROM events WHERE time < '1970-01-01'"));
    }

    [Fact]
    public async Task Write_RowsOlderThanRetention_GoToTheDefaultPartition_NotANewOne()
    {
        string db = fixture.NewDatabase();
        await using var store = PostgresFixture.NewStore(db); // 30 days
        await store.InitializeAsync(CancellationToken.None);
        using var batch = new StoredEventBatch();
        Add(batch, Today.AddDays(-40), 4);
        Add(batch, Today.AddDays(-29), 2);

        await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

        var perPartition = await PostgresRead.RowsPerPartitionAsync(db);
        Assert.Equal(4L, perPartition["events_default"]);
        Assert.Equal(2L, perPartition["events_p20261026"]);
        Assert.DoesNotContain("events_p20261015", await PostgresRead.PartitionsAsync(db));
    }

    [Fact]
    public async Task Write_MoreNewDaysThanTheLimit_RestGoToDefault_AndADayTheDefaultHoldsStaysThere()
    {
        string db = fixture.NewDatabase();
        await using var store = PostgresFixture.NewStore(db, o => o with { MaxNewPartitionsPerWrite = 2 });
        await store.InitializeAsync(CancellationToken.None);
        using var batch = new StoredEventBatch();
        for (int day = 10; day < 15; day++)
        {
            Add(batch, Today.AddDays(day), 2);
        }

        await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

        var perPartition = await PostgresRead.RowsPerPartitionAsync(db);
        Assert.Equal(2L, perPartition["events_p20261204"]);
        Assert.Equal(2L, perPartition["events_p20261205"]);
        Assert.Equal(6L, perPartition["events_default"]);

        // Another node (fresh cache) gets rows of a day the default partition holds: the partition
        // cannot be attached (PostgreSQL would have to move rows), so they join the default one.
        await using var other = PostgresFixture.NewStore(db, node: "node-b");
        await other.InitializeAsync(CancellationToken.None);
        using var more = new StoredEventBatch();
        Add(more, Today.AddDays(12), 3, firstAddress: 1 << 20);
        await other.WriteAsync(more, 0, more.Count, new StorePosition(more.NextAddress, 0), CancellationToken.None);

        perPartition = await PostgresRead.RowsPerPartitionAsync(db);
        Assert.Equal(9L, perPartition["events_default"]);
        Assert.DoesNotContain("events_p20261206", await PostgresRead.PartitionsAsync(db));
        Assert.Equal(13L, await PostgresRead.CountAsync(db));
    }

    [Fact]
    public async Task DeleteOlderThan_DropsWholeOldPartitions_KeepsRecentOnes_AndCleansTheDefault()
    {
        string db = fixture.NewDatabase();
        await using var store = PostgresFixture.NewStore(db, o => o with { RetentionDays = 20 });
        await store.InitializeAsync(CancellationToken.None);
        using var batch = new StoredEventBatch();
        Add(batch, Today.AddDays(-25), 3);  // past retention: default partition
        Add(batch, Today.AddDays(-15), 4);  // 2026-11-09
        Add(batch, Today.AddDays(-10), 5);  // 2026-11-14
        Add(batch, new DateTimeOffset(2026, 11, 15, 18, 0, 0, TimeSpan.Zero), 6); // the cutoff's day
        Add(batch, Today, 7);
        await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);
        var cutoff = new DateTimeOffset(2026, 11, 15, 12, 0, 0, TimeSpan.Zero);

        long deleted = await store.DeleteOlderThanAsync(cutoff, CancellationToken.None);

        Assert.Equal(-1, deleted);
        var partitions = await PostgresRead.PartitionsAsync(db);
        Assert.DoesNotContain("events_p20261109", partitions);
        Assert.DoesNotContain("events_p20261114", partitions);
        Assert.Contains("events_p20261115", partitions);
        Assert.Contains("events_p20261124", partitions);
        Assert.Contains("events_default", partitions);
        var perPartition = await PostgresRead.RowsPerPartitionAsync(db);
        Assert.False(perPartition.ContainsKey("events_default"));
        Assert.Equal(6L, perPartition["events_p20261115"]);
        Assert.Equal(7L, perPartition["events_p20261124"]);

        // the store forgot the dropped partitions: rows of such a day (still inside its retention) get one again
        using var late = new StoredEventBatch();
        Add(late, Today.AddDays(-10), 1, firstAddress: 1 << 20);
        await store.WriteAsync(late, 0, late.Count, new StorePosition(late.NextAddress, 0), CancellationToken.None);
        Assert.Equal(1L, (await PostgresRead.RowsPerPartitionAsync(db))["events_p20261114"]);
    }

    [Fact]
    public async Task Initialize_OnANewDay_CreatesThatDaysPartitionsAhead()
    {
        string db = fixture.NewDatabase();
        await using (var yesterday = PostgresFixture.NewStore(db))
        {
            await yesterday.InitializeAsync(CancellationToken.None);
        }

        await using var store = PostgresFixture.NewStore(db, now: Today.AddDays(3));
        using var batch = new StoredEventBatch();
        Add(batch, Today.AddDays(3), 1);
        await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

        Assert.Equal(
            ["events_default", "events_p20261123", "events_p20261124", "events_p20261125", "events_p20261126", "events_p20261127", "events_p20261128", "events_p20261129"],
            await PostgresRead.PartitionsAsync(db));
    }

    private static void Add(StoredEventBatch batch, DateTimeOffset time, int events, long? firstAddress = null)
    {
        long address = firstAddress ?? (batch.Count == 0 ? 64 : batch.NextAddress);
        StoredEventSamples.Fill(batch, 1, events, address, "default", time);
    }
}
