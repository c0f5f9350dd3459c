using AnalyticsHub.Core.Ingestion;

namespace AnalyticsHub.Core.Tests.Ingestion;

public sealed class EventIdWindowConcurrencyTests
{
    private const int Threads = 4;
    private const int IdsPerThread = 250_000;
    private const long Now = 1_000_000_000_000;

    [Fact]
    public void ManyThreads_DistinctIds_AllNew_ThenAllDuplicates()
    {
        var window = new EventIdWindow(new EventIdWindowOptions());
        Assert.Equal(Threads * IdsPerThread, RunAll(window, expectNew: true));
        Assert.Equal(Threads * IdsPerThread, window.Count);
        Assert.Equal(Threads * IdsPerThread, RunAll(window, expectNew: false));
        Assert.Equal(Threads * IdsPerThread, window.Count);
        Assert.Equal(0, window.EarlyRotations);
    }

    // Every thread adds its own range of ids; returns how many calls answered as expected.
    private static int RunAll(EventIdWindow window, bool expectNew)
    {
        int matched = 0;
        using var start = new Barrier(Threads);
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            ulong thread = (ulong)t;
            threads[t] = new Thread(() =>
            {
                Span<byte> id = stackalloc byte[UuidText.Length];
                int local = 0;
                start.SignalAndWait();
                for (ulong i = 0; i < IdsPerThread; i++)
                {
                    UuidText.Write(id, thread, i);
                    if (window.TryAdd(id, "default"u8, Now) == expectNew)
                    {
                        local++;
                    }
                }

                Interlocked.Add(ref matched, local);
            });
            threads[t].Start();
        }

        foreach (var thread in threads)
        {
            Assert.True(thread.Join(TimeSpan.FromMinutes(2)));
        }

        return matched;
    }
}
