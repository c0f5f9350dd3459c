namespace AnalyticsHub.Analytics.Forecasting.Learned;

/// <summary>Gradient boosting of regression trees for squared loss (Friedman, 2001, with the histogram split
/// finding of LightGBM): start from the mean target, then repeatedly fit a shallow tree to the current residuals on
/// a random subsample of the rows and add it, shrunk by the learning rate.</summary>
internal static class GradientBoosting
{
    /// <summary>Trains on rows [0, <paramref name="trainRows"/>) of the row-major <paramref name="matrix"/>
    /// (<paramref name="featureCount"/> columns, one row per target). The rows after them, in time order, are the
    /// validation tail: training stops once <see cref="BoostingOptions.EarlyStoppingRounds"/> trees in a row have not
    /// lowered its mean squared error, and keeps the trees up to the best. With <paramref name="treeCount"/> given,
    /// grows exactly that many trees and ignores any tail.</summary>
    public static BoostedTrees Train(ReadOnlySpan<double> matrix, int featureCount, ReadOnlySpan<double> targets,
        int trainRows, BoostingOptions options, int? treeCount = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trainRows, 1);
        var rows = targets.Length;
        var binned = BinnedMatrix.Build(matrix, featureCount, trainRows, options.MaxBins);
        var grower = new TreeGrower(binned, options.Depth, options.MinLeafRows, options.LeafPenalty, options.LearningRate);

        double baseScore = 0;
        for (var r = 0; r < trainRows; r++)
        {
            baseScore += targets[r];
        }
        baseScore /= trainRows;

        // Current ensemble prediction and residual for every row, training and validation alike.
        var prediction = new double[rows];
        var residual = new double[rows];
        Array.Fill(prediction, baseScore);
        var order = new int[trainRows];
        for (var r = 0; r < trainRows; r++)
        {
            order[r] = r;
        }
        var sampleSize = Math.Clamp((int)Math.Round(options.RowSubsample * trainRows), 1, trainRows);
        var random = new Random(options.Seed);
        var validating = treeCount is null && rows > trainRows;
        var maxTrees = treeCount ?? options.MaxTrees;

        var trees = new List<RegressionTree>(maxTrees);
        var bestLoss = validating ? ValidationLoss(targets, prediction, trainRows) : double.PositiveInfinity;
        var bestCount = 0;
        while (trees.Count < maxTrees)
        {
            for (var r = 0; r < trainRows; r++)
            {
                residual[r] = targets[r] - prediction[r];
            }
            DrawSample(order, sampleSize, random);
            var tree = grower.Grow(residual, order.AsSpan(0, sampleSize));
            trees.Add(tree);
            for (var r = 0; r < rows; r++)
            {
                prediction[r] += tree.Predict(matrix.Slice(r * featureCount, featureCount));
            }
            if (!validating)
            {
                continue;
            }
            var loss = ValidationLoss(targets, prediction, trainRows);
            if (loss < bestLoss)
            {
                bestLoss = loss;
                bestCount = trees.Count;
            }
            else if (trees.Count - bestCount >= options.EarlyStoppingRounds)
            {
                break;
            }
        }
        if (validating)
        {
            trees.RemoveRange(bestCount, trees.Count - bestCount);
        }
        return new BoostedTrees(baseScore, trees);
    }

    /// <summary>Moves a uniform random sample of <paramref name="size"/> entries to the front (partial Fisher–Yates).</summary>
    private static void DrawSample(int[] order, int size, Random random)
    {
        if (size == order.Length)
        {
            return;
        }
        for (var i = 0; i < size; i++)
        {
            var j = random.Next(i, order.Length);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    private static double ValidationLoss(ReadOnlySpan<double> targets, ReadOnlySpan<double> prediction, int from)
    {
        double sum = 0;
        for (var r = from; r < targets.Length; r++)
        {
            var e = targets[r] - prediction[r];
            sum += e * e;
        }
        return sum / (targets.Length - from);
    }
}
