namespace AnalyticsHub.Analytics.Forecasting.Learned;

/// <summary>A feature matrix reduced to bins for split finding: one byte per row and feature, stored by feature
/// (column-major) so that building one feature's histogram reads one contiguous column.</summary>
internal sealed class BinnedMatrix
{
    private readonly byte[] bins;

    private BinnedMatrix(byte[] bins, FeatureBins[] features, int rows)
    {
        this.bins = bins;
        Features = features;
        Rows = rows;
    }

    public int Rows { get; }

    public IReadOnlyList<FeatureBins> Features { get; }

    /// <summary>The bins of feature <paramref name="feature"/> for every row.</summary>
    public ReadOnlySpan<byte> Column(int feature) => bins.AsSpan(feature * Rows, Rows);

    /// <summary>Bins the first <paramref name="rows"/> rows of the row-major <paramref name="matrix"/> with
    /// <paramref name="featureCount"/> columns; the cut points are the quantiles of those rows.</summary>
    public static BinnedMatrix Build(ReadOnlySpan<double> matrix, int featureCount, int rows, int maxBins)
    {
        var features = new FeatureBins[featureCount];
        var bins = new byte[featureCount * rows];
        var column = new double[rows];
        for (var f = 0; f < featureCount; f++)
        {
            for (var r = 0; r < rows; r++)
            {
                column[r] = matrix[r * featureCount + f];
            }
            Array.Sort(column);
            features[f] = FeatureBins.FromSorted(column, maxBins);
            var target = bins.AsSpan(f * rows, rows);
            for (var r = 0; r < rows; r++)
            {
                target[r] = (byte)features[f].Bin(matrix[r * featureCount + f]);
            }
        }
        return new BinnedMatrix(bins, features, rows);
    }
}
