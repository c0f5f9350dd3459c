using System.Text;

namespace AnalyticsHub.Storage.Stores.Embedded;

/// <summary>
/// The SQLite schema of the embedded store, its version (<c>PRAGMA user_version</c>) and the
/// connection settings. Figures quoted here come from <c>EmbeddedStoreMeasurements</c>
/// (tests/AnalyticsHub.Storage.Tests/Stores/Embedded), 2-core machine, 1M sample rows.
/// </summary>
internal static class EmbeddedSchema
{
    /// <summary>The schema this build writes. 0 = empty file; a file with a higher version was
    /// written by a newer hub and is refused rather than guessed at. 1: events and drain checkpoint;
    /// 2: persisted rollups (<see cref="EmbeddedRollupSchema"/>); 3: the correlation index
    /// (<see cref="CorrelationIndexSql"/>).</summary>
    public const int Version = 3;

    /// <summary>
    /// Why <c>synchronous=FULL</c> and not NORMAL, though the file is in WAL mode.
    /// </summary>
    /// <remarks>
    /// With NORMAL, a WAL-mode commit is not fsync'd: it survives a process crash but a power
    /// loss may roll back the last transactions (the file stays consistent, only recent commits
    /// vanish). That would be harmless if the hub's own WAL still held those events — but it does
    /// not: as soon as <see cref="EmbeddedEventStore.WriteAsync"/> returns, the drainer advances
    /// and persists its WAL checkpoint, and truncation deletes the segments behind it. A power
    /// loss after that loses acknowledged events, breaking the first invariant. The
    /// <c>drain_checkpoint</c> row would roll back with them, so <see cref="EmbeddedEventStore.ResumeAsync"/>
    /// would even report the gap honestly, with nothing left to fill it from.
    /// NORMAL would be safe only with a second, durable "synced up to" position that the drainer
    /// truncates behind (it could come from a periodic <c>wal_checkpoint</c>); the contract has
    /// no such position. The cost of FULL is one fsync of the SQLite WAL per commit — at the
    /// drainer's ≥10k-row batches a few per second: the same writer CPU as NORMAL, and between
    /// no difference and ~25% fewer rows/s in two runs on this machine's shared disk (README);
    /// either way above the 150k/s target.
    /// </remarks>
    public const string Durability = "FULL";

    /// <summary>Bytes per page, set when the file is created (a WAL-mode file keeps it for life).
    /// 8192 took ~8% less writer CPU per row than SQLite's default 4096 (3.12 vs 3.40 µs) and ~3%
    /// less disk (fewer B-tree pages and page splits). 16384 took 3–4% less again in two runs, with
    /// overlapping ranges; 8192 is kept as the smaller step, since every page a point lookup or
    /// an index insert touches is read and logged whole.</summary>
    public const int PageSize = 8192;

    /// <summary>Page cache of the writer connection (KiB, negative per SQLite's convention). Inserts
    /// append to the right edge of the table and of each index, so the hot set is small; 32 MiB
    /// keeps the upper levels of all B-trees and a retention chunk's pages resident.</summary>
    public const int CacheSizeKib = 32 * 1024;

    /// <summary>WAL pages between automatic checkpoints: 16 MiB, about five 10k-row batches
    /// (SQLite's default, 1000 pages, checkpoints every two or three). An index page dirtied by
    /// consecutive batches is then copied into the file once per checkpoint instead of once per
    /// batch; measured, the difference is within the noise (same writer CPU), so this is the
    /// cheap side of a wash, not a win. Readers pay for a longer -wal only in its hash index.</summary>
    public const int WalAutoCheckpointPages = (16 << 20) / PageSize;

    /// <summary>Size the -wal file is truncated back to after a checkpoint (it otherwise keeps
    /// its high-water size).</summary>
    public const long JournalSizeLimitBytes = 64L << 20;

