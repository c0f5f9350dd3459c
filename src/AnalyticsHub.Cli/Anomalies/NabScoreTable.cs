using System.Globalization;
using AnalyticsHub.Analytics.Anomalies.Nab;

namespace AnalyticsHub.Cli.Anomalies;

/// <summary>Prints evaluate-nab's results: one row per detector (normalised score per profile, throughput, bytes per
/// series), then per detector and profile the chosen threshold, the raw score and the detection counts.</summary>
internal static class NabScoreTable
{
    public static void Print(TextWriter output, NabCorpus corpus, IReadOnlyList<DetectorRun> runs, int threads)
    {
        var profiles = corpus.Profiles;
        var points = corpus.Series.Sum(s => (long)s.Values.Length);
        var windows = corpus.Series.Sum(s => s.Windows.Length);
        output.WriteLine(Invariant($"NAB: {corpus.Series.Count} files, {points} points, {windows} windows; normalised scores (null 0, perfect 100), one threshold per profile for all files"));
        output.WriteLine();
        output.WriteLine(Invariant($"{"detector",-20}") + string.Concat(profiles.Select(p => Invariant($"{ShortName(p),10}")))
            + Invariant($"{"pts/s/thread",14}{"pts/s wall",12}{"bytes/series",14}"));
        foreach (var run in runs)
        {
            output.WriteLine(Invariant($"{run.Name,-20}") + string.Concat(run.Results.Select(r => Invariant($"{r.NormalisedScore,10:0.0}")))
                + Invariant($"{run.Cost.Points / run.Cost.SeriesTime.TotalSeconds,14:N0}{run.Cost.Points / run.Cost.WallTime.TotalSeconds,12:N0}{run.Cost.MeanBytesPerSeries,14:N0}"));
        }
        output.WriteLine();
        output.WriteLine(Invariant($"{"detector",-20}{"profile",-20}{"threshold",12}{"raw",10}{"TP",6}{"FN",6}{"FP",7}"));
        foreach (var run in runs)
        {
            foreach (var result in run.Results)
            {
                var tally = result.Tally;
                output.WriteLine(Invariant($"{run.Name,-20}{result.Profile.Name,-20}{Threshold(result.Threshold),12}{result.RawScore,10:0.00}")
                    + Invariant($"{tally.DetectedWindows,6}{tally.MissedWindows,6}{tally.FalsePositives,7}"));
            }
        }
        output.WriteLine();
        output.WriteLine(Invariant($"{threads} thread(s); pts/s/thread = points / time inside series; bytes/series = mean allocated over one instance's lifetime"));
    }

    private static string ShortName(NabProfile profile) => profile.Name switch
    {
        "reward_low_FP_rate" => "low-FP",
        "reward_low_FN_rate" => "low-FN",
        var name => name,
    };

    private static string Threshold(double threshold) =>
        double.IsPositiveInfinity(threshold) ? "never" : threshold.ToString("G10", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
