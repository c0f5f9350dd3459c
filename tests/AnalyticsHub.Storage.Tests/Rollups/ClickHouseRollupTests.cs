using System.Diagnostics;
using System.Globalization;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.ClickHouse;
using AnalyticsHub.Storage.Tests.Stores.ClickHouse;
using AnalyticsHub.Testing.Stores;
using Xunit.Abstractions;
using static AnalyticsHub.Storage.Tests.Rollups.RollupSamples;

namespace AnalyticsHub.Storage.Tests.Rollups;

/// <summary>The rollup contract on a real ClickHouse server (a fresh database per test), two nodes sharing it.</summary>
[Collection(ClickHouseCollection.Name)]
public sealed class ClickHouseRollupTests(ClickHouseFixture fixture, ITestOutputHelper output) : SharedRollupStoreScenario(output)
{
    private readonly ClickHouseStoreOptions _options = fixture.Options();

    protected override string StoreName => "clickhouse " + fixture.Server.Version;

    protected override bool KeepsStoredRowOnEqualVersion => false;

    private string Table => _options.Database + ".rollups";

    protected override IRollupStore Create(string node) => new ClickHouseEventStore(_options with { NodeId = node });

    [Fact]
    public async Task Table_IsAnUnpartitionedReplacingMergeTree()
    {
        await OpenAsync();
        string engine = fixture.Server.Query(
            $"SELECT engine, partition_key, sorting_key FROM system.tables WHERE database = '{_options.Database}' AND name = 'rollups' FORMAT TabSeparatedRaw").Trim();
        Assert.Equal("ReplacingMergeTree\t\ttenant_id, resolution, metric, series_key, bucket, node, part", engine);
    }

    [Fact]
    public async Task Write_RowRefusedByTheServer_LeavesNeitherRowsNorCheckpoint()
    {
        var store = await OpenAsync();
        await store.WriteRollupsAsync([Row(tenant: "big", seed: 1)], 5, CancellationToken.None);
        fixture.Server.Query($"ALTER TABLE {Table} ADD COLUMN guard UInt8 MATERIALIZED throwIf(metric = 'poison')");

        var rows = LargeFlush(50_000, version: 10);
        rows[40_000] = rows[40_000] with { Metric = "poison" };
        var e = await Assert.ThrowsAsync<StoreRejectedException>(() => store.WriteRollupsAsync(rows, 10, CancellationToken.None));

        Assert.Contains("throwIf", e.ServerMessage, StringComparison.Ordinal);
        Assert.Equal(5, await store.LoadRollupCheckpointAsync(CancellationToken.None));
        Equal([Row(tenant: "big", seed: 1)], await store.ReadRollupsAsync(All("big"), CancellationToken.None));
        Assert.Equal("2", fixture.Server.Query($"SELECT count() FROM {Table}").Trim()); // the first row and its marker
    }

