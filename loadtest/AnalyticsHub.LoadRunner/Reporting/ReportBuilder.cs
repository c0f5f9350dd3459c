using AnalyticsHub.LoadRunner.Load;
using AnalyticsHub.LoadRunner.Metrics;
using AnalyticsHub.LoadRunner.Output;

namespace AnalyticsHub.LoadRunner.Reporting;

/// <summary>Turns a <see cref="RunResult"/> into a <see cref="RunReport"/>: statistics, thresholds, exit code.</summary>
internal static class ReportBuilder
{
    public static RunReport Build(RunResult result, string commandLine, MachineReport machine)
    {
        var s = result.Scenario;
        var steady = result.Intervals.Where(i => i.Phase == RunPhase.Steady).Select(i => i.EventsPerSecond).ToArray();
        var rate = RateStats(steady, result.BatchBytes / (double)s.Batch);
        var latency = LatencyStats(result.SteadyLatency);
        var queries = s.Mode == Scenario.LoadMode.Query;
        var ramp = s.IsRamp ? RampAnalysis.Analyze(s.RampFrom, s.Rate, result.Intervals) : null;
        var errors = result.Errors.Values.Sum();
        var thresholds = ThresholdEvaluator.Evaluate(s, rate, latency, ramp, errors);
        var exitCode = ThresholdEvaluator.ExitCode(thresholds, result.Totals.SteadyBatchesAcked);
        return new RunReport
        {
            RunId = result.RunId,
            StartedAt = result.StartedAt,
            ElapsedSeconds = Math.Round(result.Elapsed.TotalSeconds, 3),
            CommandLine = commandLine,
            Interrupted = result.Interrupted,
            Scenario = queries ? QueryScenario(result) : new ScenarioReport
            {
                Mode = s.ModeName,
                Target = s.Mode == Scenario.LoadMode.Rest ? s.RestUrl + Http(s.RestHttp2) : s.Target,
                Connections = s.Connections,
                Streams = s.Streams,
                Batch = s.Batch,
                Inflight = s.Inflight,
                WarmupSeconds = Math.Ceiling(s.Warmup.TotalSeconds),
                DurationSeconds = Math.Ceiling(s.Duration.TotalSeconds),
                TargetRate = s.Rate,
                Mix = s.Mix.ToString(),
                BatchBytes = result.BatchBytes,
                BytesPerEvent = Math.Round(result.BatchBytes / (double)s.Batch, 1),
                TimeSpreadHours = Math.Round(s.TimeSpread.TotalHours, 3),
                Models = s.Models,
            },
            Machine = machine,
            Rate = rate,
            Latency = latency,
            Totals = new TotalsReport
            {
                BatchesSent = result.Totals.BatchesSent,
                BatchesAcked = result.Totals.BatchesAcked,
                BatchesFailed = result.Totals.BatchesFailed,
                EventsSent = result.Totals.EventsSent,
                EventsAcked = result.Totals.EventsAcked,
                Accepted = result.Totals.Accepted,
                Rejected = result.Totals.Rejected,
                Duplicates = result.Totals.Duplicates,
            },
            Client = new ClientReport
            {
                CpuPercent = Math.Round(result.SteadyClientCpuPercent, 1),
                AllocatedBytesPerBatch = Math.Round(result.SteadyAllocatedBytesPerBatch),
            },
            Errors = Counts(result.Errors),
            Rejections = Counts(result.RejectionCodes),
            Seconds = [.. result.Intervals.Select(Interval)],
            Thresholds = thresholds,
            Query = queries ? QueryStats(result) : null,
            Ramp = ramp,
            Passed = exitCode == ExitCodes.Passed,
            ExitCode = exitCode,
        };
    }

    private static string Http(bool http2) => http2 ? " (h2c)" : " (HTTP/1.1)";

