using AnalyticsHub.Core.Ingestion;

namespace AnalyticsHub.Core.Tests.Ingestion;

public sealed class ProducerSequencesConcurrencyTests
{
    private const int Contenders = 64;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ManyRetriesOfOneBatch_ExactlyOneIsNew_AllGetItsAck()
    {
        var sequences = new ProducerSequences(new ProducerSequenceOptions { MaxProducers = 8 });
        for (ulong sequence = 1; sequence <= 200; sequence++)
        {
            byte[] ack = [(byte)sequence, 0xA5];
            int newClaims = 0;
            // An async gate, not a Barrier: 64 blocked pool threads would starve a 2-core pool.
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var attempts = Enumerable.Range(0, Contenders).Select(_ => Task.Run(async () =>
            {
                await start.Task;
                var claim = sequences.Claim("producer"u8, sequence);
                switch (claim.Kind)
                {
                    case SequenceClaimKind.New:
                        Interlocked.Increment(ref newClaims);
                        await Task.Yield(); // let the others pile up as in-flight retries
                        sequences.Complete("producer"u8, sequence, ack);
                        return ack;
                    case SequenceClaimKind.InFlight:
                        return (await claim.InFlight!.WaitAsync(Timeout)).ToArray();
                    case SequenceClaimKind.Completed:
                        return claim.Ack.ToArray();
                    default:
                        throw new InvalidOperationException($"unexpected {claim.Kind}");
                }
            })).ToArray();

            start.SetResult();
            var acks = await Task.WhenAll(attempts).WaitAsync(Timeout);
            Assert.Equal(1, newClaims);
            Assert.All(acks, a => Assert.Equal(ack, a));
        }
    }

    [Fact]
    public async Task ManyProducersAtOnce_UnderEviction_StayConsistent()
    {
        // 16 tasks × 2,000 producers each through a table of 1,000: constant eviction while claiming.
        var sequences = new ProducerSequences(new ProducerSequenceOptions { MaxProducers = 1_000, AcksPerProducer = 4 });
        long retries = 0, evictedBeforeRetry = 0;
        var workers = Enumerable.Range(0, 16).Select(w => Task.Run(() =>
        {
            for (int p = 0; p < 2_000; p++)
            {
                byte[] producer = BitConverter.GetBytes((w * 1_000_000) + p);
                for (ulong s = 1; s <= 3; s++)
                {
                    Assert.Equal(SequenceClaimKind.New, sequences.Claim(producer, s).Kind);
                    sequences.Complete(producer, s, new byte[] { (byte)s });
                    var retry = sequences.Claim(producer, s);
                    Interlocked.Increment(ref retries);
                    if (retry.Kind == SequenceClaimKind.New)
                    {
                        // A thread preempted between its two calls while the others inserted 1,000 producers:
                        // the entry was the LRU and went, which is the design. Its ack is never wrong.
                        Interlocked.Increment(ref evictedBeforeRetry);
                        sequences.Complete(producer, s, new byte[] { (byte)s });
                        continue;
                    }

                    Assert.Equal(SequenceClaimKind.Completed, retry.Kind);
                    Assert.Equal((byte)s, retry.Ack.Span[0]);
                }
            }
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(Timeout);
        Assert.Equal(1_000, sequences.ProducerCount);
        Assert.True(evictedBeforeRetry * 20 < retries, $"{evictedBeforeRetry} of {retries} retries found their producer evicted");
    }
}
