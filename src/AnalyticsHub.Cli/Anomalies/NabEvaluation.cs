using System.Diagnostics;
using AnalyticsHub.Analytics.Anomalies;
using AnalyticsHub.Analytics.Anomalies.Nab;

namespace AnalyticsHub.Cli.Anomalies;

/// <summary>The options of evaluate-nab: the NAB folder, the detector names (or "all") and the series run at once.</summary>
internal sealed record NabEvaluationArguments(string DataDirectory, string Detectors, int Threads);

/// <summary>One detector's run over the corpus: its result per profile, and what the run cost.</summary>
internal sealed record DetectorRun(string Name, NabProfileResult[] Results, RunCost Cost);

/// <summary>Cost of a run: points scored, the summed time spent inside series (one thread's view), the wall time, and
/// the bytes allocated over one detector instance's lifetime (its state plus any per-point garbage), mean and max.</summary>
internal readonly record struct RunCost(long Points, TimeSpan SeriesTime, TimeSpan WallTime, double MeanBytesPerSeries, long MaxBytesPerSeries);

/// <summary>Scores detectors on a NAB corpus: a fresh instance per file, all files of a detector scored together with
/// each profile's threshold swept over the whole corpus (<see cref="NabThresholdSweep"/>).</summary>
internal static class NabEvaluation
{
    public static int Run(NabEvaluationArguments arguments, TextWriter output)
    {
        if (arguments.Threads < 1)
        {
            throw new InputException($"--threads must be at least 1, got {arguments.Threads}");
        }
        var factories = Resolve(arguments.Detectors);
        var corpus = Load(arguments.DataDirectory);
        var credits = corpus.Series.Select(NabRowCredits.For).ToArray();
        var runs = factories.Select(d => Evaluate(d.Name, d.Factory, corpus, credits, arguments.Threads)).ToArray();
        NabScoreTable.Print(output, corpus, runs, arguments.Threads);
        return 0;
    }

    private static DetectorRun Evaluate(string name, Func<IAnomalyDetector> factory, NabCorpus corpus,
        NabRowCredits[] credits, int threads)
    {
        // A first, untimed pass lets the JIT reach its optimised tier, so the timed pass measures the detector.
        _ = RunSeries(factory, corpus.Series, threads);
        var wall = Stopwatch.StartNew();
        var runs = RunSeries(factory, corpus.Series, threads);
        wall.Stop();
        var results = NabThresholdSweep.Optimise(credits, [.. runs.Select(r => r.Scores)], corpus.Profiles);
        var cost = new RunCost(corpus.Series.Sum(s => (long)s.Values.Length), Stopwatch.GetElapsedTime(0, runs.Sum(r => r.Ticks)),
            wall.Elapsed, runs.Average(r => r.Bytes), runs.Max(r => r.Bytes));
        return new DetectorRun(name, results, cost);
    }

    /// <summary>Scores every series with a fresh instance, timing each and counting the bytes it allocates.</summary>
    private static SeriesRun[] RunSeries(Func<IAnomalyDetector> factory, IReadOnlyList<NabSeries> series, int threads)
    {
        var runs = new SeriesRun[series.Count];
        Parallel.For(0, series.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            var values = series[i].Values;
            var timestamps = series[i].TimestampsUnixSeconds;
            var scores = new double[values.Length];
            // One iteration runs on one thread, so the thread's allocation counter isolates this instance's lifetime.
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            var detector = factory();
            for (var row = 0; row < values.Length; row++)
            {
                scores[row] = detector.Observe(timestamps[row], values[row]).Score;
            }
            var ticks = Stopwatch.GetTimestamp() - start;
            var bytes = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            GC.KeepAlive(detector);
            runs[i] = new SeriesRun(scores, ticks, bytes);
        });
        return runs;
    }

    /// <summary>One series' scores, the Stopwatch ticks spent on it and the bytes allocated meanwhile.</summary>
    private readonly record struct SeriesRun(double[] Scores, long Ticks, long Bytes);

    private static (string Name, Func<IAnomalyDetector> Factory)[] Resolve(string detectors)
    {
        var names = string.Equals(detectors.Trim(), "all", StringComparison.OrdinalIgnoreCase)
            ? [.. AnomalyDetectorCatalog.Factories.Keys]
            : detectors.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            throw new InputException("--detector names no detector");
        }
        return [.. names.Select(n => (n, DetectorLookup.Factory(n)))];
    }

    private static NabCorpus Load(string directory)
    {
        try
        {
            var corpus = NabCorpus.Load(directory);
            return corpus.Series.Count > 0 && corpus.Profiles.Count > 0
                ? corpus
                : throw new InputException($"{directory}: no series or no profiles");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // The loader's messages name the file (and line) at fault.
            throw new InputException(e.Message);
        }
    }
}
