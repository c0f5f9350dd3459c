namespace AnalyticsHub.Server.Configuration;

/// <summary>
/// The <c>Hub</c> configuration section (appsettings.json, then <c>Hub__X__Y</c> environment
/// variables, then <c>--Hub:X:Y=value</c> arguments).
/// </summary>
public sealed class HubOptions
{
    public const string SectionName = "Hub";

    /// <summary>Where the hub keeps its WAL, dead letters and embedded store.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>Address the ports bind to: 0.0.0.0 (all IPv4), ::, or 127.0.0.1 for loopback only.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    public PortOptions Ports { get; set; } = new();

    public StorageOptions Storage { get; set; } = new();

    public ClickHouseOptions ClickHouse { get; set; } = new();

    public PostgresOptions Postgres { get; set; } = new();

    public TlsOptions Tls { get; set; } = new();

    public GrpcOptions Grpc { get; set; } = new();

    public IngestOptions Ingest { get; set; } = new();

    public WalSettings Wal { get; set; } = new();

    public RestOptions Rest { get; set; } = new();
}

/// <summary><c>Hub:Rest</c>: limits of JSON ingestion over HTTP and WebSocket.</summary>
public sealed class RestOptions
{
    /// <summary>Largest request body (or WebSocket message) in bytes; above it: 413 (or close 1009).</summary>
    public int MaxBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Most events per request (the seed's 1–1000); above it: 413.</summary>
    public int MaxEventsPerRequest { get; set; } = 1000;

    /// <summary>Seconds sent in Retry-After with a 429.</summary>
    public int RetryAfterSeconds { get; set; } = 1;
}

public sealed class PortOptions
{
    public int Grpc { get; set; } = 50051;

    public int Http { get; set; } = 8080;

    public int Metrics { get; set; } = 9090;
}

public sealed class StorageOptions
{
    /// <summary><c>embedded</c> (SQLite in DataDir), <c>clickhouse</c> or <c>postgres</c>.</summary>
    public string Kind { get; set; } = "embedded";
}

public sealed class ClickHouseOptions
{
    public string Url { get; set; } = "http://127.0.0.1:8123";

    public string Database { get; set; } = "analyticshub";
}

public sealed class PostgresOptions
{
    public string ConnectionString { get; set; } = "";
}

/// <summary>TLS for both ports: a PFX (with Password) or a PEM certificate with a PEM KeyPath.</summary>
public sealed class TlsOptions
{
    public string CertificatePath { get; set; } = "";

    public string KeyPath { get; set; } = "";

    public string Password { get; set; } = "";

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}

public sealed class GrpcOptions
{
    /// <summary>Largest request message; a batch must also fit one WAL record (4 MiB pages).</summary>
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Seconds in-flight calls get to finish after SIGTERM before they are answered UNAVAILABLE.</summary>
    public double ShutdownDrainSeconds { get; set; } = 5;
}