    /// <summary>Query mode: one "batch" is one query, the senders are the clients.</summary>
    private static ScenarioReport QueryScenario(RunResult result)
    {
        var s = result.Scenario;
        return new ScenarioReport
        {
            Mode = s.ModeName,
            Target = s.QueryUrl + Http(s.RestHttp2),
            Connections = s.RestHttp2 ? 1 : s.Clients,
            Streams = s.Clients,
            Batch = 1,
            Inflight = 1,
            WarmupSeconds = Math.Ceiling(s.Warmup.TotalSeconds),
            DurationSeconds = Math.Ceiling(s.Duration.TotalSeconds),
            TargetRate = s.Rate,
            Mix = string.Join(',', s.QueryFiles.Select(Path.GetFileName)),
            BatchBytes = result.BatchBytes,
            BytesPerEvent = result.BatchBytes,
        };
    }

    public static QueryReport QueryStats(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var s = result.Scenario;
        var q = result.Queries;
        var withMeta = q is null ? 0 : q.Answers - q.WithoutMeta;
        return new QueryReport
        {
            Url = s.QueryUrl + Http(s.RestHttp2),
            Clients = s.Clients,
            Files = s.QueryFiles,
            BodyBytes = result.BatchBytes,
            Answers = q?.Answers ?? 0,
            Cached = q?.Cached ?? 0,
            CachedShare = withMeta > 0 ? Math.Round((double)q!.Cached / withMeta, 4) : 0,
            WithoutMeta = q?.WithoutMeta ?? 0,
            Sources = q is null ? [] : Counts(q.Sources),
            ServerTime = q is null ? new LatencyReport() : LatencyStats(q.ServerNanos),
            Overhead = q is null ? new LatencyReport() : LatencyStats(q.OverheadNanos),
            MeanResponseBytes = q is null ? 0 : Math.Round(q.ResponseBytes.Mean),
            MaxResponseBytes = q?.ResponseBytes.Max ?? 0,
            MeanRows = withMeta > 0 ? Math.Round((double)q!.Rows / withMeta, 1) : 0,
        };
    }

    /// <summary>Median, mean, min and max of the per-second rates.</summary>
    public static RateReport RateStats(IReadOnlyList<double> perSecond, double bytesPerEvent)
    {
        ArgumentNullException.ThrowIfNull(perSecond);
        if (perSecond.Count == 0)
        {
            return new RateReport();
        }

        var sorted = perSecond.Order().ToArray();
        var mid = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        var mean = sorted.Average();
        return new RateReport
        {
            SteadySeconds = sorted.Length,
            MedianEventsPerSecond = Math.Round(median),
            MeanEventsPerSecond = Math.Round(mean),
            MinEventsPerSecond = Math.Round(sorted[0]),
            MaxEventsPerSecond = Math.Round(sorted[^1]),
            MeanMegabytesPerSecond = Math.Round(mean * bytesPerEvent / 1e6, 1),
        };
    }

    public static LatencyReport LatencyStats(LogLinearHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return new LatencyReport
        {
            Batches = histogram.Count,
            P50Ms = Ms(histogram.ValueAtPercentile(50)),
            P95Ms = Ms(histogram.ValueAtPercentile(95)),
            P99Ms = Ms(histogram.ValueAtPercentile(99)),
            P999Ms = Ms(histogram.ValueAtPercentile(99.9)),
            MaxMs = Ms(histogram.Max),
            MeanMs = Math.Round(histogram.Mean / 1e6, 3),
        };
    }

    private static IntervalReport Interval(IntervalSample i) => new()
    {
        Second = i.Index + 1,
        Phase = ProgressFormat.Phase(i.Phase),
        DurationSeconds = Math.Round(i.Seconds, 3),
        Events = i.EventsAcked,
        EventsPerSecond = Math.Round(i.EventsPerSecond),
        Batches = i.Batches,
        OfferedPerSecond = Math.Round(i.OfferedPerSecond),
        P50Ms = Ms(i.LatencyP50Nanos),
        P95Ms = Ms(i.LatencyP95Nanos),
        P99Ms = Ms(i.LatencyP99Nanos),
        MaxMs = Ms(i.LatencyMaxNanos),
        Errors = i.Errors,
        ClientCpuPercent = Math.Round(i.ClientCpuPercent, 1),
        Cached = i.Cached,
    };

    private static List<CountReport> Counts(IReadOnlyDictionary<string, long> counts) =>
        [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => new CountReport(c.Key, c.Value))];

    private static double Ms(long nanos) => Math.Round(nanos / 1e6, 3);
}
