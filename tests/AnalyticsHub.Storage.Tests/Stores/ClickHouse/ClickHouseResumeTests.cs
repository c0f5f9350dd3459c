using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores;

namespace AnalyticsHub.Storage.Tests.Stores.ClickHouse;

[Collection(ClickHouseCollection.Name)]
public sealed class ClickHouseResumeTests(ClickHouseFixture fixture)
{
    [Fact]
    public async Task ResumeAsync_FindsExactlyTheRowsAtOrAfterTheCheckpoint()
    {
        var options = fixture.Options();
        await using var store = await fixture.StoreAsync(options);
        // Two inserts; the second holds late events from three days earlier (another day partition).
        using var first = StoredEventSamples.Batch(records: 20, eventsPerRecord: 4, firstAddress: 64);
        using var second = StoredEventSamples.Batch(
            records: 20, eventsPerRecord: 4, firstAddress: first.NextAddress, time: StoredEventSamples.BaseTime.AddDays(-3));
        await store.WriteAsync(first, 0, first.Count, new StorePosition(first.NextAddress, 0), CancellationToken.None);
        await store.WriteAsync(second, 0, second.Count, new StorePosition(second.NextAddress, 0), CancellationToken.None);

        foreach (long checkpoint in (long[])[first[40].WalAddress, second[0].WalAddress, second[79].WalAddress, 0])
        {
            var resume = await store.ResumeAsync(checkpoint, CancellationToken.None);

            var expected = Positions(first).Concat(Positions(second)).Where(p => p.Address >= checkpoint).ToHashSet();
            Assert.Equal(new StorePosition(checkpoint, 0), resume.StoredBefore);
            Assert.True(expected.SetEquals(resume.StoredRows), $"checkpoint {checkpoint}: expected {expected.Count} rows, got {resume.StoredRows.Count}");
            Assert.DoesNotContain(resume.StoredRows, p => p.Address < checkpoint);
        }
    }

    [Fact]
    public async Task ResumeAsync_PastEverythingWritten_Nothing()
    {
        await using var store = await fixture.StoreAsync();
        using var batch = StoredEventSamples.Batch(records: 5, eventsPerRecord: 4);
        await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

        var resume = await store.ResumeAsync(batch.NextAddress, CancellationToken.None);

        Assert.Empty(resume.StoredRows);
        Assert.Equal(new StorePosition(batch.NextAddress, 0), resume.StoredBefore);
    }

    [Fact]
    public async Task ResumeAsync_EmptyStore_Nothing()
    {
        await using var store = await fixture.StoreAsync();

        var resume = await store.ResumeAsync(4096, CancellationToken.None);

        Assert.Empty(resume.StoredRows);
        Assert.Equal(new StorePosition(4096, 0), resume.StoredBefore);
    }

    [Fact]
    public async Task ResumeAsync_SeesOnlyItsOwnNode()
    {
        var options = fixture.Options("node-a");
        await using var a = await fixture.StoreAsync(options);
        await using var b = await fixture.StoreAsync(options with { NodeId = "node-b" });
        using var batchA = StoredEventSamples.Batch(records: 10, eventsPerRecord: 2);
        using var batchB = StoredEventSamples.Batch(records: 30, eventsPerRecord: 2);
        await a.WriteAsync(batchA, 0, batchA.Count, new StorePosition(batchA.NextAddress, 0), CancellationToken.None);
        await b.WriteAsync(batchB, 0, batchB.Count, new StorePosition(batchB.NextAddress, 0), CancellationToken.None);

        var resumeA = await a.ResumeAsync(0, CancellationToken.None);
        var resumeB = await b.ResumeAsync(batchA.NextAddress, CancellationToken.None);

        Assert.True(Positions(batchA).ToHashSet().SetEquals(resumeA.StoredRows));
        Assert.True(Positions(batchB).Where(p => p.Address >= batchA.NextAddress).ToHashSet().SetEquals(resumeB.StoredRows));
    }

    [Fact]
    public async Task ResumeAsync_AfterARefusedInsert_ListsOnlyRowsThatLanded()
    {
        var options = fixture.Options();
        await using var store = await fixture.StoreAsync(options);
        fixture.Server.Query($"ALTER TABLE {options.Database}.events ADD COLUMN guard UInt8 MATERIALIZED throwIf(name = 'poison')");
        using var batch = StoredEventSamples.Batch(records: 10, eventsPerRecord: 4);
        await store.WriteAsync(batch, 0, 20, new StorePosition(batch[20].WalAddress, 0), CancellationToken.None);
        batch[30].Name = batch.AddText("poison"u8);
        await Assert.ThrowsAsync<StoreRejectedException>(
            () => store.WriteAsync(batch, 20, 20, new StorePosition(batch.NextAddress, 0), CancellationToken.None));

        var resume = await store.ResumeAsync(batch[10].WalAddress, CancellationToken.None);

        // The journal names the refused insert too; the lookup reports only the rows really there.
        Assert.True(Positions(batch).Take(20).Where(p => p.Address >= batch[10].WalAddress).ToHashSet().SetEquals(resume.StoredRows));
        Assert.Equal(2, fixture.Count(options.Database, "event_writes"));
    }

    private static List<StorePosition> Positions(StoredEventBatch batch)
    {
        var positions = new List<StorePosition>(batch.Count);
        foreach (ref readonly var row in batch.Rows)
        {
            positions.Add(new StorePosition(row.WalAddress, row.WalIndex));
        }

        return positions;
    }
}
