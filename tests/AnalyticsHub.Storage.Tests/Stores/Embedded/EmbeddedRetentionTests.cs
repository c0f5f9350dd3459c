using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores.Embedded;
using AnalyticsHub.Storage.Tests.Wal;
using static AnalyticsHub.Storage.Tests.Stores.Embedded.EmbeddedTestKit;

namespace AnalyticsHub.Storage.Tests.Stores.Embedded;

public sealed class EmbeddedRetentionTests
{
    private static readonly DateTimeOffset Now = StoredEventSamples.BaseTime;

    [Fact]
    public async Task DeleteOlderThan_DeletesOldRowsOfEveryTenantInChunksAndKeepsRecentOnes()
    {
        using var dir = new TempDirectory();
        // Chunks of 128 rows: each tenant's 1,000 old rows take 8 chunk transactions.
        EmbeddedStoreOptions options = Options(dir.Path) with { RetentionChunkRows = 128 };
        await using EmbeddedEventStore store = await OpenAsync(options);
        string[] tenants = ["acme", "default", "zeta"];
        using var batch = new StoredEventBatch();
        long address = 64;
        foreach (string tenant in tenants)
        {
            StoredEventSamples.Fill(batch, 100, 10, address, tenant, Now.AddDays(-45)); // old
            StoredEventSamples.Fill(batch, 100, 10, batch.NextAddress, tenant, Now.AddDays(-29)); // recent
            StoredEventSamples.Fill(batch, 50, 10, batch.NextAddress, tenant, Now.AddDays(-31)); // old, just
            address = batch.NextAddress;
        }
        await WriteAllAsync(store, batch);
        DateTimeOffset cutoff = Now.AddDays(-options.RetentionDays); // as the drainer computes it

        long deleted = await store.DeleteOlderThanAsync(cutoff, CancellationToken.None);

        Assert.Equal(tenants.Length * 1_500L, deleted);
        long cutoffNs = (cutoff.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        Assert.Equal(0, Count(store.Path, $"time_ns < {cutoffNs}"));
        foreach (string tenant in tenants)
        {
            Assert.Equal(1_000, Count(store.Path, $"tenant_id = '{tenant}' AND time_ns >= {cutoffNs}"));
        }
        Assert.Equal(0, await store.DeleteOlderThanAsync(cutoff, CancellationToken.None)); // nothing left to delete
    }

    [Fact]
    public async Task DeleteOlderThan_CutoffIsExclusiveToTheNanosecond()
    {
        using var dir = new TempDirectory();
        await using EmbeddedEventStore store = await OpenAsync(Options(dir.Path));
        using StoredEventBatch batch = StoredEventSamples.Batch(1, 3, time: Now);
        batch[0].TimeUnixNano -= 100; // one tick before the cutoff
        batch[2].TimeUnixNano += 100;
        await WriteAllAsync(store, batch);

        long deleted = await store.DeleteOlderThanAsync(Now, CancellationToken.None);

        Assert.Equal(1, deleted);
        Assert.Equal(2, Count(store.Path));
    }

    [Fact]
    public async Task DeleteOlderThan_EmptyStore_ReturnsZero()
    {
        using var dir = new TempDirectory();
        await using EmbeddedEventStore store = await OpenAsync(Options(dir.Path));

        Assert.Equal(0, await store.DeleteOlderThanAsync(Now, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteOlderThan_Cancelled_StopsBetweenChunksKeepingCommittedOnes()
    {
        using var dir = new TempDirectory();
        await using EmbeddedEventStore store = await OpenAsync(Options(dir.Path) with { RetentionChunkRows = 10 });
        using StoredEventBatch batch = StoredEventSamples.Batch(100, 10, time: Now.AddDays(-60));
        await WriteAllAsync(store, batch);
        using var cancel = new CancellationTokenSource();

        // Cancel once the first chunks are committed.
        Task<long> purge = store.DeleteOlderThanAsync(Now, cancel.Token);
        while (Count(store.Path) == batch.Count && !purge.IsCompleted)
        {
            await Task.Delay(1);
        }
        await cancel.CancelAsync();

        long remaining;
        try
        {
            await purge;
            remaining = Count(store.Path); // it finished before the cancellation landed
            Assert.Equal(0, remaining);
        }
        catch (OperationCanceledException)
        {
            remaining = Count(store.Path);
            Assert.InRange(remaining, 0, batch.Count - 10);
            Assert.Equal(0, remaining % 10); // whole chunks only
        }
    }
}
