using AnalyticsHub.Core.Ingestion;

namespace AnalyticsHub.Core.Tests.Ingestion;

public sealed class ProducerSequencesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static ProducerSequences Sequences(int maxProducers = 100_000, int acksPerProducer = 256) =>
        new(new ProducerSequenceOptions { MaxProducers = maxProducers, AcksPerProducer = acksPerProducer });

    private static byte[] Ack(ulong sequence) => [0x08, (byte)sequence, 0x10, 0x2A];

    private static void Settle(ProducerSequences sequences, ReadOnlySpan<byte> producer, ulong sequence)
    {
        Assert.Equal(SequenceClaimKind.New, sequences.Claim(producer, sequence).Kind);
        sequences.Complete(producer, sequence, Ack(sequence));
    }

    [Fact]
    public void Defaults_Are100kProducers_256Acks()
    {
        var options = new ProducerSequenceOptions();
        Assert.Equal(100_000, options.MaxProducers);
        Assert.Equal(256, options.AcksPerProducer);
    }

    [Fact]
    public void NewThenComplete_RetryGetsTheSameAckBytes()
    {
        var sequences = Sequences();
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1"u8, 1).Kind);
        sequences.Complete("p1"u8, 1, Ack(1));

        var retry = sequences.Claim("p1"u8, 1);
        Assert.Equal(SequenceClaimKind.Completed, retry.Kind);
        Assert.Equal(Ack(1), retry.Ack.ToArray());
        Assert.Null(retry.InFlight);
        Assert.Equal(1, sequences.ProducerCount);
    }

    [Fact]
    public void ProducersAreComparedByBytes()
    {
        var sequences = Sequences();
        Settle(sequences, "p1"u8, 1);
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("p2"u8, 1).Kind);
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("P1"u8, 1).Kind);
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1 "u8, 1).Kind);
        Assert.Equal(SequenceClaimKind.Completed, sequences.Claim("p1"u8.ToArray(), 1).Kind);
    }

    [Fact]
    public async Task RetryWhileInFlight_WaitsAndGetsTheFirstAttemptsAck()
    {
        var sequences = Sequences();
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1"u8, 7).Kind);

        var first = sequences.Claim("p1"u8, 7);
        var second = sequences.Claim("p1"u8, 7);
        Assert.Equal(SequenceClaimKind.InFlight, first.Kind);
        Assert.NotNull(first.InFlight);
        Assert.False(first.InFlight.IsCompleted);

        sequences.Complete("p1"u8, 7, Ack(7));
        Assert.Equal(Ack(7), (await first.InFlight.WaitAsync(Timeout)).ToArray());
        Assert.Equal(Ack(7), (await second.InFlight!.WaitAsync(Timeout)).ToArray());
        Assert.Equal(SequenceClaimKind.Completed, sequences.Claim("p1"u8, 7).Kind);
    }

    [Fact]
    public async Task Abandon_FaultsWaitersWithTheError_AndTheNextClaimIsNew()
    {
        var sequences = Sequences();
        sequences.Claim("p1"u8, 3);
        var waiting = sequences.Claim("p1"u8, 3);

        var error = new IOException("fsync failed");
        sequences.Abandon("p1"u8, 3, error);

        var thrown = await Assert.ThrowsAsync<IOException>(() => waiting.InFlight!.WaitAsync(Timeout));
        Assert.Same(error, thrown);
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1"u8, 3).Kind);
    }

    [Fact]
    public async Task AbandonWithoutError_TellsWaitersToRetry()
    {
        var sequences = Sequences();
        sequences.Claim("p1"u8, 3);
        var waiting = sequences.Claim("p1"u8, 3);
        sequences.Abandon("p1"u8, 3);

        var thrown = await Assert.ThrowsAsync<SequenceAbandonedException>(() => waiting.InFlight!.WaitAsync(Timeout));
        Assert.Equal(3ul, thrown.Sequence);
    }

    [Fact]
    public void Abandon_WithoutWaiters_OnlyForgetsTheAttempt()
    {
        var sequences = Sequences();
        sequences.Claim("p1"u8, 3);
        sequences.Abandon("p1"u8, 3);
        sequences.Abandon("p1"u8, 3); // twice, or for an unknown producer: no effect
        sequences.Abandon("nobody"u8, 3);
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1"u8, 3).Kind);
    }

    [Fact]
    public void BelowEveryRememberedAck_AndNotAboveTheHighest_IsStale()
    {
        var sequences = Sequences(acksPerProducer: 4);
        for (ulong s = 1; s <= 10; s++)
        {
            Settle(sequences, "p1"u8, s);
        }

        // Remembered: 7..10.
        Assert.Equal(SequenceClaimKind.Stale, sequences.Claim("p1"u8, 1).Kind);
        Assert.Equal(SequenceClaimKind.Stale, sequences.Claim("p1"u8, 6).Kind);
        Assert.Equal(SequenceClaimKind.Completed, sequences.Claim("p1"u8, 7).Kind);
        Assert.Equal(SequenceClaimKind.Completed, sequences.Claim("p1"u8, 10).Kind);
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1"u8, 11).Kind);
    }

    [Fact]
    public void NonContiguousSequences_FromPipelinedStreams()
    {
        var sequences = Sequences();
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1"u8, 10).Kind);
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1"u8, 20).Kind);
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1"u8, 30).Kind);

        // Completed out of order; 20 still in flight.
        sequences.Complete("p1"u8, 30, Ack(30));
        sequences.Complete("p1"u8, 10, Ack(10));

        Assert.Equal(SequenceClaimKind.InFlight, sequences.Claim("p1"u8, 20).Kind);
        Assert.Equal(Ack(10), sequences.Claim("p1"u8, 10).Ack.ToArray());
        Assert.Equal(Ack(30), sequences.Claim("p1"u8, 30).Ack.ToArray());
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1"u8, 15).Kind); // a gap, never completed
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1"u8, 25).Kind);

        // Below every remembered ack, but nothing was ever dropped: 5 was never completed (a
        // batch pipelined behind higher ones), so it is new — answering it as stale would lose it.
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1"u8, 5).Kind);
    }

    [Fact]
    public void AcksPerProducer_KeepsTheHighestSequences()
    {
        var sequences = Sequences(acksPerProducer: 3);
        ulong[] pipelined = [10, 20, 25, 30, 40, 50];
        foreach (ulong s in pipelined)
        {
            Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1"u8, s).Kind);
        }

        foreach (ulong s in new ulong[] { 50, 10, 40, 20, 30 }) // durable out of order
        {
            sequences.Complete("p1"u8, s, Ack(s));
        }

        // Kept: 30, 40, 50; 10 and 20 were dropped and are now below all kept.
        Assert.Equal(SequenceClaimKind.Stale, sequences.Claim("p1"u8, 10).Kind);
        Assert.Equal(SequenceClaimKind.Stale, sequences.Claim("p1"u8, 20).Kind);
        foreach (ulong s in new ulong[] { 30, 40, 50 })
        {
            var claim = sequences.Claim("p1"u8, s);
            Assert.Equal(SequenceClaimKind.Completed, claim.Kind);
            Assert.Equal(Ack(s), claim.Ack.ToArray());
        }

        // Still in flight, so a retry waits even though it is below all kept…
        Assert.Equal(SequenceClaimKind.InFlight, sequences.Claim("p1"u8, 25).Kind);

        // …and once durable it is too old to keep: its retry is answered as stale.
        sequences.Complete("p1"u8, 25, Ack(25));
        Assert.Equal(SequenceClaimKind.Stale, sequences.Claim("p1"u8, 25).Kind);
        Assert.Equal(SequenceClaimKind.Completed, sequences.Claim("p1"u8, 30).Kind);
    }

    [Fact]
    public void FirstAckOfASequence_Wins()
    {
        var sequences = Sequences();
        Settle(sequences, "p1"u8, 1);
        sequences.Restore("p1"u8, 1, new byte[] { 0xFF });
        Assert.Equal(Ack(1), sequences.Claim("p1"u8, 1).Ack.ToArray());
    }

    [Fact]
    public void MaxProducers_EvictsTheLeastRecentlyUsed()
    {
        var sequences = Sequences(maxProducers: 3);
        Settle(sequences, "a"u8, 1);
        Settle(sequences, "b"u8, 1);
        Settle(sequences, "c"u8, 1);
        Assert.Equal(SequenceClaimKind.Completed, sequences.Claim("a"u8, 1).Kind); // a is now the most recent

        Settle(sequences, "d"u8, 1); // evicts b
        Assert.Equal(3, sequences.ProducerCount);
        Assert.Equal(SequenceClaimKind.Completed, sequences.Claim("a"u8, 1).Kind);
        Assert.Equal(SequenceClaimKind.Completed, sequences.Claim("c"u8, 1).Kind);
        Assert.Equal(SequenceClaimKind.Completed, sequences.Claim("d"u8, 1).Kind);
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("b"u8, 1).Kind); // forgotten (and evicts a)
    }

    [Fact]
    public async Task MaxProducers_NeverEvictsOneWithABatchInFlight()
    {
        var sequences = Sequences(maxProducers: 2);
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("busy"u8, 1).Kind); // oldest, in flight
        Settle(sequences, "idle"u8, 1);
        var waiting = sequences.Claim("busy"u8, 1); // touches busy: idle becomes the oldest…
        Settle(sequences, "idle"u8, 2); // …then idle is touched again, busy is the oldest once more

        Settle(sequences, "new"u8, 1); // must evict idle, not busy
        Assert.Equal(2, sequences.ProducerCount);
        Assert.Equal(SequenceClaimKind.InFlight, sequences.Claim("busy"u8, 1).Kind);
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("idle"u8, 2).Kind);

        sequences.Complete("busy"u8, 1, Ack(1));
        Assert.Equal(Ack(1), (await waiting.InFlight!.WaitAsync(Timeout)).ToArray());
    }

    [Fact]
    public void MaxProducers_AllInFlight_TheBoundYieldsRatherThanLosingAnAttempt()
    {
        var sequences = Sequences(maxProducers: 2);
        sequences.Claim("a"u8, 1);
        sequences.Claim("b"u8, 1);
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("c"u8, 1).Kind);
        Assert.Equal(3, sequences.ProducerCount);

        sequences.Complete("a"u8, 1, Ack(1));
        Settle(sequences, "d"u8, 1); // a is idle now: evicted
        Assert.Equal(3, sequences.ProducerCount);
        Assert.Equal(SequenceClaimKind.InFlight, sequences.Claim("b"u8, 1).Kind);
        Assert.Equal(SequenceClaimKind.InFlight, sequences.Claim("c"u8, 1).Kind);
    }

    [Fact]
    public void Restore_RebuildsAcksFromTheLog()
    {
        var sequences = Sequences(acksPerProducer: 2);
        sequences.Restore("p1"u8, 5, Ack(5));
        sequences.Restore("p1"u8, 6, Ack(6));
        sequences.Restore("p1"u8, 7, Ack(7));
        sequences.Restore("p2"u8, 1, Ack(1));

        Assert.Equal(2, sequences.ProducerCount);
        Assert.Equal(SequenceClaimKind.Stale, sequences.Claim("p1"u8, 5).Kind);
        Assert.Equal(Ack(6), sequences.Claim("p1"u8, 6).Ack.ToArray());
        Assert.Equal(Ack(7), sequences.Claim("p1"u8, 7).Ack.ToArray());
        Assert.Equal(Ack(1), sequences.Claim("p2"u8, 1).Ack.ToArray());
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1"u8, 8).Kind);
    }

    [Fact]
    public void EmptyProducerOrSequenceZero_IsNeverTracked()
    {
        var sequences = Sequences();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(SequenceClaimKind.New, sequences.Claim(""u8, 1).Kind);
            Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1"u8, 0).Kind);
        }

        sequences.Complete(""u8, 1, Ack(1));
        sequences.Complete("p1"u8, 0, Ack(0));
        sequences.Restore("p1"u8, 0, Ack(0));
        sequences.Abandon(""u8, 1);
        Assert.Equal(SequenceClaimKind.New, sequences.Claim(""u8, 1).Kind);
        Assert.Equal(SequenceClaimKind.New, sequences.Claim("p1"u8, 0).Kind);
        Assert.Equal(0, sequences.ProducerCount);
        Assert.Equal(SequenceClaimKind.New, default(SequenceClaim).Kind);
    }

    [Theory]
    [InlineData(0, 256)]
    [InlineData(100, 0)]
    public void InvalidOptions_Throw(int maxProducers, int acks) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Sequences(maxProducers, acks));
}
