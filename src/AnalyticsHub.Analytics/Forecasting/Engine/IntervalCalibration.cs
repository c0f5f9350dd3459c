namespace AnalyticsHub.Analytics.Forecasting.Engine;

/// <summary>Split-conformal scaling of an interval's half-widths. On validation windows, each actual's score is its
/// distance from the point forecast over the half-width on its side; the factor is the ⌈(k + 1)·level⌉-th smallest
/// of the k scores, so that the scaled intervals would have covered the validation actuals at the asked level.</summary>
internal static class IntervalCalibration
{
    private const double MinScale = 1;
    private const double MaxScale = 10;

    /// <summary>Adds the scores of one validation window to <paramref name="scores"/>.</summary>
    public static void AddScores(ReadOnlySpan<double> actual, ReadOnlySpan<double> point, ReadOnlySpan<double> lower,
        ReadOnlySpan<double> upper, List<double> scores)
    {
        for (var h = 0; h < actual.Length; h++)
        {
            var error = actual[h] - point[h];
            var halfWidth = error >= 0 ? upper[h] - point[h] : point[h] - lower[h];
            scores.Add(halfWidth > 0 ? Math.Abs(error) / halfWidth : error == 0 ? 0 : MaxScale);
        }
    }

    /// <summary>The scale factor, clamped to [¼, 10]; 1 without scores.</summary>
    public static double Scale(List<double> scores, double level)
    {
        if (scores.Count == 0)
        {
            return 1;
        }
        scores.Sort();
        var rank = Math.Min(scores.Count, (int)Math.Ceiling((scores.Count + 1) * level));
        return Math.Clamp(scores[rank - 1], MinScale, MaxScale);
    }
}
