using System.Diagnostics;
using System.Globalization;
using AnalyticsHub.Server.Tests.Ingestion;
using Xunit.Abstractions;

namespace AnalyticsHub.Server.Tests.Storage;

/// <summary>
/// SIGKILL mid-drain, five times, against any store: the hub (started with the given arguments: the
/// store and small drain batches, so nearly every moment is mid-drain), fed by a producer that
/// retries what was not acknowledged, is killed at a random moment once this incarnation's drainer
/// has written rows past what the store held at the previous kill (so every kill interrupts a
/// working drain), and restarted. After each kill no event may be stored twice; in the end every
/// batch is acknowledged and the store holds every sent event exactly once (ids, distinct count,
/// row count, and the store's checksum where it has one).
/// </summary>
internal static class DrainCrashScenario
{
    private const int Kills = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    public static async Task RunAsync<TId>(ITestOutputHelper output, string producerId, string[] hubArgs, Func<HubProcess, DrainCrashStore<TId>> storeOf)
        where TId : notnull
    {
        int seed = Environment.TickCount;
        output.WriteLine($"random seed {seed}");
        var random = new Random(seed);
        var total = Stopwatch.StartNew();

        await using var hub = HubProcess.Start(hubArgs);
        await hub.WaitUntilListeningAsync(StartTimeout);
        var store = storeOf(hub);
        var producer = new RetryingProducer(producerId, eventsPerBatch: 200, maxInFlight: 8);
        long storedAtLastKill = 0;
        long storedBeforeKills = 0;
        for (int kill = 1; kill <= Kills; kill++)
        {
            using (var channel = TestBatches.Channel(hub))
            {
                var session = producer.RunSessionAsync(channel, newBatches: 5_000, CallTimeout);
                int acks = random.Next(20, 80);
                long rowsBefore = storedAtLastKill;
                long rowsNow = 0;
                // Kill only once this incarnation's drainer is writing (the restarted store needs a moment to initialise).
                await Poll.UntilAsync(async () => session.IsCompleted || (producer.SessionAcks >= acks && (rowsNow = await store.CountRowsAsync()) > rowsBefore),
                    CallTimeout, () => $"{acks} acks and rows past {rowsBefore:N0} before kill {kill} (got {producer.SessionAcks} acks, {rowsNow:N0} rows):\n{hub.Output}");
                Assert.False(session.IsCompleted, $"the session ended before kill {kill}");
                await Task.Delay(random.Next(0, 150));
                await hub.KillAsync();
                await session.WaitAsync(CallTimeout);
            }

            if (store.SettleAfterKillAsync is { } settle)
            {
                await settle();
            }

            var stored = await store.ReadAsync();
            store.AssertEachOnce(stored, [], $"after SIGKILL {kill}, the store", false);
            storedAtLastKill = stored.Values.Sum();
            storedBeforeKills = Math.Max(storedBeforeKills, storedAtLastKill);
            output.WriteLine($"kill {kill}: {producer.AckedBatches} batches acked, {producer.UnackedBatches} unacked; {store.Name} {stored.Count:N0} events");

            hub.Restart();
            await hub.WaitUntilListeningAsync(StartTimeout);
        }

        using (var channel = TestBatches.Channel(hub))
        {
            var last = await producer.RunSessionAsync(channel, newBatches: 0, CallTimeout);
            Assert.True(last.Completed, $"the final retry session: {last}\n{hub.Output}");
        }

        Assert.Equal(0, producer.UnackedBatches);
        Assert.Empty(producer.Problems);
        Assert.True(storedBeforeKills > 0, "nothing reached the store before any kill: the drain was never interrupted");
        var sent = producer.SentEventIds().Select(store.ParseId).ToList();
        long rows = await store.WaitUntilDrainedAsync(sent.Count, DrainTimeout, () => hub.Output);

        var final = await store.ReadAsync();
        store.AssertEachOnce(final, sent, "at the end, every event sent", true);
        Assert.Equal(sent.Count, final.Count);
        Assert.Equal(sent.Count, rows);
        if (store.AssertChecksumAsync is { } assertChecksum)
        {
            await assertChecksum(sent);
        }

        string summary = store.SummaryAsync is { } summarize ? "; " + await summarize() : "";
        output.WriteLine($"{sent.Count:N0} events, {producer.RetriedBatches} batches re-sent, in {total.Elapsed.TotalSeconds:0.0} s{summary}");
    }
}

