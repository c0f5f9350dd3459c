using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Tests.Stores.Postgres;
using Xunit.Abstractions;
using static AnalyticsHub.Storage.Tests.Rollups.RollupSamples;

namespace AnalyticsHub.Storage.Tests.Rollups;

/// <summary>The rollup contract on a real PostgreSQL server (a fresh database per test), two nodes sharing it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRollupTests(PostgresFixture fixture, ITestOutputHelper output) : SharedRollupStoreScenario(output)
{
    private readonly string _database = fixture.NewDatabase();

    protected override string StoreName => "postgres";

    protected override IRollupStore Create(string node) => PostgresFixture.NewStore(_database, node: node);

    [Fact]
    public async Task Write_RowRefusedMidTransaction_LeavesNeitherRowsNorCheckpoint()
    {
        var store = await OpenAsync();
        await store.WriteRollupsAsync([Row(tenant: "big", seed: 1)], 5, CancellationToken.None);
        await PostgresRead.ScalarAsync<object?>(_database, "ALTER TABLE rollups ADD CONSTRAINT no_poison CHECK (metric <> 'poison')");

        var rows = LargeFlush(50_000, version: 10);
        rows[40_000] = rows[40_000] with { Metric = "poison" };
        var e = await Assert.ThrowsAsync<StoreRejectedException>(() => store.WriteRollupsAsync(rows, 10, CancellationToken.None));

        Assert.StartsWith("23514", e.ServerMessage, StringComparison.Ordinal); // check_violation, in the server's words
        Assert.Equal(5, await store.LoadRollupCheckpointAsync(CancellationToken.None));
        Equal([Row(tenant: "big", seed: 1)], await store.ReadRollupsAsync(All("big"), CancellationToken.None));
        Assert.Equal(1L, await PostgresRead.CountAsync(_database, "rollups"));
        Assert.Equal(5L, await PostgresRead.ScalarAsync<long>(_database, "SELECT wal_position FROM rollup_checkpoints WHERE node = 'node-a'"));

        rows[40_000] = rows[40_000] with { Metric = "m0" };
        await store.WriteRollupsAsync(rows, 10, CancellationToken.None);
        Assert.Equal(50_001L, await PostgresRead.CountAsync(_database, "rollups"));
    }

    [Fact]
    public async Task Initialize_CreatesKeyAndReadIndex_AndAWriteCreatesMissingTablesItself()
    {
        var store = Create("node-a");
        await using var disposable = (IAsyncDisposable)store;
        await store.WriteRollupsAsync([Row()], 3, CancellationToken.None); // initializes on first use

        var indexes = await PostgresRead.RowsAsync(_database, "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'rollups' ORDER BY 1");
        Assert.Equal(["rollups_pkey", "rollups_read"], indexes.Select(r => (string)r[0]!));
        Assert.Contains("(node, tenant_id, series_key, resolution, bucket, part)", (string)indexes[0][1]!, StringComparison.Ordinal);
        Assert.Contains("(tenant_id, resolution, metric, bucket)", (string)indexes[1][1]!, StringComparison.Ordinal);
        Assert.Equal(0L, await PostgresRead.ScalarAsync<long>(_database, "SELECT count(*) FROM pg_class WHERE relname = 'events'")); // the events schema is not needed

        // an operator drops the table: the next write reports it, the one after re-creates it
        await PostgresRead.ScalarAsync<object?>(_database, "DROP TABLE rollups");
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.WriteRollupsAsync([Row()], 4, CancellationToken.None));
        await store.WriteRollupsAsync([Row()], 5, CancellationToken.None);
        Equal([Row()], await store.ReadRollupsAsync(All("acme"), CancellationToken.None));
    }
}
