namespace AnalyticsHub.Storage.Stores.Postgres;

/// <summary>Settings of a <see cref="PostgresEventStore"/> (<c>Hub:Storage:Kind=postgres</c>).</summary>
public sealed record PostgresStoreOptions
{
    /// <summary>An Npgsql connection string (<c>Hub:Postgres:ConnectionString</c>), e.g.
    /// <c>Host=db;Port=5432;Username=hub;Password=…;Database=analytics</c>. The timeouts below
    /// override the ones it names.</summary>
    public required string ConnectionString { get; init; }

    /// <summary>This hub's node id: stored on every row and keying its row in <c>drain_checkpoints</c>,
    /// so several hubs can share one database.</summary>
    public required string NodeId { get; init; }

    /// <summary>Longest wait for one statement or one COPY (default 30 s); past it the write fails as unavailable.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a new connection (default 5 s), so an unreachable server is reported quickly.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait of <see cref="PostgresEventStore.ProbeAsync"/> (default 2 s).</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long DDL (a new partition, dropping an old one) waits for its table lock before
    /// giving up (default 5 s), so it never queues long behind a slow query and stalls readers.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Days of events the deployment keeps (default 30; <c>null</c> keeps everything). The host
    /// applies it through <see cref="IEventStore.DeleteOlderThanAsync"/> with
    /// <see cref="RetentionCutoff"/>; the store itself creates no partition for a day already past
    /// it (such rows go to the default partition, which retention cleans with DELETE).
    /// </summary>
    public int? RetentionDays { get; init; } = 30;

    /// <summary>Width of one partition (or TimescaleDB chunk), aligned to the Unix epoch (default 1 day).
    /// A whole number of hours.</summary>
    public TimeSpan PartitionInterval { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Partitions kept created ahead of the current one (default 2: today+1 and today+2,
    /// besides today and today−1).</summary>
    public int PartitionsAhead { get; init; } = 2;

    /// <summary>At most this many partitions are created for rows of one write (default 32); rows of
    /// further new days go to the default partition, so a batch of wild timestamps cannot create thousands.</summary>
    public int MaxNewPartitionsPerWrite { get; init; } = 32;

    /// <summary>Column type of <c>tags</c> and <c>payload</c> when the store creates the table
    /// (default <see cref="PostgresJsonType.Jsonb"/>). An existing table keeps its type; writes adapt to it.</summary>
    public PostgresJsonType JsonType { get; init; } = PostgresJsonType.Jsonb;

    /// <summary>Also index (tenant_id, event_type, name, time) for searching events by type and name in
    /// the store (default false: it nearly doubles the server's CPU per stored row; see README). Turning it on
    /// later builds it on the next start, locking writes to <c>events</c> while it builds.</summary>
    public bool SearchIndex { get; init; }

    /// <summary>Use TimescaleDB (hypertable, compression) when the server offers the extension and
    /// the table does not exist yet (default true).</summary>
    public bool UseTimescaleDb { get; init; } = true;

    /// <summary>TimescaleDB only: chunks older than this are compressed by a background policy (default 2 days).</summary>
    public TimeSpan CompressAfter { get; init; } = TimeSpan.FromDays(2);

    /// <summary>The retention cutoff at <paramref name="now"/>, or <c>null</c> when events are kept forever.</summary>
    public DateTimeOffset? RetentionCutoff(DateTimeOffset now) => RetentionDays is int days ? now.AddDays(-days) : null;

    internal long PartitionMicros => PartitionInterval.Ticks / TimeSpan.TicksPerMicrosecond;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ConnectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(NodeId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CommandTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ConnectTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ProbeTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(LockTimeout, TimeSpan.Zero);
        if (RetentionDays is int days)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(days, 1, nameof(RetentionDays));
        }

        if (PartitionInterval < TimeSpan.FromHours(1) || PartitionInterval.Ticks % TimeSpan.TicksPerHour != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PartitionInterval), PartitionInterval, "must be a whole number of hours, at least one");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(PartitionsAhead);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxNewPartitionsPerWrite);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CompressAfter, TimeSpan.Zero);
    }
}

/// <summary>How <c>tags</c> and <c>payload</c> are stored: <c>jsonb</c> (parsed, indexable, checked on
/// write) or <c>json</c> (the text as given, checked on write, parsed on every read).</summary>
public enum PostgresJsonType
{
    Jsonb,
    Json,
}

/// <summary>How the <c>events</c> table is laid out, as found or created by <see cref="PostgresEventStore.InitializeAsync"/>.</summary>
public enum PostgresEventsLayout
{
    /// <summary>Not initialized yet.</summary>
    Unknown,

    /// <summary><c>PARTITION BY RANGE (time)</c> with one partition per <see cref="PostgresStoreOptions.PartitionInterval"/> and a default partition.</summary>
    Partitioned,

    /// <summary>A TimescaleDB hypertable with chunks of <see cref="PostgresStoreOptions.PartitionInterval"/>, compressed after <see cref="PostgresStoreOptions.CompressAfter"/>.</summary>
    Hypertable,

    /// <summary>An ordinary table someone else created: written as is, retention by DELETE.</summary>
    Plain,
}
