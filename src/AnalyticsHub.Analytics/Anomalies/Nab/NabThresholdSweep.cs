namespace AnalyticsHub.Analytics.Anomalies.Nab;

/// <summary>
/// Chooses a detector's threshold per profile as NAB does: the one value, shared by every file, that maximises the raw
/// score summed over the corpus. Every distinct score is a candidate (plus "never fire"); the rows outside the
/// probationary periods are sorted once by score and the threshold is lowered through them, adding each newly detecting
/// row to a running tally, so the whole sweep costs one sort of the corpus. Ties go to the highest threshold.
/// </summary>
public static class NabThresholdSweep
{
    /// <summary>Sweeps the threshold for each profile; <paramref name="scores"/>[i] belongs to <paramref name="series"/>[i].
    /// NaN scores never detect.</summary>
    public static NabProfileResult[] Optimise(IReadOnlyList<NabRowCredits> series, IReadOnlyList<double[]> scores,
        IReadOnlyList<NabProfile> profiles)
    {
        if (scores.Count != series.Count)
        {
            throw new ArgumentException($"{scores.Count} score arrays for {series.Count} series", nameof(scores));
        }
        var candidates = Candidates(series, scores);
        var bestRaw = new double[profiles.Count];
        var bestThreshold = new double[profiles.Count];
        var never = NabScorer.NullTally(series);
        for (var p = 0; p < profiles.Count; p++)
        {
            bestRaw[p] = never.Raw(profiles[p]);
            bestThreshold[p] = double.PositiveInfinity;
        }

        var running = new RunningTally(candidates.WindowCount);
        for (var i = candidates.Scores.Length - 1; i >= 0;)
        {
            // Lower the threshold to the next distinct score: every row at that score starts detecting.
            var threshold = candidates.Scores[i];
            for (; i >= 0 && candidates.Scores[i] == threshold; i--)
            {
                var row = candidates.Order[i];
                running.Detect(candidates.Window[row], candidates.Credit[row]);
            }
            var tally = running.ToTally();
            for (var p = 0; p < profiles.Count; p++)
            {
                var raw = tally.Raw(profiles[p]);
                if (raw > bestRaw[p])
                {
                    bestRaw[p] = raw;
                    bestThreshold[p] = threshold;
                }
            }
        }

        var nullTally = NabScorer.NullTally(series);
        var perfectTally = NabScorer.PerfectTally(series);
        var results = new NabProfileResult[profiles.Count];
        for (var p = 0; p < profiles.Count; p++)
        {
            // Re-tally at the chosen threshold with the plain scorer, so the reported counts come from one definition.
            var tally = NabScorer.Tally(series, scores, bestThreshold[p]);
            var raw = tally.Raw(profiles[p]);
            results[p] = new NabProfileResult(profiles[p], bestThreshold[p], tally, raw,
                NabScorer.Normalise(raw, nullTally.Raw(profiles[p]), perfectTally.Raw(profiles[p])));
        }
        return results;
    }

    /// <summary>The scorable rows of the corpus: their scores sorted ascending (<see cref="Order"/> maps a sorted position
    /// to the row), each row's window (numbered across the corpus, −1 outside) and credit.</summary>
    private sealed record CandidateRows(double[] Scores, int[] Order, int[] Window, double[] Credit, int WindowCount);

    private static CandidateRows Candidates(IReadOnlyList<NabRowCredits> series, IReadOnlyList<double[]> scores)
    {
        var count = 0;
        for (var s = 0; s < series.Count; s++)
        {
            if (scores[s].Length != series[s].Length)
            {
                throw new ArgumentException($"series {s}: {scores[s].Length} scores for {series[s].Length} rows", nameof(scores));
            }
            for (var row = series[s].ProbationLength; row < series[s].Length; row++)
            {
                count += double.IsNaN(scores[s][row]) ? 0 : 1;
            }
        }
        var keys = new double[count];
        var order = new int[count];
        var window = new int[count];
        var credit = new double[count];
        var next = 0;
        var windowOffset = 0;
        for (var s = 0; s < series.Count; s++)
        {
            var rows = series[s];
            for (var row = rows.ProbationLength; row < rows.Length; row++)
            {
                if (double.IsNaN(scores[s][row]))
                {
                    continue;
                }
                keys[next] = scores[s][row];
                order[next] = next;
                window[next] = rows.WindowOfRow[row] < 0 ? -1 : windowOffset + rows.WindowOfRow[row];
                credit[next] = rows.Credit[row];
                next++;
            }
            windowOffset += rows.WindowCount;
        }
        Array.Sort(keys, order);
        return new CandidateRows(keys, order, window, credit, windowOffset);
    }

    /// <summary>The tally while the threshold falls: a window's counted detection is its best credit so far (the earliest
    /// detecting row, since credit falls through a window).</summary>
    private sealed class RunningTally(int corpusWindows)
    {
        private readonly double[] _bestCredit = new double[corpusWindows];
        private readonly bool[] _detected = new bool[corpusWindows];
        private double _truePositiveCredit;
        private double _falsePositiveCredit;
        private int _detectedWindows;
        private int _falsePositives;

        public void Detect(int window, double credit)
        {
            if (window < 0)
            {
                _falsePositiveCredit += credit;
                _falsePositives++;
            }
            else if (!_detected[window])
            {
                _detected[window] = true;
                _bestCredit[window] = credit;
                _truePositiveCredit += credit;
                _detectedWindows++;
            }
            else if (credit > _bestCredit[window])
            {
                _truePositiveCredit += credit - _bestCredit[window];
                _bestCredit[window] = credit;
            }
        }

        public NabTally ToTally() =>
            new(_truePositiveCredit, _falsePositiveCredit, _detectedWindows, corpusWindows - _detectedWindows, _falsePositives);
    }
}
