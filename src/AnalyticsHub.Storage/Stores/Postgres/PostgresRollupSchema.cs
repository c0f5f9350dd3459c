namespace AnalyticsHub.Storage.Stores.Postgres;

/// <summary>
/// The persisted-rollup tables of the PostgreSQL store and the statements on them
/// (<see cref="PostgresEventStore.InitializeRollupsAsync"/> creates what is missing, as
/// <see cref="PostgresSchema"/> does for events: inspected first, created under the same advisory lock).
/// </summary>
/// <remarks>
/// <para><c>rollups</c>: one row per <see cref="Core.Rollups.RollupRow"/> and node, a plain table (rows are
/// few next to events: one per series and bucket, not per event; retention is a DELETE by bucket).
/// Fixed-width columns first, widest first, then text and the sketch. <c>bucket</c> counts widths of
/// <c>resolution</c> seconds since the epoch (start = bucket × resolution s); filters compare bucket
/// numbers. <c>count</c> and <c>errors</c> are uint64 kept bit-for-bit in <c>bigint</c>; enums are
/// <c>smallint</c> wire numbers; <c>sketch</c> is <c>bytea</c> (arbitrary bytes).</para>
/// <para>Keys: the primary key (node, tenant_id, series_key, resolution, bucket, part) is what a flush's
/// upserts conflict on, and serves a node's restart warm-up (node prefix); <c>rollups_read</c>
/// (tenant_id, resolution, metric, bucket) serves queries. <c>rollup_checkpoints</c>: one row per node,
/// the WAL position of its last flush, written in the flush's transaction.</para>
/// </remarks>
internal static class PostgresRollupSchema
{
    public const string RollupsTable = "rollups";

    public const string CreateRollups = """
        CREATE TABLE IF NOT EXISTS rollups (
            bucket        bigint           NOT NULL,
            part          bigint           NOT NULL,
            version       bigint           NOT NULL,
            count         bigint           NOT NULL,
            errors        bigint           NOT NULL,
            sum           double precision NOT NULL,
            sum_sq        double precision NOT NULL,
            min           double precision NOT NULL,
            max           double precision NOT NULL,
            tokens        double precision NOT NULL,
            resolution    integer          NOT NULL,
            source_module smallint         NOT NULL,
            event_type    smallint         NOT NULL,
            node          text             NOT NULL,
            tenant_id     text             NOT NULL,
            metric        text             NOT NULL,
            series_key    text             NOT NULL,
            sketch        bytea            NOT NULL,
            PRIMARY KEY (node, tenant_id, series_key, resolution, bucket, part)
        )
        """;

    public const string CreateReadIndex = "CREATE INDEX IF NOT EXISTS rollups_read ON rollups (tenant_id, resolution, metric, bucket)";

    public const string CreateCheckpoints = """
        CREATE TABLE IF NOT EXISTS rollup_checkpoints (
            node         text        PRIMARY KEY,
            wal_position bigint      NOT NULL,
            updated_at   timestamptz NOT NULL DEFAULT now()
        )
        """;

    /// <summary>What exists (one round trip).</summary>
    public const string Inspect = """
        SELECT to_regclass('rollups') IS NOT NULL,
               to_regclass('rollups_read') IS NOT NULL,
               to_regclass('rollup_checkpoints') IS NOT NULL
        """;

    /// <summary>The columns of a flush's rows, in COPY order (everything but <c>node</c>, which is this store's).</summary>
    public const string RowColumns =
        "tenant_id, metric, series_key, source_module, event_type, resolution, bucket, part, "
        + "count, sum, sum_sq, min, max, tokens, errors, sketch, version";

