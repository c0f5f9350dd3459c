using AnalyticsHub.Server.Tests.Metrics;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AnalyticsHub.Client;
using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Server.Tests.Ingestion;
using AnalyticsHub.Testing.Stores;
using Xunit.Abstractions;

namespace AnalyticsHub.Server.Tests.Storage;

/// <summary>
/// A PostgreSQL outage under load costs producers nothing and loses nothing: the hub keeps
/// acknowledging from its WAL while the store is down (readiness says the store is unreachable,
/// the backlog grows), and once the server is back the drainer catches up — every acknowledged
/// event in the <c>events</c> table exactly once. With a small backlog bound the same outage
/// fills it: producers are pushed back (streams no longer read, unary calls RESOURCE_EXHAUSTED),
/// and still nothing acknowledged is lost or doubled once the store returns.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class PostgresOutageTests(ITestOutputHelper output)
{
    private const int EventsPerBatch = 200;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CallLifetime = TimeSpan.FromMinutes(10);

    /// <summary>The drainer's retry backoff is capped at 5 s (default 30 s) so the test does not wait out a long backoff after the restart.</summary>
    private static string[] PostgresStore(string connectionString, int retryMaxDelayMs = 5_000) =>
    [
        "--Hub:Storage:Kind=postgres", $"--Hub:Postgres:ConnectionString={connectionString}", $"--Hub:Storage:RetryMaxDelayMs={retryMaxDelayMs}",
    ];

    /// <summary>
    /// One stream paced at 20,000 events/s for the whole test; PostgreSQL crashes (immediate stop)
    /// for 60 s and comes back. Producers are not failed: the call never fails and acks keep coming
    /// (at least half the pace; ack latencies are recorded per phase) — with a 512 MiB bound the
    /// backlog holds the outage, so nothing is pushed back. Readiness reports the store unreachable
    /// within seconds and stays so, the backlog grows by at least 64 bytes per acked event, and
    /// after the restart the hub is ready again and PostgreSQL holds every acknowledged event exactly
    /// once (ids, count and a server-side checksum).
    /// </summary>
    [Fact]
    public async Task StoreStoppedFor60s_UnderSteadyLoad_EveryAckedEventStoredOnce_ProducersSlowedNotFailed()
    {
        const int EventsPerSecond = 20_000;
        const long MaxBacklogBytes = 512L << 20;
        var outage = TimeSpan.FromSeconds(60);
        var total = Stopwatch.StartNew();

        using var pg = PostgresServer.StartNew();
        string db = pg.CreateDatabase("hub_outage");
        await using var hub = HubProcess.Start([.. PostgresStore(db), $"--Hub:Wal:MaxBacklogBytes={MaxBacklogBytes}"]);
        await hub.WaitUntilListeningAsync(StartTimeout);
        using var channel = TestBatches.Channel(hub);
        var producer = new PacedProducer("pg-outage", EventsPerBatch, EventsPerSecond, maxInFlight: 64);
        producer.Start(channel, CallLifetime);
        string Describe() => $"producer: {producer.SentBatches:N0} batches sent, {producer.AckedBatches:N0} acked, failure: {producer.Failure?.Message ?? "none"}\n" +
            $"postgres log:\n{pg.LogTail(10)}\nhub:\n{Tail(hub.Output)}";

        // Warm-up: events flow into PostgreSQL and the hub is ready.
        var warmUp = Stopwatch.StartNew();
        HubReadiness readiness = null!;
        await Poll.UntilAsync(async () =>
        {
            await Task.Delay(200);
            readiness = await HubReadiness.GetAsync(hub);
            return readiness.Ready && await PostgresStoreContents.CountAsync(db) > 0;
        }, TimeSpan.FromSeconds(60), () => $"no event reached PostgreSQL, or the hub is not ready: {readiness}\n{Describe()}");
        await Task.Delay(2_000);
        var before = await HubReadiness.GetAsync(hub);
        long rowsBefore = await PostgresStoreContents.CountAsync(db);
        output.WriteLine($"warm-up {warmUp.Elapsed.TotalSeconds:0.0} s: {rowsBefore:N0} rows in PostgreSQL, {producer.AckedEvents:N0} events acked; {before}");

        // The outage: PostgreSQL crashes (immediate stop) and stays down for 60 s while the producer keeps sending.
        long ackedAtStop = producer.AckedEvents;
        double stoppedAt = producer.Seconds;
        var down = Stopwatch.StartNew();
        await Task.Run(() => pg.Stop(immediate: true));
        output.WriteLine($"PostgreSQL stopped (immediate) in {down.Elapsed.TotalSeconds:0.0} s");
        double? unreachableAt = null;
        var samples = new List<string>();
        while (down.Elapsed < outage)
        {
            await Task.Delay(1_000);
            var r = await HubReadiness.GetAsync(hub);
            double t = down.Elapsed.TotalSeconds;
            samples.Add($"{t:0}s {(int)r.Status} backlog={r.BacklogBytes >> 20}MiB acked={producer.AckedEvents:N0}");
            bool unreachable = r.Store.StartsWith("postgres: unreachable", StringComparison.Ordinal);
            if (unreachable)
            {
                unreachableAt ??= t;
                Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status);
            }
            else
            {
                Assert.True(unreachableAt is null, $"{t:0.0} s into the outage /readyz reported the store as '{r.Store}' after reporting it unreachable: {r}");
            }

            Assert.True(producer.Failure is null && producer.Problems.Count == 0,
                $"{t:0.0} s into the outage the producer failed: {producer.Failure} {string.Join(" | ", producer.Problems.Take(5))}\n{Describe()}");
        }

        var during = await HubReadiness.GetAsync(hub);
        long ackedDuringOutage = producer.AckedEvents - ackedAtStop;
        double restartedAt = producer.Seconds;
        output.WriteLine($"outage {down.Elapsed.TotalSeconds:0.0} s: store first reported unreachable after {unreachableAt:0.0} s; {ackedDuringOutage:N0} events acked meanwhile " +
            $"({ackedDuringOutage / outage.TotalSeconds:N0}/s, paced at {EventsPerSecond:N0}/s); backlog {before.BacklogBytes:N0} → {during.BacklogBytes:N0} bytes " +
            $"(~{(during.BacklogBytes - before.BacklogBytes) / Math.Max(1, ackedDuringOutage)} bytes/event)");
        output.WriteLine("samples (every 5 s): " + string.Join(", ", samples.Where((_, i) => i % 5 == 4)));
        output.WriteLine($"acks before the outage: {producer.LatencySummary(0, stoppedAt)}; during: {producer.LatencySummary(stoppedAt, restartedAt)}");

        Assert.True(unreachableAt is not null && unreachableAt < 20, $"/readyz never reported the store unreachable within 20 s (samples: {string.Join(", ", samples)}): {during}");
        Assert.StartsWith("postgres: unreachable", during.Store, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.Status);
        Assert.DoesNotContain("backlog full", during.Wal, StringComparison.Ordinal); // 512 MiB holds the outage: nobody is pushed back
        Assert.True(ackedDuringOutage >= EventsPerSecond * outage.TotalSeconds / 2,
            $"only {ackedDuringOutage:N0} events acked in the {outage.TotalSeconds:0} s outage at a pace of {EventsPerSecond:N0}/s: acks must keep coming from the WAL");
        Assert.True(during.BacklogBytes - before.BacklogBytes >= ackedDuringOutage * 64,
            $"the backlog grew from {before.BacklogBytes:N0} to {during.BacklogBytes:N0} bytes while {ackedDuringOutage:N0} events were acked and the store was down");

        // PostgreSQL returns (same port, same data); the producer keeps sending while the drainer catches up.
        var up = Stopwatch.StartNew();
        await Task.Run(pg.Start);
        output.WriteLine($"PostgreSQL started in {up.Elapsed.TotalSeconds:0.0} s");
        await Poll.UntilAsync(async () =>
        {
            await Task.Delay(100);
            readiness = await HubReadiness.GetAsync(hub);
            return readiness.Ready;
        }, TimeSpan.FromSeconds(60), () => $"the hub never became ready after PostgreSQL returned: {readiness}\n{Describe()}");
        double readyAfter = up.Elapsed.TotalSeconds;
        await Poll.UntilAsync(async () =>
        {
            await Task.Delay(250);
            readiness = await HubReadiness.GetAsync(hub);
            return readiness.BacklogBytes is >= 0 and < 8L << 20;
        }, TimeSpan.FromSeconds(180), () => $"the drainer did not catch up after PostgreSQL returned: {readiness}\n{Describe()}");
        double caughtUpAfter = up.Elapsed.TotalSeconds;
        await Task.Delay(2_000);
        double stoppingAt = producer.Seconds;
        await producer.StopAsync(TimeSpan.FromSeconds(60), async () => $"{await HubReadiness.DescribeAsync(hub)}\n{Describe()}");
        output.WriteLine($"after the restart: ready in {readyAfter:0.0} s, backlog under 8 MiB in {caughtUpAfter:0.0} s; acks meanwhile: {producer.LatencySummary(restartedAt, stoppingAt)}");

        Assert.True(producer.Failure is null, $"the producer's call failed: {producer.Failure}\n{Describe()}");
        Assert.Empty(producer.Problems);
        var acked = producer.AckedIds();
        Assert.Equal(producer.SentBatches * EventsPerBatch, acked.Count);

        // Everything drained: nothing left in the backlog, so no write can still be coming.
        var drain = Stopwatch.StartNew();
        long rows = await PostgresStoreContents.WaitUntilDrainedAsync(hub, db, acked.Count, TimeSpan.FromSeconds(120), Describe);
        output.WriteLine($"fully drained {drain.Elapsed.TotalSeconds:0.0} s after the producer stopped");

        var stored = await PostgresStoreContents.ReadAsync(db);
        PostgresStoreContents.AssertEachOnce(stored, acked, "after the outage, every acknowledged event", complete: true);
        Assert.Equal(acked.Count, rows);
        var expectedSum = IdChecksum.Of(acked);
        var storedSum = await PostgresStoreContents.ChecksumAsync(db);
        Assert.Equal(expectedSum, storedSum);
        var final = await HubReadiness.GetAsync(hub);
        Assert.True(final.Ready && final.Store == "postgres: ok", $"/readyz after the drain: {final}");

        // The outage shows in the drainer's metrics: failed writes, each attempted again after its backoff.
        var metrics = await MetricsText.ScrapeTextAsync(hub.MetricsPort);
        Assert.True(MetricsText.Value(metrics, "hub_store_write_retries_total") > 0, $"no store write retries counted:\n{metrics}");
        Assert.True(MetricsText.Value(metrics, "hub_store_write_errors_total") >= MetricsText.Value(metrics, "hub_store_write_retries_total"), metrics);
        Assert.True(MetricsText.Value(metrics, "hub_store_rows_total") >= acked.Count, metrics);
        output.WriteLine($"{acked.Count:N0} acked events stored once each (checksum {storedSum}); total {total.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>
    /// The same outage with a 16 MiB bound: the backlog fills, the stream stops being read (its
    /// writer waits on flow control) and unary calls get RESOURCE_EXHAUSTED, acks stop; when
    /// PostgreSQL returns both producers are taken again, the stream never failed, and PostgreSQL
    /// holds every acknowledged event exactly once and none of the refused ones.
    /// </summary>
    [Fact]
    public async Task StoreStopped_BacklogFull_ProducersPushedBack_NothingAckedLostWhenStoreReturns()
    {
        const long MaxBacklogBytes = 16L << 20;
        var hold = TimeSpan.FromSeconds(8);
        var total = Stopwatch.StartNew();

        using var pg = PostgresServer.StartNew();
        string db = pg.CreateDatabase("hub_backlog_full");
        await using var hub = HubProcess.Start([.. PostgresStore(db, retryMaxDelayMs: 2_000), $"--Hub:Wal:MaxBacklogBytes={MaxBacklogBytes}"]);
        await hub.WaitUntilListeningAsync(StartTimeout);
        using var channel = TestBatches.Channel(hub);
        // A large window, so that a held stream shows as a write the transport does not take.
        var producer = new PacedProducer("pg-backlog-full", EventsPerBatch, eventsPerSecond: 40_000, maxInFlight: 512);
        producer.Start(channel, CallLifetime);
        var unary = new UnaryPusher();
        using var stopUnary = new CancellationTokenSource();
        var unaryTask = Task.Run(() => unary.RunAsync(channel, stopUnary.Token));
        string Describe() => $"stream: {producer.SentBatches:N0} batches sent, {producer.AckedBatches:N0} acked, failure: {producer.Failure?.Message ?? "none"}; {unary}\n" +
            $"postgres log:\n{pg.LogTail(10)}\nhub:\n{Tail(hub.Output)}";

        try
        {
            HubReadiness readiness = null!;
            await Poll.UntilAsync(async () =>
            {
                await Task.Delay(200);
                readiness = await HubReadiness.GetAsync(hub);
                return readiness.Ready && await PostgresStoreContents.CountAsync(db) > 0;
            }, TimeSpan.FromSeconds(60), () => $"no event reached PostgreSQL, or the hub is not ready: {readiness}\n{Describe()}");

            // Store down: the 16 MiB backlog fills.
            var down = Stopwatch.StartNew();
            await Task.Run(() => pg.Stop(immediate: true));
            await Poll.UntilAsync(async () =>
            {
                await Task.Delay(100);
                readiness = await HubReadiness.GetAsync(hub);
                return readiness.Wal.StartsWith("backlog full", StringComparison.Ordinal);
            }, TimeSpan.FromSeconds(60), () => $"the backlog never filled: {readiness}\n{Describe()}");
            output.WriteLine($"backlog full {down.Elapsed.TotalSeconds:0.0} s after PostgreSQL stopped: {readiness}");

            // Held: after a moment for what was appended before the bound, no more acks; unary calls refused.
            await Task.Delay(TimeSpan.FromSeconds(2));
            long streamAcksHeld = producer.AckedBatches;
            long unaryAcceptedHeld = unary.AcceptedEvents;
            long exhaustedHeld = unary.Exhausted;
            await Task.Delay(hold);
            var full = await HubReadiness.GetAsync(hub);
            output.WriteLine($"held {hold.TotalSeconds:0} s: stream writer waiting {producer.WriteInProgressFor.TotalSeconds:0.0} s; {Describe().Split('\n')[0]}; {full}");
            Assert.True(producer.AckedBatches == streamAcksHeld, $"the stream was still acknowledged with the backlog full ({streamAcksHeld} → {producer.AckedBatches})");
            Assert.True(unary.AcceptedEvents == unaryAcceptedHeld, $"unary calls were still accepted with the backlog full ({unaryAcceptedHeld} → {unary.AcceptedEvents})");
            Assert.True(unary.Exhausted > exhaustedHeld, $"no unary call was refused while the backlog was full: {unary}");
            Assert.Contains("backlog is full", unary.ExhaustedMessage, StringComparison.Ordinal);
            Assert.True(producer.WriteInProgressFor > hold / 2, $"the stream's writer was not held back by flow control ({producer.WriteInProgressFor.TotalSeconds:0.0} s): {Describe()}");
            Assert.Null(producer.Failure);
            Assert.Empty(unary.Other);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, full.Status);
            Assert.StartsWith("backlog full", full.Wal, StringComparison.Ordinal);
            Assert.StartsWith("postgres: unreachable", full.Store, StringComparison.Ordinal);

            // The store returns: the backlog drains, producers are taken again.
            var up = Stopwatch.StartNew();
            await Task.Run(pg.Start);
            await Poll.UntilAsync(async () =>
            {
                await Task.Delay(100);
                readiness = await HubReadiness.GetAsync(hub);
                return readiness.Ready && producer.AckedBatches > streamAcksHeld && unary.AcceptedEvents > unaryAcceptedHeld;
            }, TimeSpan.FromSeconds(60), () => $"producers were not taken again after PostgreSQL returned: {readiness}\n{Describe()}");
            output.WriteLine($"PostgreSQL back: hub ready and both producers acknowledged again after {up.Elapsed.TotalSeconds:0.0} s; {Describe().Split('\n')[0]}");
            await Task.Delay(2_000);
        }
        finally
        {
            await stopUnary.CancelAsync();
            await unaryTask.WaitAsync(StartTimeout);
        }

        await producer.StopAsync(TimeSpan.FromSeconds(60), async () => $"{await HubReadiness.DescribeAsync(hub)}\n{Describe()}");

        Assert.True(producer.Failure is null, $"the stream failed: {producer.Failure}\n{Describe()}");
        Assert.Empty(producer.Problems);
        Assert.True(unary.Other.IsEmpty, $"unary calls failed otherwise than RESOURCE_EXHAUSTED: {string.Join(" | ", unary.Other.Take(5))}");
        var acked = producer.AckedIds();
        Assert.Equal(producer.SentBatches * EventsPerBatch, acked.Count);
        acked.AddRange(unary.AcceptedIds);

        long rows = await PostgresStoreContents.WaitUntilDrainedAsync(hub, db, acked.Count, TimeSpan.FromSeconds(120), Describe);

        // Refused unary events are not among the expected ids: "complete" fails on any of them stored.
        var stored = await PostgresStoreContents.ReadAsync(db);
        PostgresStoreContents.AssertEachOnce(stored, acked, "after the full backlog, every acknowledged event", complete: true);
        Assert.Equal(acked.Count, rows);
        Assert.Equal(IdChecksum.Of(acked), await PostgresStoreContents.ChecksumAsync(db));
        var drained = await HubReadiness.GetAsync(hub);
        Assert.True(drained.Ready, $"/readyz after the drain: {drained}");
        output.WriteLine($"{acked.Count:N0} acked events stored once each ({unary.AcceptedEvents:N0} by unary calls; {unary.RefusedIds.Count:N0} refused events not stored); total {total.Elapsed.TotalSeconds:0.0} s");
    }

    private static string Tail(string text, int lines = 40)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    /// <summary>Unary IngestBatch calls of fresh events, backing off on RESOURCE_EXHAUSTED; records what was accepted and refused.</summary>
    private sealed class UnaryPusher
    {
        private readonly ConcurrentQueue<Guid> _accepted = new();
        private long _exhausted;

        public ConcurrentQueue<Guid> RefusedIds { get; } = new();

        public ConcurrentQueue<string> Other { get; } = new();

        public string ExhaustedMessage { get; private set; } = "";

        public long AcceptedEvents => _accepted.Count;

        public IEnumerable<Guid> AcceptedIds => _accepted;

        public long Exhausted => Interlocked.Read(ref _exhausted);

        public async Task RunAsync(GrpcChannel channel, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var ids = Enumerable.Range(0, EventsPerBatch).Select(_ => Guid.NewGuid()).ToArray();
                var batch = new Contracts.V1.EventBatch();
                batch.Events.AddRange(ids.Select((id, i) => TestBatches.Telemetry(id.ToString(), i)));
                try
                {
                    // Not cancelled by the stop: a call whose outcome is unknown would make the expected set uncertain.
                    var ack = await channel.UnaryAsync(TestBatches.IngestBatch, batch, new CallOptions { Timeout = TimeSpan.FromSeconds(30) });
                    if (ack.Accepted != EventsPerBatch || ack.Rejected != 0)
                    {
                        Other.Enqueue($"ack: accepted {ack.Accepted}, rejected {ack.Rejected}, duplicates {ack.Duplicates} of {EventsPerBatch}");
                    }

                    foreach (var id in ids)
                    {
                        _accepted.Enqueue(id);
                    }

                    await Task.Delay(20, CancellationToken.None);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                {
                    Interlocked.Increment(ref _exhausted);
                    ExhaustedMessage = e.Status.Detail;
                    foreach (var id in ids)
                    {
                        RefusedIds.Enqueue(id);
                    }

                    await Task.Delay(100, CancellationToken.None);
                }
                catch (Exception e)
                {
                    Other.Enqueue($"{e.GetType().Name}: {e.Message}");
                    await Task.Delay(100, CancellationToken.None);
                }
            }
        }

        public override string ToString() => $"unary: {AcceptedEvents:N0} events accepted, {Exhausted:N0} calls RESOURCE_EXHAUSTED, {Other.Count} other failures";
    }
}
