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

    public RollupSettings Rollups { get; set; } = new();

    public QuerySettings Query { get; set; } = new();

    public TracingOptions Tracing { get; set; } = new();
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

/// <summary><c>Hub:Storage</c>: which store holds accepted events and how the WAL drainer feeds it.</summary>
public sealed class StorageOptions
{
    /// <summary><c>embedded</c> (SQLite in DataDir), <c>clickhouse</c> or <c>postgres</c>.</summary>
    public string Kind { get; set; } = "embedded";

    /// <summary>Identifies this hub's log in a shared store (rows carry it); default: the machine name.</summary>
    public string NodeId { get; set; } = "";

    /// <summary>A drain batch is written when it holds this many events ...</summary>
    public int BatchRows { get; set; } = 10_000;

    /// <summary>... or this long after its first event arrived, whichever comes first.</summary>
    public int BatchIntervalMs { get; set; } = 1_000;

    /// <summary>Retry backoff after a failed write: starts here, doubles with jitter ...</summary>
    public int RetryInitialDelayMs { get; set; } = 200;

    /// <summary>... up to this.</summary>
    public int RetryMaxDelayMs { get; set; } = 30_000;

    /// <summary>Events older than this many days are removed from the store in the background (0 = keep forever).</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>
    /// Drained WAL records are kept this long before truncation, so a producer retrying a batch whose ack it lost
    /// in a crash is still recognised after a restart (the duplicate window is rebuilt from the WAL). Ignored
    /// while the backlog is above half its bound.
    /// </summary>
    public int WalRetainSeconds { get; set; } = 60;
}

/// <summary><c>Hub:ClickHouse</c>: the ClickHouse store (<c>Hub:Storage:Kind=clickhouse</c>), over its HTTP interface.</summary>
public sealed class ClickHouseOptions
{
    public string Url { get; set; } = "http://127.0.0.1:8123";

    public string Database { get; set; } = "analyticshub";

    /// <summary>Empty: the server's <c>default</c> user.</summary>
    public string User { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>A cluster of the servers' <c>remote_servers</c>: rows go through a Distributed table to per-shard tables. Empty: one server.</summary>
    public string Cluster { get; set; } = "";

    /// <summary>HTTP URLs of every cluster node, to run schema changes on each when there is no ZooKeeper for <c>ON CLUSTER</c>.</summary>
    public string[] ClusterNodeUrls { get; set; } = [];

    /// <summary>Per-shard tables as ReplicatedMergeTree (needs ZooKeeper and the shard/replica macros).</summary>
    public bool Replicated { get; set; }

    public int RequestTimeoutSeconds { get; set; } = 60;

    /// <summary>Gzip insert bodies; unset: on unless the server is on this host (loopback), where it only costs CPU.</summary>
    public bool? CompressRequests { get; set; }
}

/// <summary><c>Hub:Postgres</c>: the PostgreSQL/TimescaleDB store (<c>Hub:Storage:Kind=postgres</c>).</summary>
public sealed class PostgresOptions
{
    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Database=analyticshub;Username=hub;Password=…</c>.</summary>
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

/// <summary><c>Hub:Rollups</c>: in-memory windows, series cap and flushing of rollups (see <see cref="Core.Rollups.RollupOptions"/>).</summary>
public sealed class RollupSettings
{
    /// <summary>Off: no rollup worker (its WAL decoding and bucket updates cost CPU on the ingest box); every metric query runs as SQL on the store.</summary>
    public bool Enabled { get; set; } = true;

    public int SecondBuckets { get; set; } = 30;
    public int HotMinutes { get; set; } = 1500;
    public int HotHours { get; set; } = 193;
    public int HotDays { get; set; } = 8;
    public int GraceSeconds { get; set; } = 1;
    public int MaxSeriesPerTenant { get; set; } = 10_000;

    /// <summary>Series of all tenants together (each costs ~100 KB of columns plus up to a few KB of sketch per non-empty bucket).</summary>
    public int MaxSeries { get; set; } = 50_000;

    /// <summary>Extra tag keys that become series dimensions.</summary>
    public string[] Dimensions { get; set; } = [];

    /// <summary>How often changed buckets are written to the store with the WAL position they include.</summary>
    public int FlushIntervalMs { get; set; } = 5_000;

    /// <summary>Persisted 1 m rows are kept this many days (0: forever).</summary>
    public int MinuteRetentionDays { get; set; } = 30;

    /// <summary>Persisted 1 h rows are kept this many days (0: forever).</summary>
    public int HourRetentionDays { get; set; } = 400;

    /// <summary>Persisted 1 d rows are kept this many days (0: forever).</summary>
    public int DayRetentionDays { get; set; }
}

/// <summary><c>Hub:Query</c>: limits and the result cache.</summary>
public sealed class QuerySettings
{
    public int MaxRangeDays { get; set; } = 400;
    public int MaxPointsPerSeries { get; set; } = 10_080;
    public int DefaultLimit { get; set; } = 100;
    public int MaxLimit { get; set; } = 10_000;

    /// <summary>Results kept in the in-process cache (0 turns it off).</summary>
    public int CacheEntries { get; set; } = 1024;

    /// <summary>Memory the cache may hold, results and their rendered JSON together (0 turns it off).</summary>
    public int CacheMegabytes { get; set; } = 256;

    /// <summary>The newest seconds of event time, which live ingestion keeps filling: changes there do not evict a cached answer at once.</summary>
    public int LiveEdgeSeconds { get; set; } = 10;

    /// <summary>How long a cached answer may be served while only its live edge changed (it is refreshed in the background meanwhile); 0: exact answers only.</summary>
    public int LiveEdgeMaxLagMs { get; set; } = 1000;

    /// <summary>Whether a computation may extend a cached answer of the same question whose settled buckets have not changed (recomputing only its tail) instead of starting over.</summary>
    public bool ExtendAnswers { get; set; } = true;

    /// <summary>Store reads of persisted rollups (buckets out of memory) kept for reuse; 0 turns it off.</summary>
    public int StoreRowsCacheEntries { get; set; } = 64;

    /// <summary>Memory those reads may hold.</summary>
    public int StoreRowsCacheMegabytes { get; set; } = 256;

    /// <summary>Longest a store read is reused even when this hub logged no change to it (other hubs sharing the store, retention).</summary>
    public int StoreRowsCacheSeconds { get; set; } = 60;

    /// <summary>Most time a query may take before it is cancelled.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Rollup computations slower than this are logged with where their time went (0: every one).</summary>
    public int SlowComputationMs { get; set; } = 250;
}
