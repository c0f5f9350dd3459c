using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.Embedded;
using AnalyticsHub.Storage.Tests.Wal;
using Microsoft.Data.Sqlite;
using static AnalyticsHub.Storage.Tests.Stores.Embedded.EmbeddedTestKit;

namespace AnalyticsHub.Storage.Tests.Stores.Embedded;

public sealed class EmbeddedSchemaTests
{
    private static readonly string[] ExpectedObjects =
    [
        "index:ix_events_correlation", "index:ix_events_series", "index:ix_events_tenant_time", "index:ix_rollups_read",
        "table:drain_checkpoint", "table:events", "table:rollup_checkpoints", "table:rollups",
    ];

    [Fact]
    public async Task Initialize_NewFile_CreatesTablesIndexesVersionAndWalMode()
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions options = Options(dir.Path);

        await using (EmbeddedEventStore store = await OpenAsync(options))
        {
            Assert.Equal("embedded", store.Kind);
            Assert.Equal(Path.GetFullPath(options.DatabasePath), store.Path);
            Assert.False(string.IsNullOrEmpty(store.SqliteVersion));
        }

        using SqliteConnection connection = Connect(options.DatabasePath);
        Assert.Equal(ExpectedObjects, SchemaObjects(connection));
        Assert.Equal((long)EmbeddedSchema.Version, Scalar(connection, "PRAGMA user_version"));
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        Assert.Equal((long)EmbeddedSchema.PageSize, Scalar(connection, "PRAGMA page_size"));
        Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM drain_checkpoint"));
    }

    [Fact]
    public async Task Initialize_TwiceAndAfterReopen_IsIdempotentAndKeepsRows()
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions options = Options(dir.Path);
        using var batch = StoredEventSamples.Batch(10, 10);

        await using (EmbeddedEventStore store = await OpenAsync(options))
        {
            await store.InitializeAsync(CancellationToken.None); // second call on the same store
            await WriteAllAsync(store, batch);
        }
        await using (EmbeddedEventStore second = await OpenAsync(options))
        {
            await using EmbeddedEventStore third = new(options);
            await third.InitializeAsync(CancellationToken.None); // two stores on one file: schema steps are idempotent
        }
        await using (EmbeddedEventStore reopened = await OpenAsync(options))
        {
            StoreResume resume = await reopened.ResumeAsync(0, CancellationToken.None);
            Assert.Equal(new StorePosition(batch.NextAddress, 0), resume.StoredBefore);
        }

        Assert.Equal(100, Count(options.DatabasePath));
        using SqliteConnection connection = Connect(options.DatabasePath);
        Assert.Equal(ExpectedObjects, SchemaObjects(connection));
    }

    [Fact]
    public async Task Initialize_FileFromANewerHub_ThrowsRejectedNamingBothVersions()
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions options = Options(dir.Path);
        await (await OpenAsync(options)).DisposeAsync();
        using (SqliteConnection connection = Connect(options.DatabasePath))
        {
            Execute(connection, "PRAGMA user_version=7");
        }

        await using var store = new EmbeddedEventStore(options);
        var e = await Assert.ThrowsAsync<StoreRejectedException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.Contains("schema version 7", e.Message, StringComparison.Ordinal);
        Assert.Contains($"this hub's {EmbeddedSchema.Version}", e.Message, StringComparison.Ordinal);
        Assert.Contains(options.DatabasePath, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operations_BeforeInitializeOrAfterDispose_Throw()
    {
        using var dir = new TempDirectory();
        using var batch = StoredEventSamples.Batch(1, 1);
        var store = new EmbeddedEventStore(Options(dir.Path));

        await Assert.ThrowsAsync<InvalidOperationException>(() => WriteAllAsync(store, batch));
        await store.DisposeAsync();
        await store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => WriteAllAsync(store, batch));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ResumeAsync(0, CancellationToken.None));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.InitializeAsync(CancellationToken.None));
        Assert.False((await store.ProbeAsync(CancellationToken.None)).Reachable);
    }

    // The query layer's two access paths and retention must each be one index range, never a table scan.
    [Theory]
    [InlineData("SELECT count(*) FROM events WHERE tenant_id = 'default' AND time_ns BETWEEN 1 AND 2", "ix_events_tenant_time")]
    [InlineData("SELECT value FROM events WHERE tenant_id = 'default' AND source_module = 1 AND event_type = 1 AND name = 'latency_ms' AND time_ns >= 1", "ix_events_series")]
    [InlineData("SELECT rowid FROM events WHERE tenant_id = 'default' AND time_ns < 5 LIMIT 10", "ix_events_tenant_time")]
    [InlineData("SELECT tenant_id FROM events WHERE tenant_id > 'a' ORDER BY tenant_id LIMIT 1", "ix_events_")]
    public async Task QueryPlan_UsesTheIndexes(string sql, string index)
    {
        using var dir = new TempDirectory();
        EmbeddedStoreOptions options = Options(dir.Path);
        await (await OpenAsync(options)).DisposeAsync();

        using SqliteConnection connection = Connect(options.DatabasePath);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        var plan = new List<string>();
        using (SqliteDataReader rows = command.ExecuteReader())
        {
            while (rows.Read())
            {
                plan.Add(rows.GetString(3));
            }
        }

        string text = string.Join(" | ", plan);
        Assert.Contains("SEARCH", text, StringComparison.Ordinal);
        Assert.Contains(index, text, StringComparison.Ordinal);
        Assert.DoesNotContain("SCAN events", text, StringComparison.Ordinal);
    }

    private static List<string> SchemaObjects(SqliteConnection connection)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT type || ':' || name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY 1";
        var names = new List<string>();
        using SqliteDataReader rows = command.ExecuteReader();
        while (rows.Read())
        {
            names.Add(rows.GetString(0));
        }
        return names;
    }
}
