using System.Diagnostics;
using AnalyticsHub.Client;
using AnalyticsHub.Contracts.V1;
using Google.Protobuf;
using Xunit.Abstractions;

namespace AnalyticsHub.Server.Tests.Ingestion;

/// <summary>
/// An acknowledged event survives <c>kill -9</c>, and a producer that retries what was not
/// acknowledged stores every event exactly once: the hub as a process, killed and restarted on
/// the same data directory and ports, with the WAL read back (as the hub decodes it) in between.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task StreamEvents_SigkillAtRandomMoments_AckedEventsSurviveAndRetriesStoreEachEventOnce()
    {
        const int Kills = 5;
        int seed = Environment.TickCount;
        output.WriteLine($"random seed {seed}");
        var random = new Random(seed);
        var total = Stopwatch.StartNew();

        await using var hub = HubProcess.Start();
        await hub.WaitUntilListeningAsync(StartTimeout);
        var producer = new RetryingProducer("crash-test-producer", eventsPerBatch: 200, maxInFlight: 16);

        for (int kill = 1; kill <= Kills; kill++)
        {
            using (var channel = TestBatches.Channel(hub))
            {
                var session = producer.RunSessionAsync(channel, newBatches: 5_000, CallTimeout);

                // Kill once this incarnation acknowledged a random number of batches, a random moment later.
                int acks = random.Next(3, 40);
                await Poll.UntilAsync(() => producer.SessionAcks >= acks || session.IsCompleted, CallTimeout,
                    () => $"{acks} acks before kill {kill} (got {producer.SessionAcks}):\n{hub.Output}");
                if (session.IsCompleted)
                {
                    Assert.Fail($"the session ended before kill {kill}: {await session}\n{hub.Output}");
                }

                await Task.Delay(random.Next(0, 200));
                await hub.KillAsync();

                var result = await session.WaitAsync(CallTimeout);
                Assert.False(result.Completed, "the call survived the hub's death");
                output.WriteLine($"kill {kill}: {producer.AckedBatches} batches acked, {producer.UnackedBatches} unacked; the call {result}");
            }

            var wal = await WalContents.ReadAsync(hub.DataDir);
            wal.AssertEachOnce(producer.AckedEventIds(), $"after SIGKILL {kill}, the acknowledged events");
            output.WriteLine($"  WAL: {wal.Records} records, {wal.EventIds.Count:N0} events");

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
        Assert.True(producer.RetriedBatches > 0, "no batch was in flight at any kill: the retries were never exercised");

        hub.Terminate();
        Assert.True(await hub.WaitForExitAsync(StartTimeout), "the hub did not exit after SIGTERM:\n" + hub.Output);
        var final = await WalContents.ReadAsync(hub.DataDir);
        var sent = producer.SentEventIds();
        final.AssertEachOnce(sent, "at the end, every event sent");
        Assert.True(final.EventIds.Count == sent.Count, $"the WAL holds {final.EventIds.Count:N0} distinct events; {sent.Count:N0} were sent");
        output.WriteLine($"{producer.AckedBatches} batches ({sent.Count:N0} events), {producer.RetriedBatches} re-sent, in {total.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task IngestBatch_RetriedAfterSigkillAndRestart_GetsTheSameAckBytesAndIsStoredOnce()
    {
        await using var hub = HubProcess.Start();
        await hub.WaitUntilListeningAsync(StartTimeout);
        var batch = TestBatches.Batch("idempotent-producer", 7, 5);
        var valid = batch.Events.Select(e => e.EventId).ToList();
        batch.Events.Add(TestBatches.Telemetry("not-a-uuid"));   // a rejection: its reason must come back too
        batch.Events.Add(batch.Events[0].Clone());               // a duplicate inside the batch

        BatchAck first;
        using (var channel = TestBatches.Channel(hub))
        {
            first = await channel.UnaryAsync(TestBatches.IngestBatch, batch, new CallOptions { Timeout = CallTimeout });
        }

        Assert.Equal((7UL, 5U, 1U, 1U), (first.Sequence, first.Accepted, first.Rejected, first.Duplicates));
        Assert.Equal("not-a-uuid", Assert.Single(first.Rejections).EventId);

        await hub.KillAsync();
        hub.Restart();
        await hub.WaitUntilListeningAsync(StartTimeout);

        using (var channel = TestBatches.Channel(hub))
        {
            var unary = await channel.UnaryAsync(TestBatches.IngestBatch, batch, new CallOptions { Timeout = CallTimeout });
            Assert.True(first.ToByteArray().AsSpan().SequenceEqual(unary.ToByteArray()),
                $"the retry over IngestBatch after a restart was answered with a different ack:\nfirst: {first}\nretry: {unary}");

            using var call = channel.StartDuplexStreamingCall(TestBatches.StreamEvents, new CallOptions { Timeout = CallTimeout });
            await call.RequestStream.WriteAsync(batch);
            await call.RequestStream.CompleteAsync();
            Assert.True(await call.ResponseStream.MoveNext());
            Assert.True(first.ToByteArray().AsSpan().SequenceEqual(call.ResponseStream.Current.ToByteArray()),
                $"the retry over StreamEvents after a restart was answered with a different ack:\nfirst: {first}\nretry: {call.ResponseStream.Current}");
            Assert.False(await call.ResponseStream.MoveNext());
        }

        hub.Terminate();
        Assert.True(await hub.WaitForExitAsync(StartTimeout), hub.Output);
        var wal = await WalContents.ReadAsync(hub.DataDir);
        wal.AssertEachOnce(valid, "the batch's accepted events");
        Assert.Equal(1, wal.Records);
        Assert.Equal(valid.Count, wal.EventIds.Count);
    }

    [Fact]
    public async Task StreamEvents_EventIdRepeatedInLaterBatches_CountedAsDuplicateAndStoredOnce_AlsoAcrossRestart()
    {
        await using var hub = HubProcess.Start();
        await hub.WaitUntilListeningAsync(StartTimeout);
        string a = Guid.NewGuid().ToString(), b = Guid.NewGuid().ToString(), c = Guid.NewGuid().ToString(), d = Guid.NewGuid().ToString();

        using (var channel = TestBatches.Channel(hub))
        {
            var acks = await StreamAsync(channel,
                BatchOf("dup-producer", 1, a, b),
                BatchOf("dup-producer", 2, b, c),
                BatchOf("", 0, a));                         // not idempotent, but event ids still are
            Assert.Equal((1UL, 2U, 0U), (acks[0].Sequence, acks[0].Accepted, acks[0].Duplicates));
            Assert.Equal((2UL, 1U, 1U), (acks[1].Sequence, acks[1].Accepted, acks[1].Duplicates));
            Assert.Equal((0UL, 0U, 1U), (acks[2].Sequence, acks[2].Accepted, acks[2].Duplicates));
        }

        // The duplicate window is rebuilt from the WAL at startup.
        await hub.KillAsync();
        hub.Restart();
        await hub.WaitUntilListeningAsync(StartTimeout);
        using (var channel = TestBatches.Channel(hub))
        {
            var acks = await StreamAsync(channel, BatchOf("dup-producer", 3, b, d));
            Assert.Equal((3UL, 1U, 1U, 0U), (acks[0].Sequence, acks[0].Accepted, acks[0].Duplicates, acks[0].Rejected));
        }

        hub.Terminate();
        Assert.True(await hub.WaitForExitAsync(StartTimeout), hub.Output);
        var wal = await WalContents.ReadAsync(hub.DataDir);
        wal.AssertEachOnce([a, b, c, d], "the distinct events");
        Assert.Equal(4, wal.EventIds.Count);
    }

    private static EventBatch BatchOf(string producerId, ulong sequence, params string[] eventIds)
    {
        var batch = new EventBatch { ProducerId = producerId, Sequence = sequence };
        batch.Events.AddRange(eventIds.Select((id, i) => TestBatches.Telemetry(id, i)));
        return batch;
    }

    private static async Task<List<BatchAck>> StreamAsync(GrpcChannel channel, params EventBatch[] batches)
    {
        using var call = channel.StartDuplexStreamingCall(TestBatches.StreamEvents, new CallOptions { Timeout = CallTimeout });
        foreach (var batch in batches)
        {
            await call.RequestStream.WriteAsync(batch);
        }

        await call.RequestStream.CompleteAsync();
        var acks = new List<BatchAck>();
        while (await call.ResponseStream.MoveNext())
        {
            acks.Add(call.ResponseStream.Current);
        }

        Assert.Equal(batches.Length, acks.Count);
        return acks;
    }
}