    [Fact]
    public async Task Write_MoreRowsThanOneDefaultBlock_IsStillOnePart()
    {
        var store = await OpenAsync();
        const int Count = 1_100_000; // above max_insert_block_size's default, 1,048,576
        var rows = new List<RollupRow>(Count);
        for (int i = 0; i < Count; i++)
        {
            rows.Add(new RollupRow { TenantId = "t", Metric = "m", SeriesKey = "s" + (i % 1000), ResolutionSeconds = 60, Bucket = i / 1000, Version = 1 });
        }

        var watch = Stopwatch.StartNew();
        await store.WriteRollupsAsync(rows, 99, CancellationToken.None);
        Output.WriteLine($"{StoreName}: {Count:N0} small rows in one flush: {watch.Elapsed.TotalSeconds:F1} s");

        // one active part of merge level 0: written by one block, not merged from several
        Assert.Equal("1\t0", fixture.Server.Query($"SELECT count(), max(level) FROM system.parts WHERE database = '{_options.Database}' AND table = 'rollups' AND active").Trim());
        Assert.Equal((Count + 1).ToString(CultureInfo.InvariantCulture), fixture.Server.Query($"SELECT count() FROM {Table}").Trim());
        Assert.Equal(99, await store.LoadRollupCheckpointAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Read_AfterTheServerMergedVersions_IsTheSame()
    {
        var store = await OpenAsync();
        var main = Row(version: 300, seed: 3);
        var late = Row(part: 250, version: 250, seed: 4);
        await store.WriteRollupsAsync([Row(version: 100, seed: 1), Row(part: 250, version: 250, seed: 4)], 100, CancellationToken.None);
        await store.WriteRollupsAsync([Row(version: 200, seed: 2), late], 200, CancellationToken.None);
        await store.WriteRollupsAsync([main], 300, CancellationToken.None);
        Equal([main, late], await store.ReadRollupsAsync(All("acme"), CancellationToken.None));

        fixture.Server.Query($"OPTIMIZE TABLE {Table} FINAL");

        Assert.Equal("3", fixture.Server.Query($"SELECT count() FROM {Table}").Trim()); // one main row, one late part, one marker
        Equal([main, late], await store.ReadRollupsAsync(All("acme"), CancellationToken.None));
        Equal([main], await store.LoadRollupsAsync(60, 0, CancellationToken.None));
        Assert.Equal(300, await store.LoadRollupCheckpointAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Checkpoint_IsTheHighestMarkerOfTheNode_AndAMarkerIsNeverReadAsARollup()
    {
        var a = await OpenAsync("node-a");
        var b = await OpenAsync("node-b");
        await a.WriteRollupsAsync([], 40, CancellationToken.None);
        await a.WriteRollupsAsync([], 30, CancellationToken.None); // lower: the checkpoint stays (markers are versions)
        var likeAMarker = Row(tenant: "", metric: "", seriesKey: "__checkpoint__", seed: 1);
        await b.WriteRollupsAsync([likeAMarker], 7, CancellationToken.None);

        Assert.Equal(40, await a.LoadRollupCheckpointAsync(CancellationToken.None));
        Assert.Equal(7, await b.LoadRollupCheckpointAsync(CancellationToken.None));
        var markers = ClickHouseFixture.JsonRows(fixture.Server.Query(
            $"SELECT node, tenant_id, metric, series_key, max(version) FROM {Table} WHERE resolution = 0 GROUP BY node, tenant_id, metric, series_key ORDER BY node FORMAT JSONCompact"));
        Assert.Equal(["node-a|||__checkpoint__|40", "node-b|||__checkpoint__|7"], markers.Select(r => string.Join('|', r)));

        // a real row keyed like a marker is a rollup like any other; the markers themselves never come back
        Equal([likeAMarker], await a.ReadRollupsAsync(All(""), CancellationToken.None));
        Equal([likeAMarker], await b.LoadRollupsAsync(60, 0, CancellationToken.None));
        Assert.Empty(await a.LoadRollupsAsync(60, 0, CancellationToken.None));
    }

    [Fact]
    public async Task Cluster_EachNodesFlushLandsWholeOnOneShard_AndEveryServerReadsAllNodes()
    {
        var servers = ClickHouseServer.StartCluster("hub_cluster", shards: 2);
        try
        {
            var options = new ClickHouseStoreOptions
            {
                Url = servers[0].HttpUrl,
                Database = ClickHouseFixture.NewDatabaseName(),
                Cluster = "hub_cluster",
                ClusterNodeUrls = servers.Select(s => s.HttpUrl).ToArray(),
                RequestTimeout = TimeSpan.FromSeconds(30),
            };
            await using var a = new ClickHouseEventStore(options with { NodeId = "node-a" });
            await using var b = new ClickHouseEventStore(options with { NodeId = "node-b", Url = servers[1].HttpUrl });
            await Task.WhenAll(a.InitializeRollupsAsync(CancellationToken.None), b.InitializeRollupsAsync(CancellationToken.None));
            var rowsA = LargeFlush(1000, version: 10);
            var rowsB = LargeFlush(1000, version: 20);
            await a.WriteRollupsAsync(rowsA, 10, CancellationToken.None);
            await b.WriteRollupsAsync(rowsB, 20, CancellationToken.None);

            // sharded by node: all of a node's rows and its marker on one shard (split rows would show as two lines of it)
            var perShard = servers.Select(s => s.Query(
                $"SELECT node, count() FROM {options.Database}.rollups_local GROUP BY node ORDER BY node FORMAT TabSeparated").Trim()).ToList();
            Assert.Equal(["node-a\t1001", "node-b\t1001"], perShard.SelectMany(t => t.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Order(StringComparer.Ordinal));
            Assert.Equal(10, await a.LoadRollupCheckpointAsync(CancellationToken.None));
            Assert.Equal(20, await b.LoadRollupCheckpointAsync(CancellationToken.None));

            var both = await a.ReadRollupsAsync(All("big"), CancellationToken.None);
            Assert.Equal(2000, both.Count);
            Equal(rowsB, both.Where(r => r.Version == 20));
            Equal(rowsA, await a.LoadRollupsAsync(60, 0, CancellationToken.None));
            Equal(rowsB, await b.LoadRollupsAsync(60, 0, CancellationToken.None));

            await b.DeleteRollupsOlderThanAsync(60, DateTimeOffset.FromUnixTimeSeconds(((BaseSeconds / 60) + 1) * 60), CancellationToken.None);
            Assert.Equal(2 * 500, (await b.ReadRollupsAsync(All("big"), CancellationToken.None)).Count(r => r.Bucket == (BaseSeconds / 60) + 1));
            Assert.Equal(2 * (1000 - 500), (await a.ReadRollupsAsync(All("big"), CancellationToken.None)).Count);
            Assert.Equal(20, await b.LoadRollupCheckpointAsync(CancellationToken.None));
        }
        finally
        {
            foreach (var server in servers)
            {
                server.Dispose();
            }
        }
    }

    [Fact]
    public async Task Write_NotInitialized_SaysSo()
    {
        await using var store = new ClickHouseEventStore(_options);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteRollupsAsync([Row()], 1, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ReadRollupsAsync(All("acme"), CancellationToken.None));
    }
}
