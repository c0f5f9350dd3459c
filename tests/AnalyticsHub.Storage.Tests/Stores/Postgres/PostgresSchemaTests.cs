using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.Postgres;

namespace AnalyticsHub.Storage.Tests.Stores.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Initialize_EmptyDatabase_CreatesPartitionedEventsCheckpointsAndPartitionsAround()
    {
        string db = fixture.NewDatabase();
        await using var store = PostgresFixture.NewStore(db);

        await store.InitializeAsync(CancellationToken.None);

        Assert.Equal(PostgresEventsLayout.Partitioned, store.Layout);
        Assert.Equal(PostgresJsonType.Jsonb, store.JsonType);
        Assert.StartsWith("15", store.ServerVersion);
        Assert.True(store.ServerVersionNumber >= 150000);
        Assert.Equal("p", await PostgresRead.ScalarAsync<string>(db, "SELECT relkind::text FROM pg_class WHERE relname = 'events'"));
        // today (the clock says 2026-11-24) − 1 … today + 2, and the default partition
        Assert.Equal(
            ["events_default", "events_p20261123", "events_p20261124", "events_p20261125", "events_p20261126"],
            await PostgresRead.PartitionsAsync(db));
        var columns = await PostgresRead.RowsAsync(db,
            "SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'events'::regclass AND attnum > 0 ORDER BY attnum");
        Assert.Equal(26, columns.Count);
        Assert.Contains(columns, c => (string)c[0]! == "time" && (string)c[1]! == "timestamp with time zone");
        Assert.Contains(columns, c => (string)c[0]! == "time_ns" && (string)c[1]! == "smallint");
        Assert.Contains(columns, c => (string)c[0]! == "event_id" && (string)c[1]! == "uuid");
        Assert.Contains(columns, c => (string)c[0]! == "payload" && (string)c[1]! == "jsonb");
        Assert.Equal(0L, await PostgresRead.CountAsync(db, "drain_checkpoints"));
        var indexes = await PostgresRead.RowsAsync(db, "SELECT indexname::text FROM pg_indexes WHERE tablename = 'events' ORDER BY 1");
        Assert.Equal(["events_tenant_correlation", "events_tenant_time"], indexes.Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task Initialize_WithSearchIndex_AddsItToAnExistingTable()
    {
        string db = fixture.NewDatabase();
        await using (var store = PostgresFixture.NewStore(db))
        {
            await store.InitializeAsync(CancellationToken.None);
        }

        await using var searching = PostgresFixture.NewStore(db, o => o with { SearchIndex = true });
        await searching.InitializeAsync(CancellationToken.None);

        var indexes = await PostgresRead.RowsAsync(db, "SELECT indexname::text FROM pg_indexes WHERE tablename = 'events' ORDER BY 1");
        Assert.Equal(["events_tenant_correlation", "events_tenant_time", "events_tenant_type_name_time"], indexes.Select(r => (string)r[0]!));
        // partitions get the partitioned index too
        Assert.Equal(4L, await PostgresRead.ScalarAsync<long>(db,
            "SELECT count(*) FROM pg_indexes WHERE tablename LIKE 'events_p%' AND indexdef LIKE '%(tenant_id, event_type, name, \"time\")%'"));
    }

    [Fact]
    public async Task Initialize_Twice_AndByAnotherStore_ChangesNothing()
    {
        string db = fixture.NewDatabase();
        await using (var first = PostgresFixture.NewStore(db))
        {
            await first.InitializeAsync(CancellationToken.None);
            using var batch = StoredEventSamples.Batch(10, 4);
            await first.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);
            await first.InitializeAsync(CancellationToken.None);
        }

        string schemaBefore = fixture.Server.Psql(
            "SELECT string_agg(relname || ':' || relkind::text, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace", Database(db));
        await using (var second = PostgresFixture.NewStore(db, now: StoredEventSamples.BaseTime))
        {
            await second.InitializeAsync(CancellationToken.None);
            Assert.Equal(PostgresEventsLayout.Partitioned, second.Layout);
        }

        Assert.Equal(schemaBefore, fixture.Server.Psql(
            "SELECT string_agg(relname || ':' || relkind::text, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace", Database(db)));
        Assert.Equal(40L, await PostgresRead.CountAsync(db));
    }

    [Fact]
    public async Task Initialize_ManyNodesAtOnce_AllSucceedWithOneSchema()
    {
        string db = fixture.NewDatabase();
        var stores = Enumerable.Range(0, 4).Select(i => PostgresFixture.NewStore(db, node: "node-" + i)).ToArray();
        try
        {
            await Task.WhenAll(stores.Select(s => s.InitializeAsync(CancellationToken.None)));
            Assert.All(stores, s => Assert.Equal(PostgresEventsLayout.Partitioned, s.Layout));
            Assert.Equal(5, (await PostgresRead.PartitionsAsync(db)).Count);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Initialize_JsonOption_CreatesJsonColumns_AndAnExistingTableKeepsItsType()
    {
        string db = fixture.NewDatabase();
        await using (var store = PostgresFixture.NewStore(db, o => o with { JsonType = PostgresJsonType.Json }))
        {
            await store.InitializeAsync(CancellationToken.None);
            Assert.Equal(PostgresJsonType.Json, store.JsonType);
        }

        await using var later = PostgresFixture.NewStore(db); // asks for jsonb
        await later.InitializeAsync(CancellationToken.None);

        Assert.Equal(PostgresJsonType.Json, later.JsonType);
        Assert.Equal("json", await PostgresRead.ScalarAsync<string>(db,
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'tags'"));
    }

    [Fact]
    public async Task Initialize_RoleWithoutCreatePrivilege_IsRejectedWithTheServersMessage()
    {
        string db = fixture.NewDatabase();
        string role = "reader_" + Guid.NewGuid().ToString("N")[..8];
        fixture.Server.Psql($"CREATE ROLE {role} LOGIN");
        await using var store = PostgresFixture.NewStore(db.Replace("Username=postgres", "Username=" + role, StringComparison.Ordinal));

        var e = await Assert.ThrowsAsync<StoreRejectedException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.Contains("42501", e.ServerMessage);
        Assert.Contains("permission denied for schema public", e.ServerMessage);
        Assert.Contains(store.Endpoint, e.Message);
        Assert.Contains("permission denied", e.Message);
    }

    [Fact]
    public async Task RoleThatMayOnlyWriteRows_InitializesAndWrites_IntoTheDefaultPartitionWhenItCannotCreateOne()
    {
        string db = fixture.NewDatabase();
        await using (var owner = PostgresFixture.NewStore(db))
        {
            await owner.InitializeAsync(CancellationToken.None);
        }

        string role = "writer_" + Guid.NewGuid().ToString("N")[..8];
        fixture.Server.Psql($"CREATE ROLE {role} LOGIN; GRANT SELECT, INSERT ON events TO {role}; GRANT SELECT, INSERT, UPDATE ON drain_checkpoints TO {role}", Database(db));
        await using var store = PostgresFixture.NewStore(db.Replace("Username=postgres", "Username=" + role, StringComparison.Ordinal), now: StoredEventSamples.BaseTime.AddDays(1));
        using var batch = StoredEventSamples.Batch(5, 4);
        StoredEventSamples.Fill(batch, 2, 3, batch.NextAddress, "default", StoredEventSamples.BaseTime.AddDays(20));

        await store.InitializeAsync(CancellationToken.None); // also tries (and may not) create today+2's partition
        await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

        var perPartition = await PostgresRead.RowsPerPartitionAsync(db);
        Assert.Equal(20L, perPartition["events_p20261124"]);
        Assert.Equal(6L, perPartition["events_default"]);
        Assert.Equal(new StorePosition(batch.NextAddress, 0), (await store.ResumeAsync(64, CancellationToken.None)).StoredBefore);
    }

    [Fact]
    public async Task Initialize_UnknownDatabase_IsRejectedWithTheServersMessage()
    {
        await using var store = PostgresFixture.NewStore(fixture.Server.ConnectionStringFor("no_such_db"));

        var e = await Assert.ThrowsAsync<StoreRejectedException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.Contains("3D000", e.ServerMessage);
        Assert.Contains("no_such_db", e.Message);
    }

    [Fact]
    public async Task Probe_ReturnsTheServerVersion()
    {
        await using var store = PostgresFixture.NewStore(fixture.Server.ConnectionString);

        var probe = await store.ProbeAsync(CancellationToken.None);

        Assert.True(probe.Reachable, probe.Error);
        Assert.StartsWith("15", probe.ServerVersion);
        Assert.Equal("postgres", store.Kind);
    }

    private static string Database(string connectionString) =>
        connectionString.Split(';').Single(p => p.StartsWith("Database=", StringComparison.Ordinal))["Database=".Length..];
}
