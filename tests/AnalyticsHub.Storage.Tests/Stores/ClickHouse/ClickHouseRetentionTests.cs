using AnalyticsHub.Storage.Stores;

namespace AnalyticsHub.Storage.Tests.Stores.ClickHouse;

[Collection(ClickHouseCollection.Name)]
public sealed class ClickHouseRetentionTests(ClickHouseFixture fixture)
{
    [Fact]
    public async Task DeleteOlderThanAsync_DropsDaysWhollyBeforeTheCutoff_KeepsTheRest()
    {
        var options = fixture.Options();
        await using var store = await fixture.StoreAsync(options);
        var cutoff = StoredEventSamples.BaseTime.AddDays(-30); // 2026-10-25 12:00 UTC
        long address = 64;
        async Task WriteAt(DateTimeOffset time, int records)
        {
            using var batch = StoredEventSamples.Batch(records, eventsPerRecord: 4, firstAddress: address, time: time);
            await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);
            address = batch.NextAddress;
        }

        await WriteAt(cutoff.AddDays(-10), 3);     // 2026-10-15: dropped
        await WriteAt(cutoff.AddHours(-12.5), 3);  // 2026-10-24 23:30: dropped (the day ended at the cutoff's midnight)
        await WriteAt(cutoff.AddHours(-1), 5);     // 2026-10-25 11:00: kept, its day is not over at the cutoff
        await WriteAt(cutoff.AddHours(1), 7);      // kept
        await WriteAt(cutoff.AddDays(29), 11);     // kept

        long result = await store.DeleteOlderThanAsync(cutoff, CancellationToken.None);

        if (store.HasTtl)
        {
            Assert.Equal(0, result); // the server's TTL does it
            return;
        }

        Assert.Equal(-1, result);
        Assert.Equal((5 + 7 + 11) * 4, fixture.Count(options.Database));
        Assert.Equal(
            "20261025\n20261123\n",
            fixture.Server.Query(
                $"SELECT DISTINCT partition FROM system.parts WHERE database = '{options.Database}' AND table = 'events' AND active ORDER BY partition"));
        // The journal is partitioned by when rows were written (today): kept.
        Assert.Equal(5, fixture.Count(options.Database, "event_writes"));

        // Nothing more to drop: a second call changes nothing.
        Assert.Equal(-1, await store.DeleteOlderThanAsync(cutoff, CancellationToken.None));
        Assert.Equal((5 + 7 + 11) * 4, fixture.Count(options.Database));
    }

    [Fact]
    public async Task DeleteOlderThanAsync_CutoffBeforeEverything_DropsNothing()
    {
        var options = fixture.Options();
        await using var store = await fixture.StoreAsync(options);
        using var batch = StoredEventSamples.Batch(records: 5, eventsPerRecord: 4);
        await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

        await store.DeleteOlderThanAsync(StoredEventSamples.BaseTime.AddDays(-1), CancellationToken.None);

        Assert.Equal(batch.Count, fixture.Count(options.Database));
    }
}
