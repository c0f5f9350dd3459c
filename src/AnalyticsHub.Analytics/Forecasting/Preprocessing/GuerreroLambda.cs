namespace AnalyticsHub.Analytics.Forecasting.Preprocessing;

/// <summary>Guerrero's (1993) choice of the Box–Cox λ: cut the series into consecutive blocks of one season, and
/// pick the λ in [−1, 2] that makes sd_i / mean_i^(1−λ) most nearly constant across blocks (least coefficient of
/// variation), i.e. that stabilises the variance when it grows with the level. Golden-section search.</summary>
public static class GuerreroLambda
{
    public const double Lower = -1;
    public const double Upper = 2;

    /// <summary>λ for positive <paramref name="y"/> with blocks of <paramref name="blockLength"/> (at least 2) points;
    /// 1 (no transform) when fewer than two blocks fit.</summary>
    public static double Estimate(ReadOnlySpan<double> y, int blockLength)
    {
        blockLength = Math.Max(2, blockLength);
        var blocks = y.Length / blockLength;
        if (blocks < 2)
        {
            return 1;
        }
        var means = new double[blocks];
        var deviations = new double[blocks];
        for (var b = 0; b < blocks; b++)
        {
            var block = y.Slice(b * blockLength, blockLength);
            double mean = 0;
            foreach (var value in block)
            {
                mean += value;
            }
            mean /= blockLength;
            double squares = 0;
            foreach (var value in block)
            {
                squares += (value - mean) * (value - mean);
            }
            means[b] = mean;
            deviations[b] = Math.Sqrt(squares / (blockLength - 1));
        }

        var ratios = new double[blocks];
        var golden = (Math.Sqrt(5) - 1) / 2;
        double low = Lower, high = Upper;
        var left = high - golden * (high - low);
        var right = low + golden * (high - low);
        double fLeft = Variation(means, deviations, left, ratios), fRight = Variation(means, deviations, right, ratios);
        while (high - low > 1e-4)
        {
            if (fLeft <= fRight)
            {
                high = right;
                right = left;
                fRight = fLeft;
                left = high - golden * (high - low);
                fLeft = Variation(means, deviations, left, ratios);
            }
            else
            {
                low = left;
                left = right;
                fLeft = fRight;
                right = low + golden * (high - low);
                fRight = Variation(means, deviations, right, ratios);
            }
        }
        return (low + high) / 2;
    }

    /// <summary>Coefficient of variation of sd_i / mean_i^(1−λ).</summary>
    internal static double Variation(ReadOnlySpan<double> means, ReadOnlySpan<double> deviations, double lambda, Span<double> ratios)
    {
        double sum = 0;
        for (var b = 0; b < means.Length; b++)
        {
            ratios[b] = deviations[b] / Math.Pow(means[b], 1 - lambda);
            sum += ratios[b];
        }
        var mean = sum / means.Length;
        double squares = 0;
        for (var b = 0; b < means.Length; b++)
        {
            squares += (ratios[b] - mean) * (ratios[b] - mean);
        }
        return Math.Sqrt(squares / (means.Length - 1)) / mean;
    }
}
