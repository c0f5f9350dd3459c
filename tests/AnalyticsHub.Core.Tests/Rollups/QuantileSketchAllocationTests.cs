using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Tests.Rollups;

/// <summary>A sketch is fed once per event value: once its arrays cover the data it must not allocate.</summary>
public sealed class QuantileSketchAllocationTests
{
    [Fact]
    public void Add_InsideTheCoveredRange_DoesNotAllocate()
    {
        var random = new Random(3);
        var values = new double[65_536];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = SketchData.LogNormal(random, 3, 1.5) * (i % 5 == 0 ? -1 : 1);
        }

        var sketch = new QuantileSketch();
        Feed(sketch, values, 1); // warm-up: grows the arrays, tiers up the JIT

        long before = GC.GetAllocatedBytesForCurrentThread();
        double sink = Feed(sketch, values, 16);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(17UL * (ulong)values.Length, sketch.Count);
        Assert.False(double.IsNaN(sink));
    }

    [Fact]
    public void PooledReuse_ClearMergeQuantileWriteAndRead_DoNotAllocate()
    {
        var first = SketchData.Generate("mixed-with-zeros", 10_000, seed: 1);
        var second = SketchData.Generate("mixed-with-zeros", 10_000, seed: 2);
        var a = new QuantileSketch();
        var b = new QuantileSketch();
        var read = new QuantileSketch();
        var buffer = new byte[64 * 1024];
        double sink = Cycle(a, b, read, first, second, buffer); // warm-up

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            sink += Cycle(a, b, read, first, second, buffer);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.False(double.IsNaN(sink));
    }

    private static double Feed(QuantileSketch sketch, double[] values, int rounds)
    {
        for (int round = 0; round < rounds; round++)
        {
            foreach (double value in values)
            {
                sketch.Add(value);
            }
        }

        return sketch.Quantile(0.99);
    }

    private static double Cycle(QuantileSketch a, QuantileSketch b, QuantileSketch read, double[] first, double[] second, byte[] buffer)
    {
        a.Clear();
        b.Clear();
        foreach (double value in first)
        {
            a.Add(value);
        }

        foreach (double value in second)
        {
            b.Add(value, 2);
        }

        a.MergeFrom(b);
        int written = a.WriteTo(buffer);
        Assert.True(QuantileSketch.TryReadFrom(buffer.AsSpan(0, written), read));
        b.CopyFrom(read);
        return read.Quantile(0.5) + b.Quantile(0.9) + a.Quantile(0.99);
    }
}
