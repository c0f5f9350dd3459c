using AnalyticsHub.Analytics.Forecasting.Learned;

namespace AnalyticsHub.Analytics.Tests.Learned;

public sealed class GradientBoostingTests
{
    [Fact]
    public void TreeGrower_StepFunction_IsRecoveredExactlyByOneSplit()
    {
        // y = 1 for x < 40, 5 from 40 on; without penalty or shrinkage one split at 39.5 fits it exactly.
        var x = Enumerable.Range(0, 100).Select(i => (double)i).ToArray();
        var y = x.Select(v => v < 40 ? 1.0 : 5.0).ToArray();
        var matrix = BinnedMatrix.Build(x, featureCount: 1, rows: 100, maxBins: 256);
        var grower = new TreeGrower(matrix, maxDepth: 3, minLeafRows: 1, penalty: 0, leafScale: 1);
        var rows = Enumerable.Range(0, 100).ToArray();

        var tree = grower.Grow(y, rows);

        Assert.Equal(3, tree.NodeCount);
        Assert.Equal(1.0, tree.Predict([39]));
        Assert.Equal(1.0, tree.Predict([39.5]));
        Assert.Equal(5.0, tree.Predict([39.6]));
        Assert.Equal(5.0, tree.Predict([1000]));
        Assert.Equal(1.0, tree.Predict([-1000]));
    }

    [Fact]
    public void TreeGrower_ConstantFeatureAndTarget_GivesASingleLeaf()
    {
        var matrix = BinnedMatrix.Build([2.0, 2, 2, 2], featureCount: 1, rows: 4, maxBins: 16);
        var tree = new TreeGrower(matrix, 4, 1, 0, 1).Grow([3.0, 3, 3, 3], [0, 1, 2, 3]);
        Assert.Equal(1, tree.NodeCount);
        Assert.Equal(3.0, tree.Predict([2]));
    }

    [Fact]
    public void TreeGrower_MinLeafRows_ForbidsSmallLeaves()
    {
        // The only gain is isolating the single outlier row, which a 2-row minimum forbids at the edge.
        var matrix = BinnedMatrix.Build([0.0, 1, 2, 3], featureCount: 1, rows: 4, maxBins: 16);
        var tree = new TreeGrower(matrix, 1, minLeafRows: 2, penalty: 0, leafScale: 1).Grow([0.0, 0, 0, 8], [0, 1, 2, 3]);
        Assert.Equal(0.0, tree.Predict([1]));
        Assert.Equal(4.0, tree.Predict([3]));
    }

    [Fact]
    public void Train_AdditiveFunction_IsFittedClosely()
    {
        // y = 2·[x1 > 4.5] + 0.5·x2 on a 10 × 10 grid (range 0 … 6.5): shallow trees add the two effects piecewise.
        var matrix = new double[200];
        var y = new double[100];
        for (var i = 0; i < 10; i++)
        {
            for (var j = 0; j < 10; j++)
            {
                var r = i * 10 + j;
                matrix[2 * r] = i;
                matrix[2 * r + 1] = j;
                y[r] = (i > 4.5 ? 2 : 0) + 0.5 * j;
            }
        }
        var options = new BoostingOptions { Depth = 2, LearningRate = 0.3, RowSubsample = 1, MinLeafRows = 1, LeafPenalty = 0 };

        var model = GradientBoosting.Train(matrix, 2, y, trainRows: 100, options, treeCount: 400);

        for (var r = 0; r < 100; r++)
        {
            Assert.InRange(model.Predict(matrix.AsSpan(2 * r, 2)) - y[r], -0.02, 0.02);
        }
        Assert.InRange(model.Predict([9, 7]) - (2.0 + 0.5 * 7), -0.02, 0.02);
    }

    [Fact]
    public void Train_ValidationTail_StopsEarlyWhenTreesStopHelping()
    {
        // Pure noise: no tree generalises to the tail, so early stopping keeps few trees.
        var random = new Random(11);
        var matrix = Enumerable.Range(0, 300).Select(_ => random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 300).Select(_ => random.NextDouble()).ToArray();
        var options = new BoostingOptions { MaxTrees = 300, EarlyStoppingRounds = 10 };

        var model = GradientBoosting.Train(matrix, 1, y, trainRows: 200, options);

        Assert.InRange(model.TreeCount, 0, 30);
    }
}
