namespace AnalyticsHub.Server.Configuration;

/// <summary><c>Hub:Ingest</c>: validation, normalization and admission rules.</summary>
public sealed class IngestOptions
{
    /// <summary>Oldest accepted event timestamp, in hours before now.</summary>
    public double TimestampMaxAgeHours { get; set; } = 7 * 24;

    /// <summary>Furthest accepted event timestamp, in minutes after now.</summary>
    public double TimestampMaxFutureMinutes { get; set; } = 60;

    /// <summary>The newest schema major version; the two before it are accepted too.</summary>
    public int SchemaCurrentMajor { get; set; } = 1;

    /// <summary>Seconds added to each module's timestamps (key: module, e.g. <c>llm-sentinel</c>).</summary>
    public Dictionary<string, double> ClockSkewSeconds { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>US dollars per unit of each other currency (ISO 4217 code → rate).</summary>
    public Dictionary<string, double> ExchangeRates { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>How long a repeated event_id is recognised as a duplicate.</summary>
    public double DuplicateWindowSeconds { get; set; } = 300;

    /// <summary>Most event ids the duplicate window remembers (about 40 bytes each).</summary>
    public int DuplicateWindowMaxEntries { get; set; } = 4_000_000;

    /// <summary>Most producers whose recent batch acknowledgements are kept for idempotent retries.</summary>
    public int MaxProducers { get; set; } = 100_000;

    /// <summary>Recent acknowledgements kept per producer.</summary>
    public int AcksPerProducer { get; set; } = 256;

    /// <summary>Most events one batch may carry; a larger batch is refused whole (INVALID_ARGUMENT).</summary>
    public int MaxEventsPerBatch { get; set; } = 20_000;

    /// <summary>Batches a stream may have appended but not yet acknowledged; beyond it the stream stops reading.</summary>
    public int MaxInFlightBatchesPerStream { get; set; } = 64;

    /// <summary>Share of rejected events (over <see cref="DeadLetterRateWindowSeconds"/>) above which a warning is logged.</summary>
    public double DeadLetterRateWarning { get; set; } = 0.05;

    public double DeadLetterRateWindowSeconds { get; set; } = 10;

    /// <summary>Bound of the dead-letter store; the oldest letters are evicted beyond it.</summary>
    public long DeadLetterMaxBytes { get; set; } = 256L << 20;

    public long DeadLetterMaxEntries { get; set; } = 1_000_000;
}

/// <summary><c>Hub:Ingest:RateLimit</c>: the per-asset rate limit (off by default).</summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; }

    public double EventsPerSecond { get; set; } = 1_000;

    /// <summary>Burst size in events; 0 means one second's worth.</summary>
    public double Burst { get; set; }

    public int MaxTrackedAssets { get; set; } = 100_000;
}

/// <summary><c>Hub:Wal</c>: the write-ahead log under <c>Hub:DataDir/wal</c>.</summary>
public sealed class WalSettings
{
    /// <summary>Longest an append waits for its group commit.</summary>
    public double CommitIntervalMs { get; set; } = 2;

    /// <summary>Bytes appended that trigger a commit before the interval ends.</summary>
    public long CommitBytes { get; set; } = 1L << 20;

    /// <summary>Log bytes not yet drained to the store above which producers are pushed back.</summary>
    public long MaxBacklogBytes { get; set; } = 4L << 30;

    /// <summary>Log segment file size as a power of two.</summary>
    public int SegmentSizeBits { get; set; } = 28;

    /// <summary>In-memory log buffer as a power of two (bytes).</summary>
    public int MemorySizeBits { get; set; } = 26;

    /// <summary>Log page size as a power of two; one WAL record (one batch) must fit a page.</summary>
    public int PageSizeBits { get; set; } = 23;

    /// <summary>Write log segments with O_DIRECT on Linux (no page-cache copy; falls back by itself where unsupported).</summary>
    public bool DirectIo { get; set; } = true;
}
