using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Tests.Rollups;

/// <summary>
/// Every quantile the sketch returns is within 1 % of the exact value of rank ⌊q·(n−1)⌋ in the
/// sorted input, on distributions of every shape and at every size.
/// </summary>
public sealed class QuantileSketchAccuracyTests
{
    public static TheoryData<string, int> DistributionsAndSizes()
    {
        var data = new TheoryData<string, int>();
        foreach (string distribution in SketchData.Distributions)
        {
            foreach (int size in (int[])[1, 2, 10, 1000, 100_000])
            {
                data.Add(distribution, size);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DistributionsAndSizes))]
    public void Quantiles_AreWithinOnePercentOfExact(string distribution, int size)
    {
        var values = SketchData.Generate(distribution, size, seed: size);
        var sketch = SketchData.SketchOf(values);
        Array.Sort(values);

        Assert.Equal((ulong)size, sketch.Count);
        foreach (double q in SketchData.Quantiles)
        {
            SketchData.AssertWithinAccuracy(SketchData.ExactQuantile(values, q), sketch.Quantile(q), $"{distribution} n={size} q={q}");
        }
    }

    [Theory]
    [InlineData("mixed-with-zeros")]
    [InlineData("pareto")]
    [InlineData("wide")]
    public void EveryRank_IsWithinOnePercentOfExact(string distribution)
    {
        const int Size = 3000;
        var values = SketchData.Generate(distribution, Size, seed: 3);
        var sketch = SketchData.SketchOf(values);
        Array.Sort(values);

        for (int rank = 0; rank < Size; rank++)
        {
            double q = rank / (double)(Size - 1);
            SketchData.AssertWithinAccuracy(SketchData.ExactQuantile(values, q), sketch.Quantile(q), $"{distribution} rank {rank}");
        }
    }

    [Fact]
    public void Quantile_UsesTheFloorRank()
    {
        // 1, 2, 3, 4: q = 0.5 is rank ⌊0.5·3⌋ = 1, the value 2 (not 2.5, not 3).
        var sketch = SketchData.SketchOf([4, 3, 2, 1]);
        Assert.Equal(2, sketch.Quantile(0.5), 0.02);
        Assert.Equal(1, sketch.Quantile(0), 0.01);
        Assert.Equal(3, sketch.Quantile(0.99), 0.03); // ⌊2.97⌋ = 2
        Assert.Equal(4, sketch.Quantile(1), 0.04);
    }

    [Fact]
    public void SignsAndZero_AreOrdered_NegativesThenZeroThenPositives()
    {
        var sketch = SketchData.SketchOf([-1000, -1, 0, 0, 1, 1000]);
        Assert.Equal(-1000, sketch.Quantile(0), 10.0);
        Assert.Equal(-1, sketch.Quantile(0.2), 0.01);
        Assert.Equal(0, sketch.Quantile(0.4));
        Assert.Equal(0, sketch.Quantile(0.6));
        Assert.Equal(1, sketch.Quantile(0.8), 0.01);
        Assert.Equal(1000, sketch.Quantile(1), 10.0);
    }

