using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AnalyticsHub.Storage.Stores;

namespace AnalyticsHub.Storage.Tests.Stores.Postgres;

[Collection(PostgresCollection.Name)]
public sealed class PostgresOutageTests(PostgresFixture fixture)
{
    [Fact]
    public async Task UnreachableServer_EveryCallFailsAsUnavailableQuickly_NamingHostAndPort()
    {
        int port = ClosedPort();
        await using var store = PostgresFixture.NewStore($"Host=127.0.0.1;Port={port};Username=postgres;Database=hub");
        using var batch = StoredEventSamples.Batch(2, 2);
        var clock = Stopwatch.StartNew();

        var init = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.InitializeAsync(CancellationToken.None));
        var write = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            store.WriteAsync(batch, 0, batch.Count, new StorePosition(batch.NextAddress, 0), CancellationToken.None));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ResumeAsync(64, CancellationToken.None));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.DeleteOlderThanAsync(DateTimeOffset.UnixEpoch, CancellationToken.None));
        var probe = await store.ProbeAsync(CancellationToken.None);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains($"127.0.0.1:{port}", init.Message);
        Assert.Contains("unreachable", init.Message);
        Assert.Contains("refused", init.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"127.0.0.1:{port}", write.Message);
        Assert.False(probe.Reachable);
        Assert.Contains($"127.0.0.1:{port}", probe.Error);
    }

    [Fact]
    public async Task ServerStoppedThenRestarted_WritesFailAsUnavailable_ThenSucceedOnTheSameStore()
    {
        string db = fixture.NewDatabase();
        await using var store = PostgresFixture.NewStore(db);
        await store.InitializeAsync(CancellationToken.None);
        using var first = StoredEventSamples.Batch(50, 4);
        using var second = StoredEventSamples.Batch(50, 4, firstAddress: first.NextAddress);
        await store.WriteAsync(first, 0, first.Count, new StorePosition(first.NextAddress, 0), CancellationToken.None);

        fixture.Server.Stop();
        try
        {
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
                store.WriteAsync(second, 0, second.Count, new StorePosition(second.NextAddress, 0), CancellationToken.None));
            await Assert.ThrowsAsync<StoreUnavailableException>(() =>
                store.WriteAsync(second, 0, second.Count, new StorePosition(second.NextAddress, 0), CancellationToken.None));
            var probe = await store.ProbeAsync(CancellationToken.None);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
            Assert.Contains(store.Endpoint, e.Message);
            Assert.False(probe.Reachable);
        }
        finally
        {
            fixture.Server.Start();
        }

        await store.WriteAsync(second, 0, second.Count, new StorePosition(second.NextAddress, 0), CancellationToken.None);

        Assert.Equal(400L, await PostgresRead.CountAsync(db));
        Assert.Equal(new StorePosition(second.NextAddress, 0), (await store.ResumeAsync(64, CancellationToken.None)).StoredBefore);
        Assert.True((await store.ProbeAsync(CancellationToken.None)).Reachable);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ServerRestartedBetweenWrites_NextWriteSucceeds(bool crash)
    {
        string db = fixture.NewDatabase();
        await using var store = PostgresFixture.NewStore(db);
        using var first = StoredEventSamples.Batch(10, 4);
        using var second = StoredEventSamples.Batch(10, 4, firstAddress: first.NextAddress);
        await store.WriteAsync(first, 0, first.Count, new StorePosition(first.NextAddress, 0), CancellationToken.None);
        Assert.True((await store.ProbeAsync(CancellationToken.None)).Reachable); // a second idle connection in the pool

        fixture.Server.Restart(immediate: crash);

        // the pooled connections died with the server; the store must not hand the rows to a dead one
        await store.WriteAsync(second, 0, second.Count, new StorePosition(second.NextAddress, 0), CancellationToken.None);
        Assert.Equal(80L, await PostgresRead.CountAsync(db));
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
