using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Tests.Rollups;

/// <summary>Merging is exact: the merge of sketches is the sketch of the concatenated data, bin for bin.</summary>
public sealed class QuantileSketchMergeTests
{
    [Theory]
    [InlineData("lognormal", "pareto")]
    [InlineData("negative", "mixed-with-zeros")]
    [InlineData("constant", "wide")]
    [InlineData("uniform", "exponential")]
    public void MergeOfTwo_EqualsTheSketchOfBothInputs(string first, string second)
    {
        var a = SketchData.Generate(first, 5000, seed: 1);
        var b = SketchData.Generate(second, 7000, seed: 2);
        var merged = SketchData.SketchOf(a);
        merged.MergeFrom(SketchData.SketchOf(b));

        var expected = SketchData.SketchOf([.. a, .. b]);
        Assert.Equal(expected.Count, merged.Count);
        Assert.Equal(SketchData.Bytes(expected), SketchData.Bytes(merged));

        // And the other way round.
        var reversed = SketchData.SketchOf(b);
        reversed.MergeFrom(SketchData.SketchOf(a));
        Assert.Equal(SketchData.Bytes(expected), SketchData.Bytes(reversed));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void MergeOfMany_InAnyTree_EqualsTheSketchOfAllInputs(int seed)
    {
        var random = new Random(seed);
        var parts = new List<double[]>();
        for (int i = 0; i < 12; i++)
        {
            string distribution = SketchData.Distributions[random.Next(SketchData.Distributions.Length)];
            parts.Add(SketchData.Generate(distribution, random.Next(0, 3000), seed: (seed * 100) + i));
        }

        var expected = SketchData.Bytes(SketchData.SketchOf(parts.SelectMany(p => p).ToArray()));

        // Left fold.
        var folded = new QuantileSketch();
        foreach (var part in parts)
        {
            folded.MergeFrom(SketchData.SketchOf(part));
        }

        Assert.Equal(expected, SketchData.Bytes(folded));

        // Pairwise tree, in shuffled order.
        var level = parts.Select(p => SketchData.SketchOf(p)).OrderBy(_ => random.Next()).ToList();
        while (level.Count > 1)
        {
            var next = new List<QuantileSketch>();
            for (int i = 0; i < level.Count; i += 2)
            {
                if (i + 1 < level.Count)
                {
                    level[i + 1].MergeFrom(level[i]);
                }

                next.Add(level[Math.Min(i + 1, level.Count - 1)]);
            }

            level = next;
        }

        Assert.Equal(expected, SketchData.Bytes(level[0]));
    }

    [Fact]
    public void MergeFrom_LeavesTheOtherSketchUnchanged()
    {
        var other = SketchData.SketchOf(SketchData.Generate("mixed-with-zeros", 1000));
        var before = SketchData.Bytes(other);
        var target = SketchData.SketchOf(SketchData.Generate("wide", 1000));
        target.MergeFrom(other);
        Assert.Equal(before, SketchData.Bytes(other));
    }

    [Fact]
    public void MergeWithEmpty_EitherWay_IsTheOtherSketch()
    {
        var values = SketchData.Generate("mixed-with-zeros", 1000);
        var expected = SketchData.Bytes(SketchData.SketchOf(values));

        var intoEmpty = new QuantileSketch();
        intoEmpty.MergeFrom(SketchData.SketchOf(values));
        Assert.Equal(expected, SketchData.Bytes(intoEmpty));

        var fromEmpty = SketchData.SketchOf(values);
        fromEmpty.MergeFrom(new QuantileSketch());
        Assert.Equal(expected, SketchData.Bytes(fromEmpty));
    }

    [Fact]
    public void MergeWithItself_DoublesEveryCount()
    {
        var values = SketchData.Generate("mixed-with-zeros", 1000);
        var sketch = SketchData.SketchOf(values);
        sketch.MergeFrom(sketch);
        Assert.Equal(SketchData.Bytes(SketchData.SketchOf([.. values, .. values])), SketchData.Bytes(sketch));
        Assert.Equal(2000UL, sketch.Count);
    }

    [Fact]
    public void MergeOfDisjointRanges_FarApart_CoversBoth()
    {
        var low = SketchData.LogUniform(1000, -6, -5, seed: 1);
        var high = SketchData.LogUniform(1000, 8, 9, seed: 2);
        var merged = SketchData.SketchOf(high);
        merged.MergeFrom(SketchData.SketchOf(low));
        Assert.Equal(SketchData.Bytes(SketchData.SketchOf([.. low, .. high])), SketchData.Bytes(merged));

        double[] all = [.. low, .. high];
        Array.Sort(all);
        foreach (double q in SketchData.Quantiles)
        {
            SketchData.AssertWithinAccuracy(SketchData.ExactQuantile(all, q), merged.Quantile(q), $"q={q}");
        }
    }
}
