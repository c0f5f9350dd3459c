using System.Globalization;
using AnalyticsHub.Storage.Stores;
using AnalyticsHub.Storage.Stores.ClickHouse;
using AnalyticsHub.Testing.Stores;

namespace AnalyticsHub.Storage.Tests.Stores.ClickHouse;

/// <summary>Two ClickHouse servers on loopback, one shard each, naming each other in <c>remote_servers</c>.</summary>
[Collection(ClickHouseCollection.Name)]
public sealed class ClickHouseClusterTests(ClickHouseFixture fixture)
{
    private const string Cluster = "hub_cluster";

    [Fact]
    public async Task Cluster_RowsWrittenThroughDistributedTable_LandOnBothShards_AndAreAllFound()
    {
        var servers = ClickHouseServer.StartCluster(Cluster, shards: 2);
        try
        {
            var options = ClusterOptions(servers);
            await using var store = await fixture.StoreAsync(options);
            using var batch = StoredEventSamples.Batch(records: 2500, eventsPerRecord: 4);

            await store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None);

            // insert_distributed_sync=1: the rows are on the shards when the write returns.
            long[] local = servers.Select(s => fixture.Count(options.Database, "events_local", s)).ToArray();
            Assert.All(local, count => Assert.InRange(count, 4000, 6000));
            Assert.Equal(batch.Count, local.Sum());
            Assert.All(servers, s => Assert.Equal(batch.Count, fixture.Count(options.Database, "events", s)));
            Assert.Equal(1, servers.Sum(s => fixture.Count(options.Database, "event_writes_local", s)));
            Assert.All(servers, s => Assert.Equal(
                "event_writes\tDistributed\nevent_writes_local\tMergeTree\nevents\tDistributed\nevents_local\tMergeTree\n",
                s.Query($"SELECT name, engine FROM system.tables WHERE database = '{options.Database}' ORDER BY name")));

            var resume = await store.ResumeAsync(batch[6000].WalAddress, CancellationToken.None);
            Assert.Equal(batch.Count - 6000, resume.StoredRows.Count);
            Assert.DoesNotContain(resume.StoredRows, p => p.Address < batch[6000].WalAddress);
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
    public async Task Cluster_Retention_DropsOldPartitionsOnEveryShard()
    {
        var servers = ClickHouseServer.StartCluster(Cluster, shards: 2);
        try
        {
            var options = ClusterOptions(servers);
            await using var store = await fixture.StoreAsync(options);
            using var old = StoredEventSamples.Batch(records: 100, eventsPerRecord: 4, time: StoredEventSamples.BaseTime.AddDays(-40));
            using var recent = StoredEventSamples.Batch(records: 100, eventsPerRecord: 4, firstAddress: old.NextAddress);
            await store.WriteAsync(old, 0, old.Count, new StorePosition(old.NextAddress, 0), CancellationToken.None);
            await store.WriteAsync(recent, 0, recent.Count, new StorePosition(recent.NextAddress, 0), CancellationToken.None);

            long result = await store.DeleteOlderThanAsync(StoredEventSamples.BaseTime.AddDays(-30), CancellationToken.None);

            Assert.Equal(store.HasTtl ? 0 : -1, result);
            if (!store.HasTtl)
            {
                Assert.All(servers, s => Assert.Equal(
                    StoredEventSamples.BaseTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "\n",
                    s.Query($"SELECT DISTINCT partition FROM system.parts WHERE database = '{options.Database}' AND table = 'events_local' AND active")));
                Assert.Equal(recent.Count, fixture.Count(options.Database, "events", servers[1]));
            }
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
    public async Task Cluster_OnClusterWithoutZooKeeper_RejectedSayingWhatToConfigure()
    {
        var servers = ClickHouseServer.StartCluster(Cluster, shards: 2);
        try
        {
            await using var store = new ClickHouseEventStore(ClusterOptions(servers) with { ClusterNodeUrls = [] });

            var e = await Assert.ThrowsAsync<StoreRejectedException>(() => store.InitializeAsync(CancellationToken.None));

            Assert.Contains("ON CLUSTER", e.Message, StringComparison.Ordinal);
            Assert.Contains("ClusterNodeUrls", e.Message, StringComparison.Ordinal);
            Assert.StartsWith("Code: ", e.ServerMessage, StringComparison.Ordinal);
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
    public async Task Cluster_NameNotInRemoteServers_Rejected()
    {
        await using var store = new ClickHouseEventStore(fixture.Options() with { Cluster = "no_such_cluster", ClusterNodeUrls = [fixture.Server.HttpUrl] });

        var e = await Assert.ThrowsAsync<StoreRejectedException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.Contains("no cluster 'no_such_cluster'", e.Message, StringComparison.Ordinal);
    }

    private static ClickHouseStoreOptions ClusterOptions(IReadOnlyList<ClickHouseServer> servers) => new()
    {
        Url = servers[0].HttpUrl,
        Database = ClickHouseFixture.NewDatabaseName(),
        NodeId = "node-a",
        Cluster = Cluster,
        ClusterNodeUrls = servers.Select(s => s.HttpUrl).ToArray(),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };
}
