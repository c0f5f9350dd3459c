using System.Diagnostics;
using AnalyticsHub.Server.Tests.Ingestion;
using AnalyticsHub.Testing.Stores;
using Xunit.Abstractions;

namespace AnalyticsHub.Server.Tests.Storage;

/// <summary>
/// The WAL → PostgreSQL drain keeps exactly-once across <c>kill -9</c>: the hub, fed by a
/// producer that retries what was not acknowledged, is killed at random moments mid-drain (small
/// drain batches make nearly every moment mid-drain: a COPY in flight, committed but its WAL
/// checkpoint not yet persisted, ...) and restarted; in the end PostgreSQL holds every sent event
/// once. The same test as <see cref="DrainerCrashTests"/>, against the PostgreSQL store; each kill
/// waits until the (restarted) hub's drainer has written rows, so every kill interrupts a working drain.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class PostgresCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] SmallDrains = ["--Hub:Storage:BatchRows=700", "--Hub:Storage:BatchIntervalMs=20"];

    [Fact]
    public async Task SigkillMidDrain_FiveTimes_PostgresHoldsEverySentEventExactlyOnce()
    {
        using var pg = PostgresServer.StartNew();
        string db = pg.CreateDatabase("hub_crash");
        await DrainCrashScenario.RunAsync(output, "pg-drain-crash-producer", ["--Hub:Storage:Kind=postgres", $"--Hub:Postgres:ConnectionString={db}", .. SmallDrains],
            hub => DrainCrashStores.Postgres(hub, db));
    }

    /// <summary>
    /// The worst moment of a kill, made certain: PostgreSQL committed rows (and its drain checkpoint)
    /// but the hub died before persisting its WAL reader checkpoint. Reproduced exactly by putting
    /// back, after a SIGKILL, a copy of <c>wal/readers/store.ckpt</c> taken before the last 20,000
    /// events were drained: the restarted drainer re-reads them from the WAL, and must skip every one
    /// (<see cref="AnalyticsHub.Storage.Stores.IEventStore.ResumeAsync"/>), not store it again.
    /// </summary>
    [Fact]
    public async Task SigkillAfterCommitBeforeWalCheckpoint_ReReadEventsSkipped_NoneStoredTwice()
    {
        var total = Stopwatch.StartNew();
        using var pg = PostgresServer.StartNew();
        string db = pg.CreateDatabase("hub_rewind");
        await using var hub = HubProcess.Start(["--Hub:Storage:Kind=postgres", $"--Hub:Postgres:ConnectionString={db}", .. SmallDrains]);
        await hub.WaitUntilListeningAsync(StartTimeout);
        var producer = new RetryingProducer("pg-rewind-producer", eventsPerBatch: 200, maxInFlight: 8);
        string checkpointPath = WalReaderCheckpoints.PathOf(hub.DataDir, "store");

        await SendAndDrainAsync(hub, producer, db, batches: 100);
        byte[] early = await File.ReadAllBytesAsync(checkpointPath);
        long earlyAddress = WalReaderCheckpoints.Address(early);
        await SendAndDrainAsync(hub, producer, db, batches: 100);
        await hub.KillAsync();

        long walCheckpoint = WalReaderCheckpoints.Address(await File.ReadAllBytesAsync(checkpointPath));
        long pgCheckpoint = await PostgresStoreContents.DrainCheckpointAddressAsync(db) ?? -1;
        output.WriteLine($"WAL reader checkpoint {walCheckpoint:N0}, PostgreSQL drain checkpoint {pgCheckpoint:N0}; rewinding the WAL checkpoint to {earlyAddress:N0}");
        Assert.True(earlyAddress < pgCheckpoint && earlyAddress < walCheckpoint, "the early checkpoint is not behind: nothing would be re-read");
        await File.WriteAllBytesAsync(checkpointPath, early);

        hub.Restart();
        await hub.WaitUntilListeningAsync(StartTimeout);
        var sent = IdChecksum.Parse(producer.SentEventIds());
        HubReadiness readiness = null!;
        await Poll.UntilAsync(async () =>
        {
            await Task.Delay(200);
            readiness = await HubReadiness.GetAsync(hub);
            return readiness.Ready && readiness.BacklogBytes == 0;
        }, TimeSpan.FromSeconds(60), () => $"the restarted drainer did not get past the re-read events: {readiness}\n{hub.Output}");
        Assert.True(WalReaderCheckpoints.Address(await File.ReadAllBytesAsync(checkpointPath)) >= walCheckpoint, "the restarted drainer did not move its checkpoint past the re-read events");

        var stored = await PostgresStoreContents.ReadAsync(db);
        PostgresStoreContents.AssertEachOnce(stored, sent, "after re-reading 20,000 events PostgreSQL already held", complete: true);
        Assert.Equal(sent.Count, stored.Values.Sum());
        Assert.Equal(IdChecksum.Of(sent), await PostgresStoreContents.ChecksumAsync(db));
        output.WriteLine($"{sent.Count:N0} events stored once each, in {total.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>One producer session of <paramref name="batches"/> new batches, all acknowledged, then all of it in PostgreSQL.</summary>
    private static async Task SendAndDrainAsync(HubProcess hub, RetryingProducer producer, string db, int batches)
    {
        using (var channel = TestBatches.Channel(hub))
        {
            var session = await producer.RunSessionAsync(channel, batches, CallTimeout);
            Assert.True(session.Completed, $"session: {session}\n{hub.Output}");
        }

        int sent = producer.SentEventIds().Count;
        long rows = await PostgresStoreContents.WaitUntilDrainedAsync(hub, db, sent, TimeSpan.FromSeconds(60), () => hub.Output);
        Assert.True(rows == sent, $"PostgreSQL holds {rows:N0} of the {sent:N0} events sent so far");
    }
}
