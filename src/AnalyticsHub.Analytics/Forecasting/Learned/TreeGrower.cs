namespace AnalyticsHub.Analytics.Forecasting.Learned;

/// <summary>Grows regression trees on a <see cref="BinnedMatrix"/> for squared loss: at each node the gradient sums
/// per bin of every feature form a histogram, and one pass over it scores every split by the gain
/// G_L²/(n_L + λ) + G_R²/(n_R + λ) − G²/(n + λ). Rows are partitioned in place, depth first. The histogram and
/// node buffers are reused across trees, so one grower serves one training run on one thread.</summary>
internal sealed class TreeGrower
{
    private readonly BinnedMatrix matrix;
    private readonly int maxDepth;
    private readonly int minLeafRows;
    private readonly double penalty;
    private readonly double leafScale;
    private readonly double[] gradientHistogram;
    private readonly int[] countHistogram;
    private readonly List<int> feature = [];
    private readonly List<double> threshold = [];
    private readonly List<int> left = [];
    private readonly List<int> right = [];
    private readonly List<double> value = [];

    /// <param name="leafScale">Multiplies every leaf value: the boosting shrinkage.</param>
    public TreeGrower(BinnedMatrix matrix, int maxDepth, int minLeafRows, double penalty, double leafScale)
    {
        this.matrix = matrix;
        this.maxDepth = maxDepth;
        this.minLeafRows = Math.Max(1, minLeafRows);
        this.penalty = penalty;
        this.leafScale = leafScale;
        var maxBins = matrix.Features.Count == 0 ? 1 : matrix.Features.Max(f => f.Count);
        gradientHistogram = new double[maxBins];
        countHistogram = new int[maxBins];
    }

    /// <summary>Grows a tree fitting <paramref name="gradients"/> (the residuals, one per matrix row) on the rows in
    /// <paramref name="rows"/>, whose order it changes.</summary>
    public RegressionTree Grow(ReadOnlySpan<double> gradients, Span<int> rows)
    {
        feature.Clear();
        threshold.Clear();
        left.Clear();
        right.Clear();
        value.Clear();
        GrowNode(gradients, rows, 0);
        return new RegressionTree([.. feature], [.. threshold], [.. left], [.. right], [.. value]);
    }

    private int GrowNode(ReadOnlySpan<double> gradients, Span<int> rows, int depth)
    {
        double sum = 0;
        foreach (var r in rows)
        {
            sum += gradients[r];
        }
        var node = AddNode();
        var split = depth < maxDepth && rows.Length >= 2 * minLeafRows
            ? BestSplit(gradients, rows, sum)
            : (Feature: -1, Bin: 0);
        if (split.Feature < 0)
        {
            value[node] = leafScale * sum / (rows.Length + penalty);
            return node;
        }
        var leftCount = Partition(matrix.Column(split.Feature), rows, split.Bin);
        feature[node] = split.Feature;
        threshold[node] = matrix.Features[split.Feature].Cut(split.Bin);
        var leftChild = GrowNode(gradients, rows[..leftCount], depth + 1);
        var rightChild = GrowNode(gradients, rows[leftCount..], depth + 1);
        left[node] = leftChild;
        right[node] = rightChild;
        return node;
    }

    private int AddNode()
    {
        feature.Add(-1);
        threshold.Add(0);
        left.Add(-1);
        right.Add(-1);
        value.Add(0);
        return feature.Count - 1;
    }

    /// <summary>The split with the largest positive gain whose sides both keep at least the minimum rows, or
    /// feature −1 when none gains. Ties keep the first feature and bin found, so growth is deterministic.</summary>
    private (int Feature, int Bin) BestSplit(ReadOnlySpan<double> gradients, ReadOnlySpan<int> rows, double sum)
    {
        var n = rows.Length;
        var parentScore = sum * sum / (n + penalty);
        var bestGain = 1e-12 * Math.Max(1, parentScore);
        (int Feature, int Bin) best = (-1, 0);
        for (var f = 0; f < matrix.Features.Count; f++)
        {
            var binCount = matrix.Features[f].Count;
            if (binCount < 2)
            {
                continue;
            }
            var column = matrix.Column(f);
            var g = gradientHistogram.AsSpan(0, binCount);
            var c = countHistogram.AsSpan(0, binCount);
            g.Clear();
            c.Clear();
            foreach (var r in rows)
            {
                var b = column[r];
                g[b] += gradients[r];
                c[b]++;
            }
            double leftSum = 0;
            var leftRows = 0;
            for (var b = 0; b < binCount - 1; b++)
            {
                leftSum += g[b];
                leftRows += c[b];
                if (leftRows < minLeafRows)
                {
                    continue;
                }
                var rightRows = n - leftRows;
                if (rightRows < minLeafRows)
                {
                    break;
                }
                var rightSum = sum - leftSum;
                var gain = leftSum * leftSum / (leftRows + penalty) + rightSum * rightSum / (rightRows + penalty) - parentScore;
                if (gain > bestGain)
                {
                    bestGain = gain;
                    best = (f, b);
                }
            }
        }
        return best;
    }

    /// <summary>Moves the rows whose bin is ≤ <paramref name="bin"/> to the front; returns how many there are.</summary>
    private static int Partition(ReadOnlySpan<byte> column, Span<int> rows, int bin)
    {
        int i = 0, j = rows.Length - 1;
        while (i <= j)
        {
            if (column[rows[i]] <= bin)
            {
                i++;
            }
            else
            {
                (rows[i], rows[j]) = (rows[j], rows[i]);
                j--;
            }
        }
        return i;
    }
}
