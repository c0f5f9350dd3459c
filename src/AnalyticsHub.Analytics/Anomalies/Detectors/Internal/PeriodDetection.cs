namespace AnalyticsHub.Analytics.Anomalies.Detectors.Internal;

/// <summary>
/// Finds the seasonal period of a warm-up buffer by autocorrelation at calendar candidates (an hour, a day, a week in
/// steps of the series' spacing). A candidate must correlate at ≥ <see cref="MinCorrelation"/> and clearly better
/// than at half its lag, which rejects trends and level shifts (they correlate at every lag).
/// </summary>
internal static class PeriodDetection
{
    public const double MinCorrelation = 0.5;

    private static readonly long[] CandidateSeconds = [3600, 86_400, 7 * 86_400];

    /// <summary>The period in points, or 0 when the buffer shows none.</summary>
    public static int Detect(ReadOnlySpan<double> values, long spacingSeconds, int maxPeriod)
    {
        int best = 0;
        double bestCorrelation = MinCorrelation;
        foreach (long seconds in CandidateSeconds)
        {
            long lag = spacingSeconds > 0 ? seconds / spacingSeconds : 0;
            if (lag < 4 || lag > maxPeriod || lag * 2 > values.Length)
            {
                continue;
            }

            double atPeriod = Autocorrelation(values, (int)lag);
            double atHalf = Autocorrelation(values, (int)lag / 2);
            if (atPeriod > bestCorrelation && atPeriod > atHalf + 0.1)
            {
                best = (int)lag;
                bestCorrelation = atPeriod;
            }
        }

        return best;
    }

    /// <summary>
    /// The autocorrelation at <paramref name="lag"/>: the mean lagged product over the pairs that exist (n − lag),
    /// divided by the variance over all n points. Dividing the sum by n instead (the textbook biased estimate) shrinks
    /// a lag by (n − lag)/n: a weekly cycle seen twice in the warm-up buffer would count at half its strength and lose
    /// to the daily one on a series (taxi demand) whose weekdays and weekends differ.
    /// </summary>
    public static double Autocorrelation(ReadOnlySpan<double> values, int lag)
    {
        double mean = 0;
        foreach (double v in values)
        {
            mean += v;
        }

        mean /= values.Length;
        double variance = 0, covariance = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double d = values[i] - mean;
            variance += d * d;
            if (i >= lag)
            {
                covariance += d * (values[i - lag] - mean);
            }
        }

        int pairs = values.Length - lag;
        return variance <= 0 || pairs <= 0 ? 0 : covariance / pairs / (variance / values.Length);
    }
}
