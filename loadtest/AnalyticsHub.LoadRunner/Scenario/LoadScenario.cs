namespace AnalyticsHub.LoadRunner.Scenario;

/// <summary>What to run: the command line (and scenario file) after parsing and checking.</summary>
public sealed record LoadScenario
{
    public string Target { get; init; } = "http://127.0.0.1:50051";

    public LoadMode Mode { get; init; } = LoadMode.GrpcStream;

    /// <summary>HTTP/2 connections: one GrpcChannel (or HttpClient for REST) each.</summary>
    public int Connections { get; init; } = 2;

    /// <summary>Senders per connection: a stream (grpc-stream) or a producer of concurrent calls.</summary>
    public int Streams { get; init; } = 4;

    /// <summary>Events per batch.</summary>
    public int Batch { get; init; } = 1000;

    /// <summary>Unacknowledged batches per sender.</summary>
    public int Inflight { get; init; } = 8;

    /// <summary>Measured (steady-state) time, after the warmup.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Target events/s over all senders; 0 sends as fast as acks allow.</summary>
    public double Rate { get; init; }

    /// <summary>
    /// Ramp: the offered rate starts here (warmup included) and moves linearly to <see cref="Rate"/>
    /// over the measured seconds; 0: no ramp.
    /// </summary>
    public double RampFrom { get; init; }

    public EventMix Mix { get; init; } = EventMix.Default;

    /// <summary>Directory for report.md and report.json; null writes none.</summary>
    public string? ReportDirectory { get; init; }

    /// <summary>Least acceptable median steady-state events/s; null: no threshold.</summary>
    public double? MinRate { get; init; }

    /// <summary>Largest acceptable steady-state p99 ack latency in ms; null: no threshold.</summary>
    public double? MaxP99Ms { get; init; }

    /// <summary>Largest acceptable number of failed batches (queries) over the run; null: no threshold.</summary>
    public long? MaxErrors { get; init; }

    /// <summary>The hub's Prometheus endpoint, scraped before and after the run; null: not scraped.</summary>
    public string? MetricsUrl { get; init; }

    public string RestUrl { get; init; } = "http://127.0.0.1:8080/api/v1/events";

    /// <summary>REST over HTTP/2 with prior knowledge (h2c) instead of HTTP/1.1.</summary>
    public bool RestHttp2 { get; init; }

    /// <summary>Seed of the template contents (values, order of kinds), not of the event ids.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>How long, after the run, outstanding batches may take to be acknowledged.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Plain progress lines even on a terminal.</summary>
    public bool Plain { get; init; }

    /// <summary>Event times drawn uniformly from this window before now; zero: every event is "now".</summary>
    public TimeSpan TimeSpread { get; init; }

    /// <summary>Distinct model names in the events (<see cref="Generation.ModelNames"/>).</summary>
    public int Models { get; init; } = Generation.ModelNames.Default;

    /// <summary>Query endpoint for <see cref="LoadMode.Query"/>.</summary>
    public string QueryUrl { get; init; } = "http://127.0.0.1:8080/api/v1/query";

    /// <summary>Query bodies (JSON files), asked in rotation.</summary>
    public IReadOnlyList<string> QueryFiles { get; init; } = [];

    /// <summary>Closed-loop query clients: each asks, reads the whole answer, asks again.</summary>
    public int Clients { get; init; } = 16;

    public bool IsRamp => RampFrom > 0;

    /// <summary>Senders over all connections.</summary>
    public int Senders => Connections * Streams;

    /// <summary>The mode as spelled on the command line.</summary>
    public string ModeName => ScenarioParser.ModeName(Mode);
}
