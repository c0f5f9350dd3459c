using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.ClickHouse;
using AnalyticsHub.Testing.Stores;

namespace AnalyticsHub.Storage.Tests.Stores.ClickHouse;

[Collection(ClickHouseCollection.Name)]
public sealed class ClickHouseSchemaTests(ClickHouseFixture fixture)
{
    [Fact]
    public async Task InitializeAsync_EmptyServer_CreatesTablesInTheLayoutOfItsVersion()
    {
        var options = fixture.Options();

        await using var store = await fixture.StoreAsync(options);

        Assert.Equal(fixture.Server.Version, store.ServerVersion.Text);
        var expected = store.ServerVersion.LayoutForNewTables;
        Assert.Equal(expected, store.Layout);
        Assert.Equal(
            "event_writes\tMergeTree\nevents\tMergeTree\n",
            fixture.Server.Query($"SELECT name, engine FROM system.tables WHERE database = '{options.Database}' ORDER BY name"));
        string columns = fixture.Server.Query(
            $"SELECT name, type FROM system.columns WHERE database = '{options.Database}' AND table = 'events' FORMAT TabSeparatedRaw");
        string engine = fixture.Server.Query(
            $"SELECT engine_full FROM system.tables WHERE database = '{options.Database}' AND name = 'events' FORMAT TabSeparatedRaw");
        Assert.Contains("PARTITION BY toYYYYMMDD(time)", engine, StringComparison.Ordinal);
        if (expected == ClickHouseTableLayout.Legacy)
        {
            Assert.Contains("time\tDateTime('UTC')\ntime_ns\tUInt32\n", columns, StringComparison.Ordinal);
            Assert.Contains("event_id\tUUID\n", columns, StringComparison.Ordinal);
            Assert.Contains("ORDER BY (tenant_id, source_module, event_type, name, time, time_ns)", engine, StringComparison.Ordinal);
            Assert.False(store.HasTtl);
        }
        else
        {
            Assert.Contains("time\tDateTime64(9, 'UTC')\n", columns, StringComparison.Ordinal);
            Assert.Contains("tenant_id\tLowCardinality(String)\n", columns, StringComparison.Ordinal);
            Assert.Contains("TTL", engine, StringComparison.Ordinal);
            Assert.True(store.HasTtl);
        }
    }

    [Fact]
    public async Task InitializeAsync_Again_IsIdempotentAndKeepsRows()
    {
        var options = fixture.Options();
        using var batch = StoredEventSamples.Batch(records: 5, eventsPerRecord: 4);
        await using (var first = await fixture.StoreAsync(options))
        {
            await first.WriteAsync(batch, 0, 10, new StorePosition(batch[10].WalAddress, batch[10].WalIndex), CancellationToken.None);
            await first.InitializeAsync(CancellationToken.None);
        }

        await using var second = await fixture.StoreAsync(options);
        await second.WriteAsync(batch, 10, 10, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

        Assert.Equal(20, fixture.Count(options.Database));
        Assert.Equal("2\n", fixture.Server.Query($"SELECT count() FROM system.tables WHERE database = '{options.Database}'"));
    }

    [Fact]
    public async Task InitializeAsync_EventsTableWithOtherTypes_RejectedNamingTheColumn()
    {
        var options = fixture.Options();
        fixture.Server.Query($"CREATE DATABASE {options.Database}");
        fixture.Server.Query($"CREATE TABLE {options.Database}.events (node String, time String) ENGINE = MergeTree() ORDER BY node");
        await using var store = new ClickHouseEventStore(options);

        var e = await Assert.ThrowsAsync<StoreRejectedException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.Contains($"{options.Database}.events", e.Message, StringComparison.Ordinal);
        Assert.Contains("column time is String, expected DateTime('UTC')", e.Message, StringComparison.Ordinal);
        Assert.Contains("column wal_address is missing", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_UserWithPassword_Works_WrongPassword_RejectedWithServerMessage()
    {
        var options = fixture.Options() with { User = ClickHouseServer.PasswordUser, Password = ClickHouseServer.PasswordUserPassword };
        await using (var store = await fixture.StoreAsync(options))
        {
            using var batch = StoredEventSamples.Batch(records: 1, eventsPerRecord: 3);
            await store.WriteAsync(batch, 0, 3, new StorePosition(batch.NextAddress, 0), CancellationToken.None);
            Assert.Equal(3, fixture.Count(options.Database));
        }

        await using var wrong = new ClickHouseEventStore(options with { Password = "not-it" });
        var e = await Assert.ThrowsAsync<StoreRejectedException>(() => wrong.InitializeAsync(CancellationToken.None));

        Assert.StartsWith("Code: 193", e.ServerMessage, StringComparison.Ordinal); // WRONG_PASSWORD
        Assert.Contains(fixture.Server.HttpUrl, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreMethods_BeforeInitialize_Throw()
    {
        await using var store = new ClickHouseEventStore(fixture.Options());
        using var batch = StoredEventSamples.Batch(records: 1, eventsPerRecord: 1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync(batch, 0, 1, default, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ResumeAsync(0, CancellationToken.None));
    }
}
