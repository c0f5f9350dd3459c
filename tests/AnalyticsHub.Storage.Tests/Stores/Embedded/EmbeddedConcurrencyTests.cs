using AnalyticsHub.Core.Storage;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.Embedded;
using AnalyticsHub.Storage.Tests.Wal;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static AnalyticsHub.Storage.Tests.Stores.Embedded.EmbeddedTestKit;

namespace AnalyticsHub.Storage.Tests.Stores.Embedded;

public sealed class EmbeddedConcurrencyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Readers_WhileWritesRun_SeeWholeBatchesAndNeverBreakAWrite()
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions options = Options(dir.Path);
        const int Batches = 25, PerBatch = 2_000;
        await using EmbeddedEventStore store = await OpenAsync(options);
        using var writing = new CancellationTokenSource();
        using var firstRead = new SemaphoreSlim(0);

        // Two readers: one polling (a new read transaction per query), one holding a read
        // transaction open across many writes (a long report query), which pins an old snapshot
        // and keeps the checkpointer from resetting the -wal file.
        Task<List<long>> polling = Task.Run(() => Poll(options.DatabasePath, firstRead, writing.Token));
        Task<(long First, long Last)> pinned = Task.Run(() => HoldSnapshot(options.DatabasePath, writing.Token));
        Assert.True(await firstRead.WaitAsync(TimeSpan.FromSeconds(30)), "the reader never ran");

        using var batch = new StoredEventBatch();
        long address = 64;
        for (int b = 0; b < Batches; b++)
        {
            batch.Reset();
            StoredEventSamples.Fill(batch, PerBatch / 10, 10, address, "default", StoredEventSamples.BaseTime.AddSeconds(b));
            await WriteAllAsync(store, batch);
            address = batch.NextAddress;
        }
        await writing.CancelAsync();

        List<long> seen = await polling;
        (long snapshotFirst, long snapshotLast) = await pinned;
        output.WriteLine($"{seen.Count} reads during {Batches} writes; distinct counts seen: {seen.Distinct().Count()}; pinned snapshot saw {snapshotFirst} then {snapshotLast}");

        Assert.Equal((long)Batches * PerBatch, Count(options.DatabasePath));
        Assert.Equal(new StorePosition(address, 0), (await store.ResumeAsync(0, CancellationToken.None)).StoredBefore);
        Assert.All(seen, count => Assert.Equal(0, count % PerBatch)); // never a partial batch
        Assert.Equal(seen.Order(), seen); // never going back
        Assert.True(seen.Distinct().Count() > 1, "the reader saw no write land while it polled");
        Assert.Equal(snapshotFirst, snapshotLast); // a read transaction keeps its snapshot
    }

    private static List<long> Poll(string path, SemaphoreSlim firstRead, CancellationToken writing)
    {
        var seen = new List<long>();
        using SqliteConnection connection = Connect(path, SqliteOpenMode.ReadOnly);
        using SqliteCommand command = connection.CreateCommand();
        // A query the query layer would run: one tenant, one time range, grouped.
        command.CommandText = "SELECT count(*), sum(input_tokens) FROM events WHERE tenant_id = 'default' AND time_ns >= 0";
        do
        {
            using (SqliteDataReader rows = command.ExecuteReader())
            {
                rows.Read();
                seen.Add(rows.GetInt64(0));
            }
            if (seen.Count == 1)
            {
                firstRead.Release();
            }
        }
        while (!writing.IsCancellationRequested);
        return seen;
    }

    private static (long First, long Last) HoldSnapshot(string path, CancellationToken writing)
    {
        using SqliteConnection connection = Connect(path, SqliteOpenMode.ReadOnly);
        using SqliteTransaction snapshot = connection.BeginTransaction(deferred: true);
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = "SELECT count(*) FROM events";
        long first = (long)command.ExecuteScalar()!; // the snapshot starts at this first read
        long last = first;
        while (!writing.IsCancellationRequested)
        {
            Thread.Sleep(5);
            last = (long)command.ExecuteScalar()!;
        }
        snapshot.Commit();
        return (first, last);
    }
}
