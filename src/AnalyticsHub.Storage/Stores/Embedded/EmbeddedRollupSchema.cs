namespace AnalyticsHub.Storage.Stores.Embedded;

/// <summary>
/// The embedded store's persisted rollups: the <c>rollups</c> and <c>rollup_checkpoints</c> tables
/// (schema step 2 of <see cref="EmbeddedSchema.Migrations"/>) and the statements on them.
/// </summary>
/// <remarks>
/// <para>Columns of <c>rollups</c>, one row per <see cref="Core.Rollups.RollupRow"/>:</para>
/// <list type="bullet">
/// <item><c>node</c>: always <see cref="EmbeddedEventStore.RollupNode"/> — one database serves one
/// node, but the column keeps the key and the queries the same as the shared stores'.</item>
/// <item><c>series_key</c>: the series' canonical JSON text; <c>metric</c>, <c>source_module</c>,
/// <c>event_type</c> (wire numbers) are in it too, as columns for filtering.</item>
/// <item><c>resolution</c> (60, 3600, 86400) and <c>bucket</c> (widths since the epoch; the bucket starts at
/// <c>bucket × resolution</c> seconds — filters compare bucket numbers, so no start column is kept).</item>
/// <item><c>part</c>: 0 for the main row, else the flush position of an additive late part.</item>
/// <item><c>count</c>, <c>errors</c>: uint64 stored bit-for-bit in SQLite's int64; <c>sum</c>, <c>sum_sq</c>,
/// <c>min</c>, <c>max</c>, <c>tokens</c>: REAL (±∞ kept; a NaN becomes NULL in SQLite and reads back as NaN).</item>
/// <item><c>sketch</c>: the serialized quantile sketch, a BLOB of arbitrary bytes (empty, never NULL).</item>
/// <item><c>version</c>: the flush's WAL position; a main row is replaced only by a higher one.</item>
/// </list>
/// <para>Keys: the primary key (node, tenant_id, series_key, resolution, bucket, part) is what upserts
/// conflict on; <c>ix_rollups_read</c> (tenant_id, resolution, metric, bucket) serves queries (one
/// metric of a tenant over a time range; by event type, the tenant's range of the resolution). A rowid
/// table, not WITHOUT ROWID: a row carries a sketch of a few hundred bytes, too wide for a clustered key.
/// Retention by (resolution, bucket) scans the table: it runs rarely and each run deletes one day's worth.</para>
/// </remarks>
internal static class EmbeddedRollupSchema
{
    /// <summary>Columns bound per row, in this order (parameters ?1..?18).</summary>
    public const string Columns =
        "node, tenant_id, metric, series_key, source_module, event_type, resolution, bucket, part, " +
        "count, sum, sum_sq, min, max, tokens, errors, sketch, version";

    public const int ColumnCount = 18;

    private const string CreateRollups = """
        CREATE TABLE IF NOT EXISTS rollups (
            node          TEXT    NOT NULL,
            tenant_id     TEXT    NOT NULL,
            metric        TEXT    NOT NULL,
            series_key    TEXT    NOT NULL,
            source_module INTEGER NOT NULL,
            event_type    INTEGER NOT NULL,
            resolution    INTEGER NOT NULL,
            bucket        INTEGER NOT NULL,
            part          INTEGER NOT NULL,
            count         INTEGER NOT NULL,
            sum           REAL,
            sum_sq        REAL,
            min           REAL,
            max           REAL,
            tokens        REAL,
            errors        INTEGER NOT NULL,
            sketch        BLOB    NOT NULL,
            version       INTEGER NOT NULL,
            PRIMARY KEY (node, tenant_id, series_key, resolution, bucket, part)
        );
        CREATE INDEX IF NOT EXISTS ix_rollups_read ON rollups (tenant_id, resolution, metric, bucket);
        """;

    // One row per node: the WAL position of its last complete flush, written in the flush's transaction.
    // updated_at: Unix nanoseconds of that commit, for operators.
    private const string CreateCheckpoints = """
        CREATE TABLE IF NOT EXISTS rollup_checkpoints (
            node         TEXT    PRIMARY KEY,
            wal_position INTEGER NOT NULL,
            updated_at   INTEGER NOT NULL
        );
        """;

    /// <summary>Schema step 2 (user_version 1 → 2).</summary>
    public const string Migration = CreateRollups + CreateCheckpoints;

    private const string Values = "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";

    private const string Key = "(node, tenant_id, series_key, resolution, bucket, part)";

    /// <summary>A main row: inserted, or replacing the stored one when its version is higher.</summary>
    public const string UpsertMain =
        "INSERT INTO rollups (" + Columns + ") " + Values + " ON CONFLICT " + Key + " DO UPDATE SET " +
        "metric = excluded.metric, source_module = excluded.source_module, event_type = excluded.event_type, " +
        "count = excluded.count, sum = excluded.sum, sum_sq = excluded.sum_sq, min = excluded.min, max = excluded.max, " +
        "tokens = excluded.tokens, errors = excluded.errors, sketch = excluded.sketch, version = excluded.version " +
        "WHERE excluded.version > rollups.version";

    /// <summary>A late part: added once; the same part sent again (a retried flush) is ignored.</summary>
    public const string InsertLatePart = "INSERT INTO rollups (" + Columns + ") " + Values + " ON CONFLICT " + Key + " DO NOTHING";

    public const string UpsertCheckpoint = """
        INSERT INTO rollup_checkpoints (node, wal_position, updated_at) VALUES (?1, ?2, ?3)
        ON CONFLICT (node) DO UPDATE SET wal_position = excluded.wal_position, updated_at = excluded.updated_at
        """;

    public const string SelectCheckpoint = "SELECT wal_position FROM rollup_checkpoints WHERE node = $node";

    /// <summary>A node's main rows of one resolution from a bucket on (restart warm-up).</summary>
    public const string SelectNodeMainRows =
        "SELECT " + Columns + " FROM rollups WHERE node = $node AND resolution = $resolution AND part = 0 AND bucket >= $from";

    /// <summary>A tenant's rows of one resolution in [$from, $to) buckets, every node's; the caller appends the metric or event type filter.</summary>
    public const string SelectTenantRows =
        "SELECT " + Columns + " FROM rollups WHERE tenant_id = $tenant AND resolution = $resolution AND bucket >= $from AND bucket < $to";

    /// <summary>Retention, one chunk: at most $limit rows of the resolution older than the cutoff bucket.</summary>
    public const string DeleteChunk =
        "DELETE FROM rollups WHERE rowid IN (SELECT rowid FROM rollups WHERE resolution = $resolution AND bucket < $before LIMIT $limit)";
}
