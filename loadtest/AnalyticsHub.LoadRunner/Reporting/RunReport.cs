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
}

public sealed record MachineReport
{
    public int Cores { get; init; }

    public string CpuModel { get; init; } = "";

    public string Os { get; init; } = "";

    public string Runtime { get; init; } = "";

    public string Host { get; init; } = "";
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

    public double P50Ms { get; init; }

    public double P99Ms { get; init; }

    public double MaxMs { get; init; }

    public long Errors { get; init; }

    public double ClientCpuPercent { get; init; }
}

public sealed record ThresholdResult(string Name, double Limit, double Actual, bool Passed);
