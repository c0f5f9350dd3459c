namespace AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

/// <summary>
/// One isolation tree in a fixed heap layout (node i has children 2i+1 and 2i+2), so rebuilding it reuses the same
/// arrays. Each split picks a random dimension and a random cut between the node's min and max on it; a point's
/// path length to its leaf, plus the expected extra depth of the leaf's remaining points, is its isolation depth.
/// A point beyond a node's range on the split dimension could have been cut off there (as in a random cut forest,
/// where the query point widens the range): with probability distance / (range + distance) its path ends at that
/// node. Without this, a value far above everything would isolate no faster than the sample's own maximum.
/// </summary>
internal sealed class IsolationTree
{
    private readonly int _maxDepth;
    private readonly int[] _splitDimension; // −1: leaf
    private readonly double[] _splitValue;
    private readonly double[] _low;
    private readonly double[] _high;
    private readonly int[] _leafSize;

    public IsolationTree(int maxDepth)
    {
        _maxDepth = maxDepth;
        int nodes = (1 << (maxDepth + 1)) - 1;
        _splitDimension = new int[nodes];
        _splitValue = new double[nodes];
        _low = new double[nodes];
        _high = new double[nodes];
        _leafSize = new int[nodes];
    }

    /// <summary>Builds the tree over the sample rows <paramref name="rows"/> (indices into a row-major matrix).</summary>
    public void Build(double[] points, int dimensions, Span<int> rows, ref uint random) =>
        BuildNode(0, 0, points, dimensions, rows, ref random);

    public double PathLength(ReadOnlySpan<double> point)
    {
        int node = 0;
        int depth = 0;
        double expected = 0, stillInside = 1;
        while (_splitDimension[node] >= 0)
        {
            double v = point[_splitDimension[node]];
            double range = _high[node] - _low[node];
            double outside = v > _high[node] ? v - _high[node] : v < _low[node] ? _low[node] - v : 0;
            if (outside > 0)
            {
                double cutOff = outside / (range + outside);
                expected += stillInside * cutOff * (depth + 1);
                stillInside *= 1 - cutOff;
            }

            node = v < _splitValue[node] ? (2 * node) + 1 : (2 * node) + 2;
            depth++;
        }

        return expected + (stillInside * (depth + AveragePathLength(_leafSize[node])));
    }

    /// <summary>c(n): the average path length of an unsuccessful search in a binary search tree of n points.</summary>
    public static double AveragePathLength(int n) =>
        n <= 1 ? 0 : n == 2 ? 1 : (2 * (Math.Log(n - 1) + 0.5772156649)) - (2.0 * (n - 1) / n);

    private void BuildNode(int node, int depth, double[] points, int dimensions, Span<int> rows, ref uint random)
    {
        _splitDimension[node] = -1;
        _leafSize[node] = rows.Length;
        if (depth == _maxDepth || rows.Length <= 1)
        {
            return;
        }

        int dimension = (int)(Next(ref random) % (uint)dimensions);
        double min = double.MaxValue, max = double.MinValue;
        foreach (int row in rows)
        {
            double v = points[(row * dimensions) + dimension];
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        if (max <= min)
        {
            return; // all equal on this dimension: treat as a leaf rather than retry (cheap, and rare in practice)
        }

        double cut = min + ((max - min) * (Next(ref random) / (double)uint.MaxValue));
        int lower = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            if (points[(rows[i] * dimensions) + dimension] < cut)
            {
                (rows[i], rows[lower]) = (rows[lower], rows[i]);
                lower++;
            }
        }

        _splitDimension[node] = dimension;
        _splitValue[node] = cut;
        _low[node] = min;
        _high[node] = max;
        BuildNode((2 * node) + 1, depth + 1, points, dimensions, rows[..lower], ref random);
        BuildNode((2 * node) + 2, depth + 1, points, dimensions, rows[lower..], ref random);
    }

    internal static uint Next(ref uint state)
    {
        // xorshift32: deterministic given the seed.
        uint x = state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        state = x;
        return x;
    }
}
