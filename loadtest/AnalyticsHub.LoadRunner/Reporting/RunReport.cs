namespace AnalyticsHub.LoadRunner.Reporting;

/// <summary>
/// A run as written to report.json (snake_case keys) and report.md. Rates and latencies are over
/// the steady-state seconds (warmup excluded); totals cover the whole run, warmup and drain included.
/// </summary>
public sealed record RunReport
{
    public string Tool { get; init; } = "AnalyticsHub.LoadRunner";

    public string RunId { get; init; } = "";

    public DateTimeOffset StartedAt { get; init; }

    public double ElapsedSeconds { get; init; }

    public string CommandLine { get; init; } = "";

    public bool Interrupted { get; init; }

    public ScenarioReport Scenario { get; init; } = new();

    public MachineReport Machine { get; init; } = new();

    public RateReport Rate { get; init; } = new();

    public LatencyReport Latency { get; init; } = new();

    public TotalsReport Totals { get; init; } = new();

    public ClientReport Client { get; init; } = new();

    public IReadOnlyList<CountReport> Errors { get; init; } = [];

    public IReadOnlyList<CountReport> Rejections { get; init; } = [];

    public IReadOnlyList<IntervalReport> Seconds { get; init; } = [];

    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];

    /// <summary>Query mode only (null for the ingestion modes): what the answers said about themselves.</summary>
    public QueryReport? Query { get; init; }

    /// <summary>A ramp's result (null for other runs).</summary>
    public RampReport? Ramp { get; init; }

    /// <summary>The hub's <c>/metrics</c> before and after the run (null when no metrics URL was given).</summary>
    public ServerMetricsReport? Server { get; init; }

    public bool Passed { get; init; }

    public int ExitCode { get; init; }
}

public sealed record ScenarioReport
{
    public string Mode { get; init; } = "";

    public string Target { get; init; } = "";

    public int Connections { get; init; }

    public int Streams { get; init; }

    public int Batch { get; init; }

    public int Inflight { get; init; }

    public double WarmupSeconds { get; init; }

    public double DurationSeconds { get; init; }

    public double TargetRate { get; init; }

    public string Mix { get; init; } = "";

    /// <summary>Encoded size of one batch (protobuf without the sequence, or the JSON body).</summary>
    public int BatchBytes { get; init; }

    public double BytesPerEvent { get; init; }

    /// <summary>Window before now that event times were drawn from (0: all "now").</summary>
    public double TimeSpreadHours { get; init; }

    /// <summary>Distinct model names in the events.</summary>
    public int Models { get; init; }
}

public sealed record MachineReport
{
    public int Cores { get; init; }

    public string CpuModel { get; init; } = "";

    public string Os { get; init; } = "";

    public string Runtime { get; init; } = "";

    public string Host { get; init; } = "";

    /// <summary>/proc/loadavg's 1, 5 and 15 minute load averages when the report was made ("" elsewhere).</summary>
    public string LoadAverage { get; init; } = "";
}

/// <summary>Acknowledged events per second over the steady-state seconds.</summary>
public sealed record RateReport
{
    public int SteadySeconds { get; init; }

    public double MedianEventsPerSecond { get; init; }

    public double MeanEventsPerSecond { get; init; }

    public double MinEventsPerSecond { get; init; }

    public double MaxEventsPerSecond { get; init; }

    /// <summary>Request payload MB/s (10^6 bytes) at the mean rate.</summary>
    public double MeanMegabytesPerSecond { get; init; }
}

/// <summary>Batch ack latency (write to ack) over the steady state, in milliseconds.</summary>
public sealed record LatencyReport
{
    public long Batches { get; init; }

    public double P50Ms { get; init; }

    public double P95Ms { get; init; }

    public double P99Ms { get; init; }

    public double P999Ms { get; init; }

    public double MaxMs { get; init; }

    public double MeanMs { get; init; }
}

public sealed record TotalsReport
{
    public long BatchesSent { get; init; }

