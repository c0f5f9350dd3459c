using System.Diagnostics;
using AnalyticsHub.Server.Tests.Ingestion;
using Xunit.Abstractions;

namespace AnalyticsHub.Server.Tests.Storage;

/// <summary>
/// The WAL → store drainer keeps exactly-once across <c>kill -9</c>: the hub, fed by a producer
/// that retries what was not acknowledged, is killed mid-drain (small drain batches make every
/// moment mid-drain) and restarted; in the end the embedded store holds every sent event once.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class DrainerCrashTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] SmallDrains = ["--Hub:Storage:BatchRows=700", "--Hub:Storage:BatchIntervalMs=20"];

    [Fact]
    public async Task SigkillMidDrain_FiveTimes_EmbeddedStoreHoldsEverySentEventExactlyOnce()
    {
        const int Kills = 5;
        int seed = Environment.TickCount;
        output.WriteLine($"random seed {seed}");
        var random = new Random(seed);
        var total = Stopwatch.StartNew();

        await using var hub = HubProcess.Start(SmallDrains);
        await hub.WaitUntilListeningAsync(StartTimeout);
        var producer = new RetryingProducer("drain-crash-producer", eventsPerBatch: 200, maxInFlight: 8);
        int storedBeforeKills = 0;
        for (int kill = 1; kill <= Kills; kill++)
        {
            using (var channel = TestBatches.Channel(hub))
            {
                var session = producer.RunSessionAsync(channel, newBatches: 5_000, CallTimeout);
                int acks = random.Next(20, 80);
                await Poll.UntilAsync(() => producer.SessionAcks >= acks || session.IsCompleted, CallTimeout,
                    () => $"{acks} acks before kill {kill} (got {producer.SessionAcks}):\n{hub.Output}");
                Assert.False(session.IsCompleted, $"the session ended before kill {kill}");
                await Task.Delay(random.Next(0, 150));
                await hub.KillAsync();
                await session.WaitAsync(CallTimeout);
            }

            var stored = EmbeddedStoreContents.Read(hub.DataDir);
            EmbeddedStoreContents.AssertEachOnce(stored, [], $"after SIGKILL {kill}, the store");
            storedBeforeKills = Math.Max(storedBeforeKills, stored.Count);
            output.WriteLine($"kill {kill}: {producer.AckedBatches} batches acked, {producer.UnackedBatches} unacked; store {stored.Count:N0} events");

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
        var sent = producer.SentEventIds();
        Dictionary<string, int> final = [];
        await Poll.UntilAsync(() => (final = EmbeddedStoreContents.Read(hub.DataDir)).Count >= sent.Count, TimeSpan.FromSeconds(60),
            () => $"the store reached {final.Count:N0} of {sent.Count:N0} events:\n{hub.Output}");
        EmbeddedStoreContents.AssertEachOnce(final, sent, "at the end, every event sent");
        Assert.Equal(sent.Count, final.Count);
        output.WriteLine($"{sent.Count:N0} events, {producer.RetriedBatches} batches re-sent, in {total.Elapsed.TotalSeconds:0.0} s");
    }
}
