using AnalyticsHub.Analytics.Forecasting.Learned;

namespace AnalyticsHub.Analytics.Tests.Learned;

public sealed class FeatureBinsTests
{
    [Fact]
    public void FromSorted_ConstantFeature_HasOneBinAndNoCut()
    {
        var bins = FeatureBins.FromSorted([3, 3, 3, 3], maxBins: 16);
        Assert.Equal(1, bins.Count);
        Assert.Equal(0, bins.Bin(-100));
        Assert.Equal(0, bins.Bin(100));
    }

    [Fact]
    public void FromSorted_FewDistinctValues_CutsMidwayBetweenEachPair()
    {
        var bins = FeatureBins.FromSorted([1, 1, 2, 4, 4, 4], maxBins: 16);
        Assert.Equal(3, bins.Count);
        Assert.Equal(1.5, bins.Cut(0));
        Assert.Equal(3.0, bins.Cut(1));
        Assert.Equal(0, bins.Bin(1));
        Assert.Equal(0, bins.Bin(1.5));
        Assert.Equal(1, bins.Bin(2));
        Assert.Equal(2, bins.Bin(4));
        Assert.Equal(2, bins.Bin(1e9));
    }

    [Fact]
    public void FromSorted_HeavyTie_TakesOneBinAndLeavesTheRestToTheOtherValues()
    {
        // Half the rows are 0: the tie fills one bin, the 50 distinct values share the others.
        var values = Enumerable.Repeat(0.0, 50).Concat(Enumerable.Range(1, 50).Select(i => (double)i)).ToArray();
        var bins = FeatureBins.FromSorted(values, maxBins: 4);
        Assert.Equal(4, bins.Count);
        Assert.Equal(0.5, bins.Cut(0));
        Assert.Equal(0, bins.Bin(0));
        Assert.Equal(1, bins.Bin(1));
        Assert.Equal(3, bins.Bin(50));
    }

    [Fact]
    public void FromSorted_ManyDistinctValues_GivesEqualCountBins()
    {
        var values = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        var bins = FeatureBins.FromSorted(values, maxBins: 4);
        Assert.Equal(4, bins.Count);
        var counts = new int[4];
        foreach (var v in values)
        {
            counts[bins.Bin(v)]++;
        }
        Assert.Equal([25, 25, 25, 25], counts);
    }

    [Fact]
    public void BinnedMatrix_StoresEachFeaturesBinsAsAColumn()
    {
        // Two rows of (x, constant): x splits, the constant column is all bin 0.
        var matrix = BinnedMatrix.Build([1.0, 7, 2, 7, 3, 7], featureCount: 2, rows: 3, maxBins: 8);
        Assert.Equal([0, 1, 2], matrix.Column(0).ToArray());
        Assert.Equal([0, 0, 0], matrix.Column(1).ToArray());
        Assert.Equal(1, matrix.Features[1].Count);
    }
}
