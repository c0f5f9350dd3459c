namespace AnalyticsHub.Analytics.Forecasting.Learned;

/// <summary>A trained boosted ensemble: a base score plus the sum of its trees (shrinkage already in the leaves).</summary>
internal sealed class BoostedTrees(double baseScore, IReadOnlyList<RegressionTree> trees)
{
    public int TreeCount => trees.Count;

    public double Predict(ReadOnlySpan<double> features)
    {
        var sum = baseScore;
        for (var i = 0; i < trees.Count; i++)
        {
            sum += trees[i].Predict(features);
        }
        return sum;
    }
}