    /// <summary>Rows per INSERT statement. With values bound straight through SQLitePCLRaw, a
    /// prepared single-row INSERT stepped once per row took 4–9% less writer CPU than 16-, 64-
    /// and 128-row VALUES lists (SQLite feeds a multi-row VALUES row by row into the same insert
    /// loop, so it saves only step/reset calls, which are cheap when nothing is looked up by name).</summary>
    public const int DefaultRowsPerStatement = 1;

    /// <summary>SQLite's default bound on parameters per statement is 32766.</summary>
    public const int MaxRowsPerStatement = 32766 / Columns;

    /// <summary>Columns bound per row by <see cref="InsertSql"/>, in this order.</summary>
    public const int Columns = 23;

    public const string InsertColumns =
        "tenant_id, time_ns, received_ns, event_id, source_module, event_type, severity, payload_kind, value_dimension, " +
        "name, value, unit, input_tokens, output_tokens, schema_version, environment, asset_id, correlation_id, " +
        "parent_event_id, wal_address, wal_index, tags, payload";

    // Column notes:
    // - rowid table, not WITHOUT ROWID: rows are ~220 bytes, too large for a clustered key to pay
    //   (SQLite advises WITHOUT ROWID for small rows with a small key), and rowid order is log
    //   order, so every insert appends to the right edge of the table B-tree. A clustered
    //   (tenant, time) key would instead insert mid-tree per tenant. rowid is not named: nothing
    //   references it yet.
    // - event_id: the 16 RFC 4122 bytes (IdHigh, IdLow big-endian), not the 36-char text: 21.5 B
    //   (7%) less per row on disk at the same insert rate, and one spelling per id (the text may
    //   arrive in either hex case). Byte order equals text order, so the query layer compares
    //   blobs (X'…') and formats the text on output.
    // - time_ns, received_ns: Unix nanoseconds, UTC (fit int64 until 2262).
    // - enums as their wire numbers (SourceModule, EventType, Severity, PayloadKind, UnitDimension).
    // - value: NULL only when NaN was given (SQLite stores NaN as NULL); 0 when the payload has none.
    // - input_tokens, output_tokens: uint64 stored bit-for-bit in SQLite's int64.
    // - empty text is '' (never NULL): one spelling of "none" for the query layer.
    // - tags, payload: JSON object text; last, so reading the typed columns never walks their bytes.
    // Indexes: see IndexesSql.
    private const string CreateEvents = """
        CREATE TABLE IF NOT EXISTS events (
            tenant_id       TEXT    NOT NULL,
            time_ns         INTEGER NOT NULL,
            received_ns     INTEGER NOT NULL,
            event_id        BLOB    NOT NULL,
            source_module   INTEGER NOT NULL,
            event_type      INTEGER NOT NULL,
            severity        INTEGER NOT NULL,
            payload_kind    INTEGER NOT NULL,
            value_dimension INTEGER NOT NULL,
            name            TEXT    NOT NULL,
            value           REAL,
            unit            TEXT    NOT NULL,
            input_tokens    INTEGER NOT NULL,
            output_tokens   INTEGER NOT NULL,
            schema_version  TEXT    NOT NULL,
            environment     TEXT    NOT NULL,
            asset_id        TEXT    NOT NULL,
            correlation_id  TEXT    NOT NULL,
            parent_event_id TEXT    NOT NULL,
            wal_address     INTEGER NOT NULL,
            wal_index       INTEGER NOT NULL,
            tags            TEXT    NOT NULL,
            payload         TEXT    NOT NULL
        );
        """;

