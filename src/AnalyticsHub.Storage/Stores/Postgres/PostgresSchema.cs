namespace AnalyticsHub.Storage.Stores.Postgres;

/// <summary>
/// The store's tables as SQL. <see cref="PostgresEventStore.InitializeAsync"/> inspects what
/// exists first and runs only the statements something is missing for (each also idempotent,
/// <c>IF NOT EXISTS</c>), so it may run on every start, on several nodes at once (they serialise
/// on an advisory lock), and as a role that may only read and write tables an operator created.
/// </summary>
/// <remarks>
/// <para><c>events</c> has a column per <see cref="Core.Storage.StoredEvent"/> field. Fixed-width
/// columns come first, widest first, so the row needs no alignment padding; text columns follow.
/// <c>time</c> is a <c>timestamptz</c> (microseconds) and <c>time_ns</c> keeps the nanoseconds
/// below it (0–999), likewise <c>received_at</c>/<c>received_ns</c>: nothing of the event's time is
/// lost. <c>event_id</c> is a <c>uuid</c> built from <c>IdHigh</c>/<c>IdLow</c> (its text is the
/// canonical form of the id the client sent; validation accepted it as a UUID, so the text column
/// of <c>StoredEvent.EventId</c> is not stored twice). Enums are <c>smallint</c> with the proto
/// numbers. Text a row does not carry is <c>''</c>, JSON it does not carry is <c>{}</c>: no NULLs,
/// so filters and group-bys need no <c>COALESCE</c>. Token counts are <c>bigint</c> (clamped at
/// 2^63−1).</para>
/// <para>Indexes are kept modest, so COPY stays fast: partitions (or chunks) prune by time first,
/// then one B-tree on (tenant_id, time) serves every tenant-scoped query, with source_module,
/// event_type, severity and name as filters on the rows it finds. A second B-tree on (tenant_id,
/// event_type, name, time) is optional (<see cref="PostgresStoreOptions.SearchIndex"/>): measured
/// here it nearly doubles the server's CPU per row, and metric queries by name are answered from
/// rollups, not from this table.</para>
/// </remarks>
internal static class PostgresSchema
{
    public const string EventsTable = "events";
    public const string DefaultPartition = "events_default";
    public const string CheckpointTable = "drain_checkpoints";

    /// <summary>Key of the advisory lock nodes take while changing the schema (any constant: "AHUBPGSC").</summary>
    public const long SchemaLockKey = 0x4148_5542_5047_5343;

    /// <summary>The COPY column list, in the order <see cref="PostgresEventStore"/> writes a row.</summary>
    public const string CopyColumns =
        "time, received_at, event_id, wal_address, value, input_tokens, output_tokens, wal_index, "
        + "time_ns, received_ns, source_module, event_type, severity, payload_kind, value_dimension, "
        + "tenant_id, node, schema_version, correlation_id, parent_event_id, environment, asset_id, name, unit, tags, payload";

    public const int ColumnCount = 26;

    public static string CreateEvents(PostgresJsonType json, bool partitioned)
    {
        string jsonType = json == PostgresJsonType.Json ? "json" : "jsonb";
        return $"""
            CREATE TABLE IF NOT EXISTS events (
                time            timestamptz      NOT NULL,
                received_at     timestamptz      NOT NULL,
                event_id        uuid             NOT NULL,
                wal_address     bigint           NOT NULL,
                value           double precision NOT NULL,
                input_tokens    bigint           NOT NULL,
                output_tokens   bigint           NOT NULL,
                wal_index       integer          NOT NULL,
                time_ns         smallint         NOT NULL,
                received_ns     smallint         NOT NULL,
                source_module   smallint         NOT NULL,
                event_type      smallint         NOT NULL,
                severity        smallint         NOT NULL,
                payload_kind    smallint         NOT NULL,
                value_dimension smallint         NOT NULL,
                tenant_id       text             NOT NULL,
                node            text             NOT NULL,
                schema_version  text             NOT NULL,
                correlation_id  text             NOT NULL,
                parent_event_id text             NOT NULL,
                environment     text             NOT NULL,
                asset_id        text             NOT NULL,
                name            text             NOT NULL,
                unit            text             NOT NULL,
                tags            {jsonType}       NOT NULL,
                payload         {jsonType}       NOT NULL
            ){(partitioned ? " PARTITION BY RANGE (time)" : "")}
            """;
    }

    public const string CreateDefaultPartition =
        "CREATE TABLE IF NOT EXISTS events_default PARTITION OF events DEFAULT";

    /// <summary>Every query names a tenant and nearly every one a time range: the one index always made.</summary>
    public const string CreateTenantTimeIndex = "CREATE INDEX IF NOT EXISTS events_tenant_time ON events (tenant_id, time)";

