using System.Diagnostics;
using AnalyticsHub.Server.Tests.Ingestion;
using AnalyticsHub.Testing.Stores;
using Xunit.Abstractions;

namespace AnalyticsHub.Server.Tests.Storage;

/// <summary>
/// With a healthy store the backlog bound only ever pushes back for as long as the drainer needs
/// to catch up: a small bound (16 MiB) under a steady load the store easily keeps up with must
/// never wedge the hub. Drained WAL records are retained for a while (<c>WalRetainSeconds</c>),
/// so at 40,000 events/s the retained log passes half the bound within seconds and truncation
/// has to keep up behind every WAL reader (the store drainer and the dead-letter indexer).
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class PostgresBacklogTests(ITestOutputHelper output)
{
    private const int EventsPerBatch = 200;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task HealthyStore_SmallBacklogBound_SteadyLoad_AcksNeverStall_EveryAckedEventStoredOnce()
    {
        const int EventsPerSecond = 40_000;
        var load = TimeSpan.FromSeconds(20);
        var maxStall = TimeSpan.FromSeconds(5);
        var total = Stopwatch.StartNew();

        using var pg = PostgresServer.StartNew();
        string db = pg.CreateDatabase("hub_small_backlog");
        await using var hub = HubProcess.Start(["--Hub:Storage:Kind=postgres", $"--Hub:Postgres:ConnectionString={db}", $"--Hub:Wal:MaxBacklogBytes={16L << 20}"]);
        await hub.WaitUntilListeningAsync(StartTimeout);
        using var channel = TestBatches.Channel(hub);
        var producer = new PacedProducer("pg-small-backlog", EventsPerBatch, EventsPerSecond, maxInFlight: 512);
        producer.Start(channel, TimeSpan.FromMinutes(5));

        var clock = Stopwatch.StartNew();
        long lastAcks = -1;
        var lastProgress = TimeSpan.Zero;
        var samples = new List<string>();
        while (clock.Elapsed < load)
        {
            await Task.Delay(500);
            var r = await HubReadiness.GetAsync(hub);
            samples.Add($"{clock.Elapsed.TotalSeconds:0.0}s acked={producer.AckedEvents:N0} wal=[{r.Wal}] storeBacklog={r.BacklogBytes:N0} checkpoints=[{WalReaderCheckpoints.Describe(hub.DataDir)}]");
            if (producer.AckedBatches != lastAcks)
            {
                lastAcks = producer.AckedBatches;
                lastProgress = clock.Elapsed;
            }

            Assert.True(clock.Elapsed - lastProgress < maxStall,
                $"no ack for {(clock.Elapsed - lastProgress).TotalSeconds:0.0} s under a steady {EventsPerSecond:N0} events/s with a healthy store: {r}\n" +
                string.Join("\n", samples.TakeLast(16)));
            Assert.True(producer.Failure is null, $"the producer failed: {producer.Failure}");
        }

        output.WriteLine($"{producer.AckedEvents:N0} events acked in {load.TotalSeconds:0} s; {producer.LatencySummary(0, producer.Seconds)}");
        output.WriteLine("samples: " + string.Join("; ", samples.Where((_, i) => i % 4 == 3)));
        await producer.StopAsync(TimeSpan.FromSeconds(60), () => HubReadiness.DescribeAsync(hub));
        Assert.Null(producer.Failure);
        Assert.Empty(producer.Problems);
        var acked = producer.AckedIds();

        long rows = await PostgresStoreContents.WaitUntilDrainedAsync(hub, db, acked.Count, TimeSpan.FromSeconds(60), () => "");
        var stored = await PostgresStoreContents.ReadAsync(db);
        PostgresStoreContents.AssertEachOnce(stored, acked, "every acknowledged event", complete: true);
        Assert.Equal(acked.Count, rows);
        Assert.Equal(IdChecksum.Of(acked), await PostgresStoreContents.ChecksumAsync(db));
        output.WriteLine($"{acked.Count:N0} acked events stored once each; total {total.Elapsed.TotalSeconds:0.0} s");
    }
}