    /// <summary>
    /// The two indexes the query layer needs, and nothing else. Writer CPU per row, 1M sample rows:
    /// no index 1.74 µs (218 B/row on disk), (tenant, time) alone 2.28 µs (244 B), the series index
    /// alone 2.55 µs (262 B), both 3.12 µs (288 B) — a median 216k rows/s at 10k-row batches on a
    /// busy 2-core machine, above the 150k target; a third index on time_ns alone would add
    /// 0.3 µs and 19 B/row (README):
    /// <list type="bullet">
    /// <item><c>ix_events_tenant_time</c> (tenant_id, time_ns): every query is scoped to a tenant
    /// and a time range (event search, high-cardinality group-by); retention walks it per tenant,
    /// so no separate time_ns index is needed.</item>
    /// <item><c>ix_events_series</c> (tenant_id, source_module, event_type, name, time_ns): the raw
    /// events behind one rollup series (drill-down from a chart, percentiles over raw values).</item>
    /// </list>
    /// Not indexed: event_id (a lookup by id scans a tenant's time range). correlation_id: see
    /// <see cref="CorrelationIndexSql"/> (schema version 3).
    /// </summary>
    public const string IndexesSql = """
        CREATE INDEX IF NOT EXISTS ix_events_tenant_time ON events (tenant_id, time_ns);
        CREATE INDEX IF NOT EXISTS ix_events_series ON events (tenant_id, source_module, event_type, name, time_ns);
        """;

    /// <summary>
    /// Schema version 3: <c>ix_events_correlation</c> (tenant_id, correlation_id, time_ns), partial
    /// (<c>WHERE correlation_id &lt;&gt; ''</c>), for event search by correlation id — a trace's events
    /// are one index range instead of a walk over the tenant's whole time range, which would stop at
    /// the search's scan bound long before a month of events. Partial, so events without a correlation
    /// id cost nothing; a query uses it only when it says <c>correlation_id &lt;&gt; ''</c> literally
    /// (EmbeddedEventStore.SearchAsync does). Cost with the sample rows (half carry an id), 500k rows
    /// in 10k-row batches on this 2-core machine, median of 5: 273k rows/s with it, 290k without
    /// (−6 %), 318 vs 296 B/row on disk (<c>QueryMeasurements</c> in tests/AnalyticsHub.Storage.Tests/Query).
    /// </summary>
    public const string CorrelationIndexSql =
        "CREATE INDEX IF NOT EXISTS ix_events_correlation ON events (tenant_id, correlation_id, time_ns) WHERE correlation_id <> '';";

    // Single row (id = 1): the log position everything before which is stored, written in the
    // same transaction as the rows. updated_at: Unix nanoseconds of that commit, for operators.
    // One database serves one node (it lives in that node's DataDir), so there is no node column.
    private const string CreateCheckpoint = """
        CREATE TABLE IF NOT EXISTS drain_checkpoint (
            id          INTEGER PRIMARY KEY CHECK (id = 1),
            wal_address INTEGER NOT NULL,
            wal_index   INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL
        );
        """;

    // Asset metadata gets its tables in a later schema version, with the feature that defines
    // their keys and encodings: add a step to Migrations and raise Version.

    /// <summary>Schema steps; step i takes user_version i to i + 1. Each runs in one transaction
    /// with the version bump, and each statement is idempotent.</summary>
    public static readonly string[] Migrations =
    [
        CreateEvents + IndexesSql + CreateCheckpoint,
        EmbeddedRollupSchema.Migration,
        CorrelationIndexSql,
    ];

    public const string UpsertCheckpoint = """
        INSERT INTO drain_checkpoint (id, wal_address, wal_index, updated_at) VALUES (1, ?1, ?2, ?3)
        ON CONFLICT (id) DO UPDATE SET wal_address = excluded.wal_address, wal_index = excluded.wal_index, updated_at = excluded.updated_at
        """;

    public const string SelectCheckpoint = "SELECT wal_address, wal_index FROM drain_checkpoint WHERE id = 1";

    /// <summary>The multi-row INSERT for <paramref name="rows"/> rows, numbered parameters ?1..?(rows × <see cref="Columns"/>).</summary>
    public static string InsertSql(int rows)
    {
        var sql = new StringBuilder("INSERT INTO events (").Append(InsertColumns).Append(") VALUES ");
        for (int r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ",(");
            for (int c = 0; c < Columns; c++)
            {
                sql.Append(c == 0 ? "?" : ",?").Append(r * Columns + c + 1);
            }
            sql.Append(')');
        }
        return sql.ToString();
    }
}
