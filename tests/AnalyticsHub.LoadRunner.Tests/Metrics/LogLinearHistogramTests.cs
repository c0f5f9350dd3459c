using AnalyticsHub.LoadRunner.Metrics;

namespace AnalyticsHub.LoadRunner.Tests.Metrics;

public class LogLinearHistogramTests
{
    private static readonly double[] Percentiles = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100];

    public static TheoryData<string, int> Distributions => new()
    {
        { "uniform-us", 1 },
        { "lognormal-ms", 2 },
        { "wide", 3 },
        { "small-integers", 4 },
    };

    [Theory]
    [MemberData(nameof(Distributions))]
    public void ValueAtPercentile_RandomData_WithinOnePercentOfExactSortedPercentile(string distribution, int seed)
    {
        var random = new Random(seed);
        var values = new long[200_000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = distribution switch
            {
                "uniform-us" => random.NextInt64(1_000, 1_000_000),
                "lognormal-ms" => (long)Math.Exp(14 + (1.5 * Normal(random))), // ~1 ms median, long tail
                "wide" => (long)Math.Pow(2, random.NextDouble() * 50),
                _ => random.Next(0, 300),
            };
        }

        var histogram = new LogLinearHistogram();
        foreach (var v in values)
        {
            histogram.Record(v);
        }

        Array.Sort(values);
        Assert.Equal(values.Length, histogram.Count);
        Assert.Equal(values[0], histogram.Min);
        Assert.Equal(values[^1], histogram.Max);
        foreach (var p in Percentiles)
        {
            var exact = values[LogLinearHistogram.RankOf(p, values.Length) - 1];
            var estimate = histogram.ValueAtPercentile(p);
            var error = exact == 0 ? estimate : Math.Abs(estimate - exact) / (double)exact;
            Assert.True(error <= 0.01, $"{distribution} p{p}: estimate {estimate}, exact {exact}, relative error {error:P3}");
        }
    }

    [Fact]
    public void Buckets_CoverEveryValueWithWidthAtMostOneBucketIn128()
    {
        var random = new Random(7);
        for (var i = 0; i < 1_000_000; i++)
        {
            var value = (ulong)random.NextInt64(0, long.MaxValue) >> random.Next(0, 63);
            var (low, width) = LogLinearHistogram.BucketOf(LogLinearHistogram.IndexOf(value));
            Assert.InRange(value, low, low + width - 1);
            Assert.True(width == 1 || (double)width / low <= 1.0 / 128, $"bucket [{low}, +{width}) too wide");
        }
    }

    [Fact]
    public void Record_ValuesBelow256_AreExact()
    {
        var histogram = new LogLinearHistogram();
        for (var v = 0; v < 256; v++)
        {
            histogram.Record(v);
        }

        for (var v = 0; v < 256; v++)
        {
            Assert.Equal(v, histogram.ValueAtPercentile((v + 1) / 256.0 * 100));
        }
    }

    [Fact]
    public void Add_MergesCountsMinMaxAndSum()
    {
        var a = new LogLinearHistogram();
        var b = new LogLinearHistogram();
        var all = new LogLinearHistogram();
        var random = new Random(3);
        for (var i = 0; i < 10_000; i++)
        {
            var v = random.NextInt64(10, 10_000_000);
            (i % 3 == 0 ? a : b).Record(v);
            all.Record(v);
        }

        a.Add(b);
        Assert.Equal(all.Count, a.Count);
        Assert.Equal(all.Min, a.Min);
        Assert.Equal(all.Max, a.Max);
        Assert.Equal(all.Sum, a.Sum, 1e-6);
        foreach (var p in Percentiles)
        {
            Assert.Equal(all.ValueAtPercentile(p), a.ValueAtPercentile(p));
        }
    }

    [Fact]
    public void Empty_ReportsZero_AndResetEmpties()
    {
        var histogram = new LogLinearHistogram();
        Assert.Equal(0, histogram.ValueAtPercentile(99));
        histogram.Record(12345);
        histogram.Reset();
        Assert.Equal(0, histogram.Count);
        Assert.Equal(0, histogram.ValueAtPercentile(50));
        Assert.Equal(0, histogram.Max);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
