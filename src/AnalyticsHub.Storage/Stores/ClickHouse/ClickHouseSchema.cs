using System.Text;

namespace AnalyticsHub.Storage.Stores.ClickHouse;

/// <summary>
/// The DDL of the store's two tables for each <see cref="ClickHouseTableLayout"/>, and the check that
/// an existing table has the columns the writer sends.
/// </summary>
/// <remarks>
/// <para><c>events</c>: one row per stored event, a column per <see cref="Core.Storage.StoredEvent"/> field
/// plus <c>node</c>, <c>wal_address</c> and <c>wal_index</c> (the event's place in its node's WAL, for
/// <see cref="ClickHouseEventStore.ResumeAsync"/>). <c>event_id</c> is a <c>UUID</c> (16 bytes from
/// IdHigh/IdLow; the 36-byte text is not kept: it is the same value, and ClickHouse prints a UUID as
/// canonical lower-case text). Enums are <c>UInt8</c> with the proto's numbers.</para>
/// <para><c>event_writes</c>: one row per insert, written just before it (node, WAL address range, event
/// time range). A resume looks there first and then reads only the day partitions those inserts touched.</para>
/// <para>On a cluster both are <c>*_local</c> tables on every shard behind <c>Distributed</c> tables of the
/// plain names, sharded by a hash of the WAL position (deterministic: a retried insert sends every row to
/// the shard it went to the first time, so <c>ReplicatedMergeTree</c>'s block deduplication can apply).</para>
/// </remarks>
internal static class ClickHouseSchema
{
    public const string EventsTable = "events";
    public const string WritesTable = "event_writes";
    public const string LocalSuffix = "_local";

    /// <summary>The columns of <c>events</c> in insert (RowBinary) order. A null type: not in that layout.</summary>
    public static readonly ColumnSpec[] EventColumns =
    [
        new("node", "String", "LowCardinality(String)"),
        new("wal_address", "UInt64", "UInt64", "CODEC(Delta, ZSTD(1))"),
        new("wal_index", "UInt32", "UInt32"),
        new("event_id", "UUID", "UUID"),
        new("tenant_id", "String", "LowCardinality(String)"),
        new("time", "DateTime('UTC')", "DateTime64(9, 'UTC')", "CODEC(DoubleDelta, ZSTD(1))"),
        new("time_ns", "UInt32", null),
        new("received", "DateTime('UTC')", "DateTime64(9, 'UTC')", "CODEC(Delta, ZSTD(1))"),
        new("received_ns", "UInt32", null),
        new("source_module", "UInt8", "UInt8"),
        new("event_type", "UInt8", "UInt8"),
        new("severity", "UInt8", "UInt8"),
        new("payload_kind", "UInt8", "UInt8"),
        new("value_dimension", "UInt8", "UInt8"),
        new("schema_version", "String", "LowCardinality(String)"),
        new("correlation_id", "String", "String", "CODEC(ZSTD(1))"),
        new("parent_event_id", "String", "String", "CODEC(ZSTD(1))"),
        new("environment", "String", "LowCardinality(String)"),
        new("asset_id", "String", "LowCardinality(String)"),
        new("name", "String", "LowCardinality(String)"),
        new("value", "Float64", "Float64", "CODEC(ZSTD(1))"),
        new("unit", "String", "LowCardinality(String)"),
        new("input_tokens", "UInt64", "UInt64", "CODEC(ZSTD(1))"),
        new("output_tokens", "UInt64", "UInt64", "CODEC(ZSTD(1))"),
        new("tags", "String", "String", "CODEC(ZSTD(1))"),
        new("payload", "String", "String", "CODEC(ZSTD(1))"),
    ];

    public static readonly ColumnSpec[] WriteColumns =
    [
        new("node", "String", "LowCardinality(String)"),
        new("first_address", "UInt64", "UInt64"),
        new("last_address", "UInt64", "UInt64"),
        new("rows", "UInt32", "UInt32"),
        new("min_time", "DateTime('UTC')", "DateTime('UTC')"),
        new("max_time", "DateTime('UTC')", "DateTime('UTC')"),
        new("written", "DateTime('UTC')", "DateTime('UTC')"),
    ];

    /// <summary><c>(node, wal_address, …)</c> for the INSERT of <paramref name="layout"/>.</summary>
    public static string InsertColumnList(ClickHouseTableLayout layout, ColumnSpec[] columns)
    {
        var sql = new StringBuilder("(");
        foreach (var column in columns)
        {
            if (column.TypeIn(layout) is not null)
            {
                sql.Append(sql.Length > 1 ? ", " : "").Append(column.Name);
            }
        }

        return sql.Append(')').ToString();
    }

    public static string CreateDatabase(string database, string onCluster) =>
        $"CREATE DATABASE IF NOT EXISTS {database}{onCluster}";

    /// <summary>The MergeTree table of events (<paramref name="table"/> is <c>events</c> or <c>events_local</c>).</summary>
    public static string CreateEventsTable(ClickHouseTableLayout layout, string database, string table, string onCluster, bool replicated, int retentionDays)
    {
        var sql = new StringBuilder($"CREATE TABLE IF NOT EXISTS {database}.{table}{onCluster}\n(\n");
        AppendColumns(sql, EventColumns, layout);
        if (layout == ClickHouseTableLayout.Modern)
        {
            // Lets a resume skip granules whose WAL addresses are all below the checkpoint.
            sql.Append(",\n    INDEX wal_address_minmax wal_address TYPE minmax GRANULARITY 4");
        }

        sql.Append("\n)\nENGINE = ").Append(Engine(database, table, replicated))
            .Append("\nPARTITION BY toYYYYMMDD(time)\nORDER BY (tenant_id, source_module, event_type, name, time")
            .Append(layout == ClickHouseTableLayout.Legacy ? ", time_ns)" : ")");
        AppendTtl(sql, layout, "time", retentionDays);

        return sql.ToString();
    }