    /// <summary>
    /// The flush's rows land here first (binary COPY: no index, no conflict check), then move into
    /// <c>rollups</c> with one INSERT … SELECT per kind of row. Dropped at commit (a rollback drops it too).
    /// </summary>
    public const string CreateStaging = """
        CREATE TEMP TABLE rollups_in (
            tenant_id     text             NOT NULL,
            metric        text             NOT NULL,
            series_key    text             NOT NULL,
            source_module smallint         NOT NULL,
            event_type    smallint         NOT NULL,
            resolution    integer          NOT NULL,
            bucket        bigint           NOT NULL,
            part          bigint           NOT NULL,
            count         bigint           NOT NULL,
            sum           double precision NOT NULL,
            sum_sq        double precision NOT NULL,
            min           double precision NOT NULL,
            max           double precision NOT NULL,
            tokens        double precision NOT NULL,
            errors        bigint           NOT NULL,
            sketch        bytea            NOT NULL,
            version       bigint           NOT NULL
        ) ON COMMIT DROP
        """;

    public const string CopyStaging = "COPY rollups_in (" + RowColumns + ") FROM STDIN (FORMAT BINARY)";

    private const string Key = "(node, tenant_id, series_key, resolution, bucket, part)";

    /// <summary>
    /// Main rows ($1 = node): inserted, or replacing the stored row of the key when their version is higher.
    /// DISTINCT ON keeps the highest version when one flush names a key twice (an upsert may not touch a
    /// row twice in one statement).
    /// </summary>
    public const string MergeMainRows =
        "INSERT INTO rollups AS r (node, " + RowColumns + ") "
        + "SELECT DISTINCT ON (tenant_id, series_key, resolution, bucket) $1, " + RowColumns + " FROM rollups_in WHERE part = 0 "
        + "ORDER BY tenant_id, series_key, resolution, bucket, version DESC "
        + "ON CONFLICT " + Key + " DO UPDATE SET metric = EXCLUDED.metric, source_module = EXCLUDED.source_module, "
        + "event_type = EXCLUDED.event_type, count = EXCLUDED.count, sum = EXCLUDED.sum, sum_sq = EXCLUDED.sum_sq, "
        + "min = EXCLUDED.min, max = EXCLUDED.max, tokens = EXCLUDED.tokens, errors = EXCLUDED.errors, "
        + "sketch = EXCLUDED.sketch, version = EXCLUDED.version "
        + "WHERE EXCLUDED.version > r.version";

    /// <summary>Late parts ($1 = node): added once; a part already stored (a retried flush) is left as it is.</summary>
    public const string MergeLateParts =
        "INSERT INTO rollups (node, " + RowColumns + ") SELECT $1, " + RowColumns + " FROM rollups_in WHERE part > 0 "
        + "ON CONFLICT " + Key + " DO NOTHING";

    public const string UpsertCheckpoint = """
        INSERT INTO rollup_checkpoints (node, wal_position, updated_at) VALUES ($1, $2, now())
        ON CONFLICT (node) DO UPDATE SET wal_position = EXCLUDED.wal_position, updated_at = EXCLUDED.updated_at
        """;

    public const string ReadCheckpoint = "SELECT wal_position FROM rollup_checkpoints WHERE node = $1";

    /// <summary>A node's main rows of one resolution from a bucket on: $1 node, $2 resolution, $3 first bucket.</summary>
    public const string SelectNodeMainRows =
        "SELECT " + RowColumns + " FROM rollups WHERE node = $1 AND resolution = $2 AND part = 0 AND bucket >= $3";

    /// <summary>A tenant's rows of every node: $1 tenant, $2 resolution, [$3, $4) buckets; the caller appends the metric ($5) or event type ($5) filter.</summary>
    public const string SelectTenantRows =
        "SELECT " + RowColumns + " FROM rollups WHERE tenant_id = $1 AND resolution = $2 AND bucket >= $3 AND bucket < $4";

    /// <summary>Retention: $1 resolution, $2 first bucket kept.</summary>
    public const string DeleteOlder = "DELETE FROM rollups WHERE resolution = $1 AND bucket < $2";
}
