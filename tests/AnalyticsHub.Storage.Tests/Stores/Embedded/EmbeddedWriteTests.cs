using System.Text;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.Embedded;
using AnalyticsHub.Storage.Tests.Wal;
using Microsoft.Data.Sqlite;
using static AnalyticsHub.Storage.Tests.Stores.Embedded.EmbeddedTestKit;

namespace AnalyticsHub.Storage.Tests.Stores.Embedded;

public sealed class EmbeddedWriteTests
{
    // 1: the shipped single-row statement. 64: the multi-row path the measurements compare
    // (3,030 rows = 47 full 64-row statements plus a 22-row tail of single-row inserts).
    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public async Task WriteAsync_FewThousandRows_ReadBackColumnByColumn(int rowsPerStatement)
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions options = Options(dir.Path) with { RowsPerStatement = rowsPerStatement };
        using StoredEventBatch batch = StoredEventSamples.Batch(101, 30);
        MakeEdgeCases(batch);

        await using (EmbeddedEventStore store = await OpenAsync(options))
        {
            await WriteAllAsync(store, batch);
        }

        List<StoredRow> stored = ReadAll(options.DatabasePath);
        Assert.Equal(batch.Count, stored.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            AssertStored(batch, in batch[i], stored[i]);
        }
    }

    [Fact]
    public async Task WriteAsync_SubRanges_StoresExactlyThoseRowsAndMovesTheCheckpoint()
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions options = Options(dir.Path);
        using StoredEventBatch batch = StoredEventSamples.Batch(20, 10); // 200 rows
        await using EmbeddedEventStore store = await OpenAsync(options);

        // Like a drainer that split the batch: [0, 70) then [70, 70) (checkpoint only) then [135, 200).
        await store.WriteAsync(batch, 0, 70, new StorePosition(batch[70].WalAddress, batch[70].WalIndex), CancellationToken.None);
        Assert.Equal(new StorePosition(batch[70].WalAddress, batch[70].WalIndex), (await store.ResumeAsync(0, CancellationToken.None)).StoredBefore);
        await store.WriteAsync(batch, 70, 0, new StorePosition(batch[135].WalAddress, batch[135].WalIndex), CancellationToken.None);
        Assert.Equal(new StorePosition(batch[135].WalAddress, batch[135].WalIndex), (await store.ResumeAsync(0, CancellationToken.None)).StoredBefore);
        await store.WriteAsync(batch, 135, 65, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

        List<StoredRow> stored = ReadAll(options.DatabasePath);
        int[] expected = [.. Enumerable.Range(0, 70), .. Enumerable.Range(135, 65)];
        Assert.Equal(expected.Length, stored.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            AssertStored(batch, in batch[expected[i]], stored[i]);
        }
        Assert.Equal(new StorePosition(batch.NextAddress, 0), (await store.ResumeAsync(0, CancellationToken.None)).StoredBefore);
    }

    [Fact]
    public async Task WriteAsync_RangeOutsideTheBatch_ThrowsBeforeWriting()
    {
        using var dir = new TempDirectory();
        using StoredEventBatch batch = StoredEventSamples.Batch(1, 10);
        await using EmbeddedEventStore store = await OpenAsync(Options(dir.Path));
        var at = new StorePosition(1, 0);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.WriteAsync(batch, 5, 6, at, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.WriteAsync(batch, -1, 1, at, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.WriteAsync(batch, 0, -1, at, CancellationToken.None));
        await Assert.ThrowsAsync<TaskCanceledException>(() => store.WriteAsync(batch, 0, 10, at, new CancellationToken(canceled: true)));

        Assert.Equal(0, Count(store.Path));
    }

    [Fact]
    public async Task WriteAsync_RowFailsMidBatch_RejectedAndNeitherRowsNorCheckpointStored()
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions options = Options(dir.Path);
        using StoredEventBatch first = StoredEventSamples.Batch(10, 10);
        using StoredEventBatch second = StoredEventSamples.Batch(50, 10, firstAddress: first.NextAddress);
        await using EmbeddedEventStore store = await OpenAsync(options);
        await WriteAllAsync(store, first);

        // A row deep in the batch (after several 64-row statements succeeded) fails with a
        // constraint error, the way a real constraint would: SQLite's own RAISE(ABORT).
        StoredEvent victim = second[400];
        using (SqliteConnection side = Connect(options.DatabasePath))
        {
            Execute(side, $"CREATE TRIGGER fail_one BEFORE INSERT ON events WHEN NEW.wal_address = {victim.WalAddress} AND NEW.wal_index = {victim.WalIndex} BEGIN SELECT RAISE(ABORT, 'injected: row refused'); END");
        }

        var e = await Assert.ThrowsAsync<StoreRejectedException>(() => WriteAllAsync(store, second));

        Assert.Contains("injected: row refused", e.ServerMessage, StringComparison.Ordinal);
        Assert.Contains(options.DatabasePath, e.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(e.InnerException);
        Assert.Equal(first.Count, Count(options.DatabasePath));
        Assert.Equal(new StorePosition(first.NextAddress, 0), (await store.ResumeAsync(0, CancellationToken.None)).StoredBefore);

        // Without the cause, the same write goes through on the same store (no transaction left open).
        using (SqliteConnection side = Connect(options.DatabasePath))
        {
            Execute(side, "DROP TRIGGER fail_one");
        }
        await WriteAllAsync(store, second);
        Assert.Equal(first.Count + second.Count, Count(options.DatabasePath));
        Assert.Equal(new StorePosition(second.NextAddress, 0), (await store.ResumeAsync(0, CancellationToken.None)).StoredBefore);
    }

    [Fact]
    public async Task ResumeAsync_AfterReopen_ReturnsTheLastStoredBefore()
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions options = Options(dir.Path);
        using StoredEventBatch batch = StoredEventSamples.Batch(30, 7);
        var storedBefore = new StorePosition(batch[150].WalAddress, batch[150].WalIndex);

        await using (EmbeddedEventStore store = await OpenAsync(options))
        {
            StoreResume empty = await store.ResumeAsync(64, CancellationToken.None);
            Assert.Equal(new StorePosition(64, 0), empty.StoredBefore);
            Assert.Empty(empty.StoredRows);

            await store.WriteAsync(batch, 0, 150, storedBefore, CancellationToken.None);
        }

        await using EmbeddedEventStore reopened = await OpenAsync(options);
        StoreResume resume = await reopened.ResumeAsync(batch.FirstAddress, CancellationToken.None);
        Assert.Equal(storedBefore, resume.StoredBefore);
        Assert.Empty(resume.StoredRows);
        Assert.True(resume.IsStored(new StorePosition(batch[149].WalAddress, batch[149].WalIndex)));
        Assert.False(resume.IsStored(storedBefore));

        // A drainer checkpoint already past the stored one wins: nothing at or after it is stored.
        StoreResume ahead = await reopened.ResumeAsync(batch.NextAddress + 4096, CancellationToken.None);
        Assert.Equal(new StorePosition(batch.NextAddress + 4096, 0), ahead.StoredBefore);
    }

    [Fact]
    public async Task WriteAsync_ManyBatches_RowsInLogOrderAndCheckpointOfTheLast()
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions options = Options(dir.Path);
        using var batch = new StoredEventBatch();
        long address = 64;
        await using (EmbeddedEventStore store = await OpenAsync(options))
        {
            for (int b = 0; b < 5; b++)
            {
                batch.Reset(); // the drainer reuses one pooled batch
                StoredEventSamples.Fill(batch, 20, 33, address, "tenant-" + b, StoredEventSamples.BaseTime.AddMinutes(b));
                await WriteAllAsync(store, batch);
                address = batch.NextAddress;
            }
        }

        using SqliteConnection connection = Connect(options.DatabasePath);
        Assert.Equal(5L * 20 * 33, Scalar(connection, "SELECT count(*) FROM events"));
        Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM events a JOIN events b ON b.rowid = a.rowid + 1 WHERE (b.wal_address, b.wal_index) <= (a.wal_address, a.wal_index)"));
        Assert.Equal(5L, Scalar(connection, "SELECT count(DISTINCT tenant_id) FROM events"));
        Assert.Equal(address, Scalar(connection, "SELECT wal_address FROM drain_checkpoint"));
    }

    // Nanosecond times, extreme tokens, NaN, empty and non-ASCII text, a parent id: what the samples lack.
    private static void MakeEdgeCases(StoredEventBatch batch)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            ref StoredEvent row = ref batch[i];
            row.TimeUnixNano += i % 1000 + 1;
            row.ReceivedUnixNano += 999;
        }

        ref StoredEvent big = ref batch[1];
        big.InputTokens = ulong.MaxValue;
        big.OutputTokens = (ulong)long.MaxValue + 1;

        ref StoredEvent nan = ref batch[2];
        nan.Value = double.NaN;

        ref StoredEvent tiny = ref batch[3];
        tiny.Value = double.Epsilon;

        ref StoredEvent text = ref batch[5];
        text.TenantId = Add(batch, "tenant-ü-名前");
        text.Name = Add(batch, "latency \"p99\" 'quoted'");
        text.TagsJson = Add(batch, "{\"emoji\":\"🚀\",\"quote\":\"\\\"\",\"nul\":\"\\u0000\"}");
        text.Environment = default;
        text.AssetId = default;
        text.ParentEventId = Add(batch, "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab");
        text.Severity = Severity.Critical;
        text.TimeUnixNano = 0;

        ref StoredEvent late = ref batch[6];
        late.TimeUnixNano = long.MaxValue;
    }

    private static ArenaSlice Add(StoredEventBatch batch, string text) => batch.AddText(Encoding.UTF8.GetBytes(text));
}