    /// <summary>
    /// Event search by correlation id (a trace's events): one range of this index instead of a walk
    /// over the tenant's time range. Partial — events without a correlation id cost nothing — so a
    /// query must say <c>correlation_id &lt;&gt; ''</c> for the planner to use it (SearchAsync does).
    /// </summary>
    public const string CreateCorrelationIndex =
        "CREATE INDEX IF NOT EXISTS events_tenant_correlation ON events (tenant_id, correlation_id, time) WHERE correlation_id <> ''";

    /// <summary>For searching events by type and measure name in the store (<see cref="PostgresStoreOptions.SearchIndex"/>).</summary>
    public const string CreateSearchIndex = "CREATE INDEX IF NOT EXISTS events_tenant_type_name_time ON events (tenant_id, event_type, name, time)";

    public const string CreateCheckpoints = """
        CREATE TABLE IF NOT EXISTS drain_checkpoints (
            node        text        PRIMARY KEY,
            wal_address bigint      NOT NULL,
            wal_index   integer     NOT NULL,
            updated_at  timestamptz NOT NULL DEFAULT now()
        )
        """;

    public const string UpsertCheckpoint = """
        INSERT INTO drain_checkpoints (node, wal_address, wal_index, updated_at)
        VALUES ($1, $2, $3, now())
        ON CONFLICT (node) DO UPDATE
        SET wal_address = EXCLUDED.wal_address, wal_index = EXCLUDED.wal_index, updated_at = EXCLUDED.updated_at
        """;

    public const string ReadCheckpoint = "SELECT wal_address, wal_index FROM drain_checkpoints WHERE node = $1";

    /// <summary>What the server offers and what already exists (one round trip).</summary>
    public const string Inspect = """
        SELECT current_setting('server_version_num')::int,
               current_setting('server_version'),
               EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'),
               (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'),
               (SELECT relkind::text FROM pg_class WHERE oid = to_regclass('events')),
               (SELECT format_type(atttypid, atttypmod) FROM pg_attribute
                 WHERE attrelid = to_regclass('events') AND attname = 'payload' AND NOT attisdropped),
               to_regclass('events_default') IS NOT NULL,
               to_regclass('events_tenant_time') IS NOT NULL,
               to_regclass('events_tenant_type_name_time') IS NOT NULL,
               to_regclass('drain_checkpoints') IS NOT NULL,
               to_regclass('events_tenant_correlation') IS NOT NULL
        """;

    /// <summary>Whether TimescaleDB knows <c>events</c> as a hypertable (only run when the extension is installed).</summary>
    public const string IsHypertable = """
        SELECT EXISTS (SELECT 1 FROM timescaledb_information.hypertables
                       WHERE hypertable_name = 'events' AND hypertable_schema = current_schema())
        """;

    public static string CreateHypertable(long intervalMicros) =>
        $"SELECT create_hypertable('events', 'time', chunk_time_interval => INTERVAL '{intervalMicros} microseconds', "
        + "if_not_exists => TRUE, create_default_indexes => FALSE)";

    public const string CompressionEnabled = """
        SELECT coalesce((SELECT compression_enabled FROM timescaledb_information.hypertables
                         WHERE hypertable_name = 'events' AND hypertable_schema = current_schema()), false)
        """;

    public const string HasCompressionPolicy = """
        SELECT EXISTS (SELECT 1 FROM timescaledb_information.jobs
                       WHERE proc_name = 'policy_compression' AND hypertable_name = 'events' AND hypertable_schema = current_schema())
        """;

    public const string EnableCompression =
        "ALTER TABLE events SET (timescaledb.compress, timescaledb.compress_segmentby = 'tenant_id, source_module', "
        + "timescaledb.compress_orderby = 'time DESC')";

    public static string AddCompressionPolicy(TimeSpan after) =>
        $"SELECT add_compression_policy('events', INTERVAL '{(long)after.TotalSeconds} seconds', if_not_exists => TRUE)";

    /// <summary>
    /// Partitions of <c>events</c> with their bounds. The bound expression is printed and parsed
    /// back in one statement (same session TimeZone), so the round trip is exact; the default
    /// partition (and MINVALUE/MAXVALUE bounds) yield NULLs. Names come quoted as SQL needs them.
    /// </summary>
    public const string ListPartitions = """
        SELECT c.oid::regclass::text,
               (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''([^'']*)''\) TO \(''([^'']*)''\)'))[1]::timestamptz,
               (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''([^'']*)''\) TO \(''([^'']*)''\)'))[2]::timestamptz
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = to_regclass('events')
        """;
}
