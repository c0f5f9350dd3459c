using System.Diagnostics;
using AnalyticsHub.Storage.DeadLetters;
using AnalyticsHub.Storage.Tests.Wal;
using Xunit.Abstractions;
using static AnalyticsHub.Storage.Tests.DeadLetters.DeadLetterTestKit;

namespace AnalyticsHub.Storage.Tests.DeadLetters;

public sealed class DeadLetterConcurrencyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task List_WhileAddRuns_SeesWholeBatchesInOrderAndNeverFails()
    {
        using var dir = new TempDirectory();
        using DeadLetterStore store = DeadLetterStore.Open(Options(dir.Path));
        const int Batches = 20, PerBatch = 500;
        using var readerRan = new ManualResetEventSlim();
        int readsDuringWrites = 0;
        long rowsRead = 0;
        var writing = new CancellationTokenSource();

        Task writer = Task.Run(() =>
        {
            try
            {
                for (int b = 0; b < Batches; b++)
                {
                    // Batch b is the only one from producer-b (overriding the kit's cycle).
                    store.Add(Letters((long)b * PerBatch, PerBatch).Select(l => l with { ProducerId = $"batch-{b}" }).ToArray());
                    if (b == 0)
                    {
                        // Wait until a reader has read rows, so reading overlaps the remaining batches.
                        Assert.True(readerRan.Wait(TimeSpan.FromSeconds(30)), "no reader ran");
                    }
                }
            }
            finally
            {
                writing.Cancel();
            }
        });

        Task[] readers = [.. Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var random = new Random(r);
            while (!writing.IsCancellationRequested)
            {
                // One page is one snapshot: a batch is either wholly visible or not at all.
                int b = random.Next(Batches);
                int seen = store.List(new DeadLetterQuery { ProducerId = $"batch-{b}", Limit = 1000 }).Items.Count;
                Assert.True(seen is 0 or PerBatch, $"saw {seen} letters of batch {b}");

                // A full pass across pages: ascending ids, every row readable and intact.
                List<DeadLetterView> all = ListAll(store, new DeadLetterQuery { Limit = 1000 });
                for (int i = 0; i < all.Count; i++)
                {
                    Assert.True(i == 0 || all[i].Letter.Id > all[i - 1].Letter.Id);
                    long n = Number(all[i].Letter);
                    Assert.Equal(EventBytes(n, 64), all[i].Letter.Event);
                }
                Interlocked.Add(ref rowsRead, all.Count);
                if (all.Count > 0 && !writing.IsCancellationRequested)
                {
                    Interlocked.Increment(ref readsDuringWrites);
                    readerRan.Set();
                }
            }
        }))];

        await writer.WaitAsync(TimeSpan.FromSeconds(120));
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.True(readsDuringWrites > 0);
        Assert.Equal(Batches * PerBatch, store.Count);
        Assert.Equal(Batches * PerBatch, ListAll(store, new DeadLetterQuery { Limit = 1000 }).Count);
        output.WriteLine($"{readsDuringWrites} reader passes overlapped the writes, {rowsRead} rows read");
    }

    [Fact]
    public void Add_10000Letters_IsOneFastTransaction()
    {
        using var dir = new TempDirectory();
        using DeadLetterStore store = DeadLetterStore.Open(Options(dir.Path));
        store.Add(Letters(1_000_000, 100, eventBytes: 200)); // warm-up: JIT, statement preparation
        DeadLetter[] letters = Letters(0, 10_000, eventBytes: 200);

        var clock = Stopwatch.StartNew();
        int added = store.Add(letters);
        clock.Stop();

        Assert.Equal(10_000, added);
        output.WriteLine($"Add of 10,000 x 200-byte letters: {clock.Elapsed.TotalMilliseconds:F0} ms = {10_000 / clock.Elapsed.TotalSeconds:N0} letters/s");
        // Generous for a shared 2-core machine; measured well under a second when idle.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }
}
