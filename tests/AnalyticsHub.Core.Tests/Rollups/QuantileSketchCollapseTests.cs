using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Tests.Rollups;

/// <summary>
/// Past <see cref="QuantileSketch.MaxBinsPerSign"/> bins the lowest collapse into one: memory stays
/// bounded, the upper quantiles keep the guarantee, and the result still does not depend on the
/// order of adds or merges.
/// </summary>
public sealed class QuantileSketchCollapseTests
{
    [Fact]
    public void PositiveRangeWiderThanTheCap_KeepsUpperQuantilesWithinAccuracy()
    {
        var values = SketchData.LogUniform(100_000, -30, 30, seed: 4); // ~7000 bins' worth
        var sketch = SketchData.SketchOf(values);
        Array.Sort(values);

        Assert.Equal(QuantileSketch.MaxBinsPerSign, sketch.BinCount);
        foreach (double q in (double[])[0.8, 0.9, 0.95, 0.99, 0.999, 1])
        {
            SketchData.AssertWithinAccuracy(SketchData.ExactQuantile(values, q), sketch.Quantile(q), $"q={q}");
        }

        // The lowest quantiles are what was given up: the minimum reads as the collapsed bin.
        double p0 = sketch.Quantile(0);
        Assert.True(p0 > 1e6 * values[0], $"p0 {p0:R} against minimum {values[0]:R}");
    }

    [Fact]
    public void NegativeRangeWiderThanTheCap_GivesUpTheMostNegative_AndKeepsTheUpperQuantiles()
    {
        var values = SketchData.LogUniform(100_000, -30, 30, seed: 5).Select(v => -v).ToArray();
        var sketch = SketchData.SketchOf(values);
        Array.Sort(values);

        Assert.Equal(QuantileSketch.MaxBinsPerSign, sketch.BinCount);
        foreach (double q in (double[])[0.8, 0.9, 0.99, 1])
        {
            SketchData.AssertWithinAccuracy(SketchData.ExactQuantile(values, q), sketch.Quantile(q), $"q={q}");
        }

        double p0 = sketch.Quantile(0);
        Assert.True(p0 > values[0] / 1e6, $"p0 {p0:R} against minimum {values[0]:R}"); // far less negative
    }

    [Fact]
    public void MemoryIsBounded_HoweverWideTheData()
    {
        var sketch = new QuantileSketch();
        var random = new Random(8);
        for (int i = 0; i < 200_000; i++)
        {
            double magnitude = Math.Pow(2, (random.NextDouble() * 1990) - 995);
            sketch.Add(random.Next(2) == 0 ? magnitude : -magnitude);
        }

        Assert.Equal(2 * QuantileSketch.MaxBinsPerSign, sketch.BinCount);
        Assert.True(sketch.MemoryBytes <= 34 * 1024, $"{sketch.MemoryBytes} bytes");
    }

    [Fact]
    public void CollapsedContents_DoNotDependOnTheOrderOfAdds()
    {
        var values = SketchData.LogUniform(50_000, -30, 30, seed: 6);
        var random = SketchData.Bytes(SketchData.SketchOf(values));

        var ascending = values.Order().ToArray();
        Assert.Equal(random, SketchData.Bytes(SketchData.SketchOf(ascending)));
        Assert.Equal(random, SketchData.Bytes(SketchData.SketchOf(ascending.Reverse().ToArray())));
    }

    [Fact]
    public void MergeOfCollapsedSketches_EqualsTheSketchOfAllInputs()
    {
        var parts = new[]
        {
            SketchData.LogUniform(20_000, -30, 0, seed: 1),
            SketchData.LogUniform(20_000, -10, 20, seed: 2),
            SketchData.LogUniform(20_000, 15, 30, seed: 3),
            SketchData.LogUniform(100, -40, -35, seed: 4), // entirely below the final kept range
        };
        var expected = SketchData.Bytes(SketchData.SketchOf(parts.SelectMany(p => p).ToArray()));

        foreach (var order in (int[][])[[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]])
        {
            var merged = new QuantileSketch();
            foreach (int i in order)
            {
                merged.MergeFrom(SketchData.SketchOf(parts[i]));
            }

            Assert.Equal(expected, SketchData.Bytes(merged));
        }
    }
}