/// <summary>
/// What <see cref="DrainCrashScenario"/> needs to know of one store: its name (for the log), how a
/// sent id is keyed in it, its row count, its contents (id → rows holding it) and their each-once
/// assertion (<c>complete</c>: nothing but the expected ids may be stored), and how to wait until
/// the hub drained <c>expectedRows</c> (returns the row count). Optionally: what to wait for after a
/// kill before reading, a checksum to compare with the ids sent, and a line for the log at the end.
/// </summary>
internal sealed record DrainCrashStore<TId>(
    string Name,
    Func<string, TId> ParseId,
    Func<Task<long>> CountRowsAsync,
    Func<Task<Dictionary<TId, int>>> ReadAsync,
    Action<Dictionary<TId, int>, IReadOnlyCollection<TId>, string, bool> AssertEachOnce,
    Func<long, TimeSpan, Func<string>, Task<long>> WaitUntilDrainedAsync)
    where TId : notnull
{
    public Func<Task>? SettleAfterKillAsync { get; init; }

    public Func<IReadOnlyList<TId>, Task>? AssertChecksumAsync { get; init; }

    public Func<Task<string>>? SummaryAsync { get; init; }
}

/// <summary>The <see cref="DrainCrashStore{TId}"/> of each store kind, read independently of the store code.</summary>
internal static class DrainCrashStores
{
    public static DrainCrashStore<string> Embedded(HubProcess hub) => new(
        "store",
        id => id,
        () => Task.FromResult(EmbeddedStoreContents.CountRows(hub.DataDir)),
        () => Task.FromResult(EmbeddedStoreContents.Read(hub.DataDir)),
        EmbeddedStoreContents.AssertEachOnce,
        (expected, timeout, describe) => EmbeddedStoreContents.WaitUntilDrainedAsync(hub, expected, timeout, describe));

    public static DrainCrashStore<Guid> Postgres(HubProcess hub, string db) => new(
        "PostgreSQL",
        ParseGuid,
        () => PostgresStoreContents.CountAsync(db),
        () => PostgresStoreContents.ReadAsync(db),
        PostgresStoreContents.AssertEachOnce,
        (expected, timeout, describe) => PostgresStoreContents.WaitUntilDrainedAsync(hub, db, expected, timeout, describe))
    {
        AssertChecksumAsync = async sent => Assert.Equal(IdChecksum.Of(sent), await PostgresStoreContents.ChecksumAsync(db)),
    };

    public static DrainCrashStore<Guid> ClickHouse(HubProcess hub, string httpUrl, string db) => new(
        "ClickHouse",
        ParseGuid,
        () => ClickHouseStoreContents.CountAsync(httpUrl, db),
        () => ClickHouseStoreContents.ReadAsync(httpUrl, db),
        ClickHouseStoreContents.AssertEachOnce,
        (expected, timeout, describe) => ClickHouseStoreContents.WaitUntilDrainedAsync(hub, httpUrl, db, expected, timeout, describe))
    {
        // An insert whose body was sent before the kill still lands: the snapshot waits for it.
        SettleAfterKillAsync = () => ClickHouseStoreContents.WaitForInsertsToFinishAsync(httpUrl, db, TimeSpan.FromSeconds(10)),
        SummaryAsync = async () => "inserts (count, avg rows, max rows): " + (await ClickHouseStoreContents.QueryAsync(httpUrl,
            $"SELECT count(), round(avg(rows)), max(rows) FROM {db}.event_writes FORMAT TabSeparated")).Trim(),
    };

    private static Guid ParseGuid(string id) => Guid.Parse(id, CultureInfo.InvariantCulture);
}