    public long BatchesAcked { get; init; }

    public long BatchesFailed { get; init; }

    public long EventsSent { get; init; }

    public long EventsAcked { get; init; }

    public long Accepted { get; init; }

    public long Rejected { get; init; }

    public long Duplicates { get; init; }
}

/// <summary>What the generator itself cost over the steady state.</summary>
public sealed record ClientReport
{
    /// <summary>CPU time of this process, in % of one core.</summary>
    public double CpuPercent { get; init; }

    public double AllocatedBytesPerBatch { get; init; }
}

public sealed record CountReport(string Kind, long Count);

public sealed record IntervalReport
{
    public int Second { get; init; }

    public string Phase { get; init; } = "";

    /// <summary>Wall-clock length of the interval (1 s, except the drain after the run).</summary>
    public double DurationSeconds { get; init; }

    public long Events { get; init; }

    public double EventsPerSecond { get; init; }

    public long Batches { get; init; }

    /// <summary>The rate offered in the second (0: closed loop).</summary>
    public double OfferedPerSecond { get; init; }

    public double P50Ms { get; init; }

    public double P95Ms { get; init; }

    public double P99Ms { get; init; }

    public double MaxMs { get; init; }

    public long Errors { get; init; }

    public double ClientCpuPercent { get; init; }

    /// <summary>Query mode: answers of the second served from the hub's result cache.</summary>
    public long Cached { get; init; }
}

/// <summary>
/// A ramp: the offered rate moved from <see cref="FromPerSecond"/> to <see cref="ToPerSecond"/>;
/// <see cref="SustainedPerSecond"/> is the highest offered rate the hub kept up with — every
/// measured second up to it achieved at least <see cref="KeepUpRatio"/> of the offered rate
/// (a 3-second running median, so one slow second does not end the ramp).
/// </summary>
public sealed record RampReport
{
    public double FromPerSecond { get; init; }

    public double ToPerSecond { get; init; }

    public double SustainedPerSecond { get; init; }

    /// <summary>The measured second (1-based) after which the hub fell behind; 0 if it kept up to the end.</summary>
    public int FellBehindAtSecond { get; init; }

    public double KeepUpRatio { get; init; }

    /// <summary>Ack latency p99 of the last second kept up with (ms).</summary>
    public double P99MsAtSustained { get; init; }
}

public sealed record ThresholdResult(string Name, double Limit, double Actual, bool Passed);

/// <summary>
/// Query mode: the answers' own <c>meta</c> over the steady state — cache hits, sources, the
/// server's execution time — next to the client's latency in <see cref="RunReport.Latency"/>.
/// </summary>
public sealed record QueryReport
{
    public string Url { get; init; } = "";

    public int Clients { get; init; }

    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Size of the first query body.</summary>
    public int BodyBytes { get; init; }

    /// <summary>2xx answers in the steady state.</summary>
    public long Answers { get; init; }

    /// <summary>Answers with <c>meta.cached</c> true.</summary>
    public long Cached { get; init; }

    /// <summary>Cached ÷ answers (0–1).</summary>
    public double CachedShare { get; init; }

    /// <summary>Answers whose body had no readable <c>meta</c> (not counted below).</summary>
    public long WithoutMeta { get; init; }

    /// <summary>Answers by <c>meta.source</c> (<c>rollup</c>, <c>store</c>).</summary>
    public IReadOnlyList<CountReport> Sources { get; init; } = [];

    /// <summary><c>meta.execution_time_ms</c>: the hub's time inside its query executor.</summary>
    public LatencyReport ServerTime { get; init; } = new();

    /// <summary>Client latency − server time per answer: validation, JSON writing, transfer and reading.</summary>
    public LatencyReport Overhead { get; init; } = new();

    public double MeanResponseBytes { get; init; }

    public double MaxResponseBytes { get; init; }

    /// <summary>Mean <c>meta.row_count</c>.</summary>
    public double MeanRows { get; init; }
}
