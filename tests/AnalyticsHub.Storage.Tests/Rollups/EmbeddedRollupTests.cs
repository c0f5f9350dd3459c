using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.Embedded;
using AnalyticsHub.Storage.Tests.Stores;
using AnalyticsHub.Storage.Tests.Wal;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static AnalyticsHub.Storage.Tests.Rollups.RollupSamples;
using static AnalyticsHub.Storage.Tests.Stores.Embedded.EmbeddedTestKit;

namespace AnalyticsHub.Storage.Tests.Rollups;

/// <summary>The rollup contract on the embedded SQLite store (one file per test), and what only it has: schema migration.</summary>
public sealed class EmbeddedRollupTests(ITestOutputHelper output) : RollupStoreScenario(output)
{
    private readonly TempDirectory _directory = new();

    protected override string StoreName => "embedded";

    private EmbeddedStoreOptions StoreOptions => Options(_directory.Path);

    protected override IRollupStore Create(string node) => new EmbeddedEventStore(StoreOptions);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Initialize_Version1File_MigratesToRollupTablesAndKeepsEvents()
    {
        // A file as the previous build left it: events and their checkpoint, schema version 1, no rollup tables.
        string path = StoreOptions.DatabasePath;
        using var batch = StoredEventSamples.Batch(5, 4);
        await using (var old = new EmbeddedEventStore(StoreOptions))
        {
            await old.InitializeAsync(CancellationToken.None);
            await WriteAllAsync(old, batch);
        }

        using (var connection = Connect(path))
        {
            Execute(connection, "DROP TABLE rollups; DROP TABLE rollup_checkpoints; PRAGMA user_version=1;");
            Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '%rollup%'"));
        }

        var store = await OpenAsync();

        using (var connection = Connect(path, SqliteOpenMode.ReadOnly))
        {
            Assert.Equal((long)EmbeddedSchema.Version, Scalar(connection, "PRAGMA user_version"));
            Assert.Equal(2L, Scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE name IN ('rollups', 'rollup_checkpoints')"));
            Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'ix_rollups_read'"));
        }

        Assert.Equal(20, Count(path));
        await store.WriteRollupsAsync([Row()], 9, CancellationToken.None);
        Assert.Equal(9, await store.LoadRollupCheckpointAsync(CancellationToken.None));
        Assert.Equal(new StorePosition(batch.NextAddress, 0), (await ((IEventStore)store).ResumeAsync(0, CancellationToken.None)).StoredBefore);
    }

    [Fact]
    public async Task Write_RowRefusedMidFlush_LeavesNeitherRowsNorCheckpoint()
    {
        var store = await OpenAsync();
        await store.WriteRollupsAsync([Row(tenant: "big", seed: 1)], 5, CancellationToken.None);
        using (var connection = Connect(StoreOptions.DatabasePath))
        {
            Execute(connection, "CREATE TRIGGER poison BEFORE INSERT ON rollups WHEN NEW.metric = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END");
        }

        var rows = LargeFlush(50_000, version: 10);
        rows[40_000] = rows[40_000] with { Metric = "poison" };
        var e = await Assert.ThrowsAsync<StoreRejectedException>(() => store.WriteRollupsAsync(rows, 10, CancellationToken.None));

        Assert.Contains("poisoned row", e.ServerMessage, StringComparison.Ordinal);
        Assert.Equal(5, await store.LoadRollupCheckpointAsync(CancellationToken.None));
        Equal([Row(tenant: "big", seed: 1)], await store.ReadRollupsAsync(All("big"), CancellationToken.None));
    }

    [Fact]
    public async Task Write_DiskFullMidFlush_LeavesNeitherRowsNorCheckpoint_AndTheRetrySucceeds()
    {
        var store = await OpenAsync();
        await store.WriteRollupsAsync([Row(seed: 1)], 5, CancellationToken.None);
        var embedded = (EmbeddedEventStore)store;
        long pages = await embedded.RunOnWriterAsync(c => (long)Scalar(c, "PRAGMA page_count")!);
        await embedded.RunOnWriterAsync(c => Scalar(c, $"PRAGMA max_page_count={pages + 50}")); // ~400 KB more: a fraction of the flush

        var rows = LargeFlush(50_000, version: 10);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.WriteRollupsAsync(rows, 10, CancellationToken.None));
        Assert.Equal(5, await store.LoadRollupCheckpointAsync(CancellationToken.None));
        Assert.Empty(await store.ReadRollupsAsync(All("big"), CancellationToken.None));

        await embedded.RunOnWriterAsync(c => Scalar(c, "PRAGMA max_page_count=1073741823"));
        await store.WriteRollupsAsync(rows, 10, CancellationToken.None);
        Assert.Equal(10, await store.LoadRollupCheckpointAsync(CancellationToken.None));
        Assert.Equal(50_000, (await store.ReadRollupsAsync(All("big"), CancellationToken.None)).Count);
    }
}
