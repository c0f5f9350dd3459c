namespace AnalyticsHub.Analytics.Anomalies.Nab;

/// <summary>
/// NAB's scoring at a fixed threshold: a row detects when its anomaly score is ≥ the threshold; detections in the
/// probationary period are ignored; in each window only the first detection counts (the earliest, which is also the
/// one with the largest credit); a window with none is missed; every other detection is a false positive.
/// Normalisation puts the null detector (never fires) at 0 and the perfect one (fires at each window's first row) at 100.
/// </summary>
public static class NabScorer
{
    /// <summary>Tallies one series' detections at <paramref name="threshold"/>.</summary>
    public static NabTally Tally(NabRowCredits rows, ReadOnlySpan<double> scores, double threshold)
    {
        if (scores.Length != rows.Length)
        {
            throw new ArgumentException($"{scores.Length} scores for {rows.Length} rows", nameof(scores));
        }
        var detected = 0;
        var truePositiveCredit = 0.0;
        var falsePositiveCredit = 0.0;
        var falsePositives = 0;
        var lastCountedWindow = -1;
        for (var row = rows.ProbationLength; row < rows.Length; row++)
        {
            if (!(scores[row] >= threshold))
            {
                continue;
            }
            var window = rows.WindowOfRow[row];
            if (window < 0)
            {
                falsePositiveCredit += rows.Credit[row];
                falsePositives++;
            }
            else if (window != lastCountedWindow)
            {
                // Rows run in time order, so the first detection met in a window is the one that counts.
                truePositiveCredit += rows.Credit[row];
                detected++;
                lastCountedWindow = window;
            }
        }
        return new NabTally(truePositiveCredit, falsePositiveCredit, detected, rows.WindowCount - detected, falsePositives);
    }

    /// <summary>Tallies a whole corpus at one threshold: <paramref name="scores"/>[i] belongs to <paramref name="series"/>[i].</summary>
    public static NabTally Tally(IReadOnlyList<NabRowCredits> series, IReadOnlyList<double[]> scores, double threshold)
    {
        var total = default(NabTally);
        for (var i = 0; i < series.Count; i++)
        {
            total += Tally(series[i], scores[i], threshold);
        }
        return total;
    }

    /// <summary>The null detector's tally: every window missed, nothing else.</summary>
    public static NabTally NullTally(IReadOnlyList<NabRowCredits> series) =>
        new(0, 0, 0, series.Sum(s => s.WindowCount), 0);

    /// <summary>The perfect detector's tally: a detection at the first row of every window, and nowhere else (scored
    /// like any detector, so a window inside the probationary period would stay missed).</summary>
    public static NabTally PerfectTally(IReadOnlyList<NabRowCredits> series)
    {
        var total = default(NabTally);
        foreach (var rows in series)
        {
            var scores = new double[rows.Length];
            for (var row = 0; row < rows.Length; row++)
            {
                var window = rows.WindowOfRow[row];
                if (window >= 0 && (row == 0 || rows.WindowOfRow[row - 1] != window))
                {
                    scores[row] = 1;
                }
            }
            total += Tally(rows, scores, threshold: 1);
        }
        return total;
    }

    /// <summary>100 × (raw − null) / (perfect − null): 0 for the null detector, 100 for the perfect one.</summary>
    public static double Normalise(double raw, double nullRaw, double perfectRaw) =>
        perfectRaw == nullRaw ? 0 : 100 * (raw - nullRaw) / (perfectRaw - nullRaw);
}
