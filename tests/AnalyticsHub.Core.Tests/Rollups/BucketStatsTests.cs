using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Tests.Rollups;

public sealed class BucketStatsTests
{
    [Fact]
    public void Empty_IsDefault_WithInfiniteMinMaxAndNaNMean()
    {
        var empty = BucketStats.Empty;
        Assert.Equal(default, empty);
        Assert.Equal(0UL, empty.Count);
        Assert.Equal(0, empty.Sum);
        Assert.Equal(0, empty.SumOfSquares);
        Assert.Equal(double.PositiveInfinity, empty.Min);
        Assert.Equal(double.NegativeInfinity, empty.Max);
        Assert.True(double.IsNaN(empty.Mean));
        Assert.True(double.IsNaN(empty.StandardDeviation));
    }

    [Fact]
    public void Add_KeepsExactCountSumMinMax()
    {
        var stats = BucketStats.Empty;
        foreach (double value in (double[])[2, 4, 4, 4, 5, 5, 7, 9])
        {
            stats.Add(value);
        }

        Assert.Equal(8UL, stats.Count);
        Assert.Equal(40, stats.Sum);
        Assert.Equal(232, stats.SumOfSquares);
        Assert.Equal(2, stats.Min);
        Assert.Equal(9, stats.Max);
        Assert.Equal(5, stats.Mean);
        Assert.Equal(2, stats.StandardDeviation); // population: √(232/8 − 25) = 2 (the sample one is 2.138)
    }

    [Fact]
    public void NegativeValues_SetMinAndMax()
    {
        var stats = BucketStats.Empty;
        stats.Add(-3);
        Assert.Equal(-3, stats.Min);
        Assert.Equal(-3, stats.Max);
        stats.Add(-7);
        Assert.Equal(-7, stats.Min);
        Assert.Equal(-3, stats.Max);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MergeOfParts_EqualsAddingEverything_ExactlyForIntegers(int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, 5000).Select(_ => (double)random.Next(-1_000_000, 1_000_000)).ToArray();

        var all = BucketStats.Empty;
        foreach (double value in values)
        {
            all.Add(value);
        }

        var merged = BucketStats.Empty;
        int start = 0;
        while (start < values.Length)
        {
            int length = Math.Min(random.Next(0, 700), values.Length - start);
            var part = BucketStats.Empty;
            foreach (double value in values.AsSpan(start, length))
            {
                part.Add(value);
            }

            merged.Merge(part);
            start += length;
        }

        Assert.Equal(all, merged); // integer sums below 2^53 are exact in any order
    }

    [Fact]
    public void MergeOfParts_EqualsAddingEverything_ToRoundingForReals()
    {
        var values = SketchData.Generate("lognormal", 10_000);
        var all = BucketStats.Empty;
        var left = BucketStats.Empty;
        var right = BucketStats.Empty;
        for (int i = 0; i < values.Length; i++)
        {
            all.Add(values[i]);
            if (i % 3 == 0)
            {
                left.Add(values[i]);
            }
            else
            {
                right.Add(values[i]);
            }
        }

        left.Merge(right);
        Assert.Equal(all.Count, left.Count);
        Assert.Equal(all.Min, left.Min);
        Assert.Equal(all.Max, left.Max);
        Assert.Equal(all.Sum, left.Sum, all.Sum * 1e-12);
        Assert.Equal(all.SumOfSquares, left.SumOfSquares, all.SumOfSquares * 1e-12);
        Assert.Equal(all.StandardDeviation, left.StandardDeviation, all.StandardDeviation * 1e-9);
    }

    [Fact]
    public void MergeWithEmpty_EitherWay_IsTheOther()
    {
        var stats = BucketStats.Empty;
        stats.Add(-1.5);
        stats.Add(8);

        var intoEmpty = BucketStats.Empty;
        intoEmpty.Merge(stats);
        Assert.Equal(stats, intoEmpty);

        var fromEmpty = stats;
        fromEmpty.Merge(BucketStats.Empty);
        fromEmpty.Merge(default);
        Assert.Equal(stats, fromEmpty);
        Assert.Equal(-1.5, fromEmpty.Min);
        Assert.Equal(8, fromEmpty.Max);
    }

    [Fact]
    public void StandardDeviation_OfEqualValues_IsZeroNotNaN_EvenWhenRoundingMakesTheVarianceNegative()
    {
        bool sawNegativeVariance = false;
        foreach (double constant in (double[])[0.1, 0.3, 1.1, 3.3, 1e-7, 123.456, 9.87e12])
        {
            var stats = BucketStats.Empty;
            for (int i = 0; i < 1000; i++)
            {
                stats.Add(constant);
            }

            double mean = stats.Sum / stats.Count;
            sawNegativeVariance |= (stats.SumOfSquares / stats.Count) - (mean * mean) < 0;
            Assert.False(double.IsNaN(stats.StandardDeviation));
            Assert.True(stats.StandardDeviation <= 1e-6 * constant, $"{constant}: {stats.StandardDeviation}");
        }

        Assert.True(sawNegativeVariance, "no constant exercised the clamp");
    }

    [Fact]
    public void OneValue_HasZeroStandardDeviation()
    {
        var stats = BucketStats.Empty;
        stats.Add(42);
        Assert.Equal(0, stats.StandardDeviation);
        Assert.Equal(42, stats.Mean);
    }

    [Fact]
    public void Constructor_RebuildsStats_AndIgnoresMinMaxWhenEmpty()
    {
        var stats = new BucketStats(3, 6, 14, 1, 3);
        Assert.Equal(3UL, stats.Count);
        Assert.Equal(1, stats.Min);
        Assert.Equal(3, stats.Max);
        Assert.Equal(2, stats.Mean);

        var empty = new BucketStats(0, 0, 0, 0, 0);
        Assert.Equal(BucketStats.Empty, empty);
        Assert.Equal(double.PositiveInfinity, empty.Min);
        Assert.Equal(double.NegativeInfinity, empty.Max);

        // As a store reads an empty bucket back: ±∞ columns.
        Assert.Equal(BucketStats.Empty, new BucketStats(0, 0, 0, double.PositiveInfinity, double.NegativeInfinity));
    }
}
