namespace AnalyticsHub.Analytics.Forecasting.Learned;

/// <summary>A binary regression tree in flat arrays: an inner node sends x to its left child when
/// x[feature] ≤ threshold; a leaf (feature −1) holds the value the tree predicts.</summary>
internal sealed class RegressionTree
{
    private readonly int[] feature;
    private readonly double[] threshold;
    private readonly int[] left;
    private readonly int[] right;
    private readonly double[] value;

    public RegressionTree(int[] feature, double[] threshold, int[] left, int[] right, double[] value)
    {
        this.feature = feature;
        this.threshold = threshold;
        this.left = left;
        this.right = right;
        this.value = value;
    }

    /// <summary>Nodes, inner and leaves; node 0 is the root.</summary>
    public int NodeCount => feature.Length;

    public double Predict(ReadOnlySpan<double> x)
    {
        var node = 0;
        while (feature[node] >= 0)
        {
            node = x[feature[node]] <= threshold[node] ? left[node] : right[node];
        }
        return value[node];
    }
}