    [Fact]
    public void Empty_QuantileIsNaN()
    {
        var sketch = new QuantileSketch();
        Assert.True(sketch.IsEmpty);
        Assert.True(double.IsNaN(sketch.Quantile(0.5)));
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.0000001)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void QuantileOutsideZeroToOne_Throws(double q)
    {
        var sketch = SketchData.SketchOf([1.0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Quantile(q));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(1e302)]
    [InlineData(-1e302)]
    public void Add_RefusesNaNInfinityAndTooLarge_AndCountsNothing(double value)
    {
        var sketch = SketchData.SketchOf([5.0]);
        var before = SketchData.Bytes(sketch);

        Assert.False(sketch.Add(value));
        Assert.False(sketch.Add(value, 3));
        Assert.False(sketch.Add(value, 0));

        Assert.Equal(1UL, sketch.Count);
        Assert.Equal(before, SketchData.Bytes(sketch));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(double.Epsilon)]
    [InlineData(-1e-305)]
    [InlineData(1e-303)]
    public void Add_MagnitudesBelowTheIndexableMinimum_CountAsZero(double value)
    {
        var sketch = new QuantileSketch();
        Assert.True(sketch.Add(value));
        Assert.True(sketch.Add(-value)); // −0.0 too
        Assert.True(sketch.Add(value, 2));
        Assert.Equal(4UL, sketch.Count);
        Assert.Equal(0, sketch.Quantile(0.5));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Add_ExtremeIndexableMagnitudes_StayWithinAccuracy(bool smallest)
    {
        // One end of the range at a time: both ends together span 70,000 bins and would collapse.
        double magnitude = smallest ? QuantileSketch.MinIndexableValue : QuantileSketch.MaxIndexableValue;
        double inside = magnitude * (smallest ? 1.5 : 0.75);
        double[] values = [magnitude, -magnitude, inside, -inside];
        var sketch = SketchData.SketchOf(values);
        Array.Sort(values);
        foreach (double q in (double[])[0, 1 / 3.0, 2 / 3.0, 1])
        {
            SketchData.AssertWithinAccuracy(SketchData.ExactQuantile(values, q), sketch.Quantile(q), $"q={q}");
        }
    }

    [Fact]
    public void AddWithCount_EqualsAddingThatManyTimes()
    {
        var counted = new QuantileSketch();
        var repeated = new QuantileSketch();
        var random = new Random(2);
        for (int i = 0; i < 200; i++)
        {
            double value = SketchData.LogNormal(random, 0, 3) * (random.Next(3) - 1);
            ulong count = (ulong)random.Next(0, 5);
            Assert.True(counted.Add(value, count));
            for (ulong k = 0; k < count; k++)
            {
                repeated.Add(value);
            }
        }

        Assert.Equal(repeated.Count, counted.Count);
        Assert.Equal(SketchData.Bytes(repeated), SketchData.Bytes(counted));
    }

    [Fact]
    public void Clear_EmptiesButKeepsCapacity_AndRefillingMatchesAFreshSketch()
    {
        var values = SketchData.Generate("mixed-with-zeros", 5000);
        var sketch = SketchData.SketchOf(values);
        long memory = sketch.MemoryBytes;

        sketch.Clear();
        Assert.True(sketch.IsEmpty);
        Assert.Equal(0UL, sketch.Count);
        Assert.True(double.IsNaN(sketch.Quantile(0.5)));
        Assert.Equal(memory, sketch.MemoryBytes);
        Assert.Equal(SketchData.Bytes(new QuantileSketch()), SketchData.Bytes(sketch));

        var other = SketchData.Generate("wide", 5000);
        foreach (double value in other)
        {
            sketch.Add(value);
        }

        Assert.Equal(SketchData.Bytes(SketchData.SketchOf(other)), SketchData.Bytes(sketch));
    }

    [Fact]
    public void CopyFrom_GivesAnEqualSketch_AndLeavesTheSourceAlone()
    {
        var source = SketchData.SketchOf(SketchData.Generate("mixed-with-zeros", 2000));
        var sourceBytes = SketchData.Bytes(source);
        var target = SketchData.SketchOf(SketchData.Generate("wide", 3000)); // something to overwrite

        target.CopyFrom(source);
        Assert.Equal(sourceBytes, SketchData.Bytes(target));
        Assert.Equal(source.Count, target.Count);

        target.Add(123);
        Assert.Equal(sourceBytes, SketchData.Bytes(source));

        target.CopyFrom(new QuantileSketch());
        Assert.True(target.IsEmpty);
    }

    [Fact]
    public void MemoryBytes_GrowsWithTheRangeCovered()
    {
        var sketch = new QuantileSketch();
        long empty = sketch.MemoryBytes;
        sketch.Add(1);
        long one = sketch.MemoryBytes;
        foreach (double value in SketchData.Generate("wide", 10_000))
        {
            sketch.Add(value);
        }

        Assert.True(empty < one && one < sketch.MemoryBytes);
        Assert.InRange(sketch.MemoryBytes, 1000 * 8, 2 * 2048 * 8); // ~1000 bins span 1e-3..1e9
    }
}