    /// <summary>The insert journal (<paramref name="table"/> is <c>event_writes</c> or <c>event_writes_local</c>).</summary>
    public static string CreateWritesTable(ClickHouseTableLayout layout, string database, string table, string onCluster, bool replicated, int retentionDays)
    {
        var sql = new StringBuilder($"CREATE TABLE IF NOT EXISTS {database}.{table}{onCluster}\n(\n");
        AppendColumns(sql, WriteColumns, layout);
        sql.Append("\n)\nENGINE = ").Append(Engine(database, table, replicated))
            .Append("\nPARTITION BY toYYYYMMDD(written)\nORDER BY (node, last_address)");
        AppendTtl(sql, layout, "written", retentionDays);

        return sql.ToString();
    }

    /// <summary>The <c>Distributed</c> table <paramref name="table"/> over <paramref name="table"/><c>_local</c> on every shard.</summary>
    public static string CreateDistributedTable(string database, string table, string cluster, string onCluster) =>
        $"CREATE TABLE IF NOT EXISTS {database}.{table}{onCluster} AS {database}.{table}{LocalSuffix}\n" +
        $"ENGINE = Distributed('{cluster}', '{database}', '{table}{LocalSuffix}', {ShardingKey(table)})";

    public static string Ttl(string column, int retentionDays) => $"TTL toDateTime({column}) + toIntervalDay({retentionDays})";

    /// <summary>
    /// Checks the columns of an existing <c>events</c> table (name → type from <c>system.columns</c>) and
    /// says which layout it has; null with <paramref name="problem"/> when the writer's columns are not
    /// all there with the expected types. Extra columns are fine (an operator's MATERIALIZED column).
    /// </summary>
    public static ClickHouseTableLayout? RecogniseEventsTable(IReadOnlyDictionary<string, string> columns, out string problem)
    {
        var layout = columns.TryGetValue("time", out var timeType) && Unwrap(timeType).StartsWith("DateTime64", StringComparison.Ordinal)
            ? ClickHouseTableLayout.Modern
            : ClickHouseTableLayout.Legacy;
        problem = Mismatch(columns, EventColumns, layout);
        return problem.Length == 0 ? layout : null;
    }

    /// <summary>As <see cref="RecogniseEventsTable"/> for <c>event_writes</c>: empty when fine.</summary>
    public static string CheckWritesTable(IReadOnlyDictionary<string, string> columns) =>
        Mismatch(columns, WriteColumns, ClickHouseTableLayout.Legacy);

    private static string Mismatch(IReadOnlyDictionary<string, string> columns, ColumnSpec[] specs, ClickHouseTableLayout layout)
    {
        var problems = new List<string>();
        foreach (var spec in specs)
        {
            var expected = spec.TypeIn(layout);
            if (expected is null)
            {
                continue;
            }

            if (!columns.TryGetValue(spec.Name, out var actual))
            {
                problems.Add($"column {spec.Name} is missing");
            }
            else if (Unwrap(actual) != Unwrap(expected))
            {
                problems.Add($"column {spec.Name} is {actual}, expected {expected}");
            }
        }

        return string.Join("; ", problems);
    }

    // LowCardinality changes storage, not the values nor their RowBinary form.
    private static string Unwrap(string type) =>
        type.StartsWith("LowCardinality(", StringComparison.Ordinal) && type.EndsWith(')') ? type["LowCardinality(".Length..^1] : type;

    // Whole parts are dropped once all their rows expired (parts never span two days: PARTITION BY day).
    // The setting is there even without a TTL (retention 0), for a TTL added later.
    private static void AppendTtl(StringBuilder sql, ClickHouseTableLayout layout, string column, int retentionDays)
    {
        if (layout == ClickHouseTableLayout.Modern)
        {
            sql.Append(retentionDays > 0 ? "\n" + Ttl(column, retentionDays) : "").Append("\nSETTINGS ttl_only_drop_parts = 1");
        }
    }

    private static void AppendColumns(StringBuilder sql, ColumnSpec[] columns, ClickHouseTableLayout layout)
    {
        bool first = true;
        foreach (var column in columns)
        {
            var type = column.TypeIn(layout);
            if (type is null)
            {
                continue;
            }

            sql.Append(first ? "    " : ",\n    ").Append(column.Name).Append(' ').Append(type);
            if (layout == ClickHouseTableLayout.Modern && column.ModernCodec is not null)
            {
                sql.Append(' ').Append(column.ModernCodec);
            }

            first = false;
        }
    }

    private static string Engine(string database, string table, bool replicated) =>
        replicated ? $"ReplicatedMergeTree('/clickhouse/tables/{{shard}}/{database}/{table}', '{{replica}}')" : "MergeTree()";

    private static string ShardingKey(string table) =>
        table == EventsTable ? "cityHash64(wal_address, wal_index)" : "cityHash64(last_address)";

    public sealed record ColumnSpec(string Name, string LegacyType, string? ModernType, string? ModernCodec = null)
    {
        public string? TypeIn(ClickHouseTableLayout layout) => layout == ClickHouseTableLayout.Legacy ? LegacyType : ModernType;
    }
}
