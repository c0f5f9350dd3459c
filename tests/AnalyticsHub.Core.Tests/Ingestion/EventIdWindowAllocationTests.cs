using AnalyticsHub.Core.Ingestion;

namespace AnalyticsHub.Core.Tests.Ingestion;

/// <summary>TryAdd runs once per event, a million times a second: in steady state it must not allocate.</summary>
public sealed class EventIdWindowAllocationTests
{
    private const int Calls = 100_000;
    private const long Millisecond = 1_000_000;

    [Fact]
    public void PrefetchTryAddAndRemove_InSteadyState_DoNotAllocate()
    {
        // A bound small enough that warm-up grows every table to full size and rotates (both
        // early and on time), so the measured calls run every path with arrays being reused.
        var window = new EventIdWindow(new EventIdWindowOptions { Window = TimeSpan.FromSeconds(1), MaxEntries = 65_536 });
        long sink = Run(window, first: 0, count: 3 * Calls);
        Assert.True(window.EarlyRotations > 0);

        long before = GC.GetAllocatedBytesForCurrentThread();
        sink += Run(window, first: 3 * Calls, count: Calls);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, sink);
    }

    private static long Run(EventIdWindow window, ulong first, ulong count)
    {
        Span<byte> id = stackalloc byte[UuidText.Length];
        long sink = 0;
        for (ulong i = first; i < first + count; i++)
        {
            long now = (long)i * Millisecond / 100; // 100 ids per ms: more than the bound holds for a window
            UuidText.Write(id, 0x1234, i);
            window.Prefetch(id, "tenant-a"u8);
            sink += window.TryAdd(id, "tenant-a"u8, now) ? 1 : 0;
            sink += window.TryAdd(id, "tenant-a"u8, now) ? 1 : 0; // duplicate
            if (i % 16 == 0)
            {
                window.Remove(id, "tenant-a"u8);
            }
        }

        return sink + window.Count;
    }
}
