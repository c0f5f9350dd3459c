using System.Text;

namespace AnalyticsHub.Storage.Stores.ClickHouse;

/// <summary>
/// The ClickHouse table of persisted rollups, <c>rollups</c> (on a cluster <c>rollups_local</c> on every
/// shard behind a <c>Distributed</c> <c>rollups</c>), for each <see cref="ClickHouseTableLayout"/>.
/// </summary>
/// <remarks>
/// <para>One row per <see cref="Core.Rollups.RollupRow"/> and node, plus one checkpoint marker row per flush.
/// Engine <c>ReplacingMergeTree(version)</c> ordered by (tenant_id, resolution, metric, series_key, bucket,
/// node, part): background merges keep the highest version of a key, and readers take the highest
/// themselves (<c>argMax(…, version)</c> grouped by the key) so they never depend on a merge having run.
/// Late parts differ in <c>part</c>, so they are separate keys and all kept; the same part sent twice
/// collapses into one.</para>
/// <para><b>No partitioning</b>, on purpose: a flush is one INSERT, and an INSERT of up to
/// <c>max_insert_block_size</c> rows into an unpartitioned MergeTree is one block, one part, made visible at
/// once — all of the flush or none of it. The checkpoint therefore travels in the same INSERT, as a marker
/// row (tenant '', resolution 0, series key <see cref="CheckpointSeriesKey"/>, version = the checkpoint),
/// and seeing the marker means seeing every row of its flush. Markers sort first (tenant '') and a
/// merge keeps only the newest per node. No real row has resolution 0, so the marker never matches a query.</para>
/// <para>Types: enums <c>UInt8</c> (wire numbers), resolution <c>UInt32</c>, bucket <c>Int64</c>, part, count,
/// errors and version <c>UInt64</c> (ReplacingMergeTree wants an unsigned version; WAL positions are never
/// negative), stats <c>Float64</c>, the sketch a <c>String</c> of arbitrary bytes. The Modern layout (20.3+)
/// adds <c>LowCardinality</c> to node, tenant and metric and ZSTD/Delta codecs; values and their
/// RowBinary form are the same in both, so the writer never needs to know which one a table has. No TTL:
/// each resolution keeps its own history, deleted by <see cref="ClickHouseEventStore.DeleteRollupsOlderThanAsync"/>.</para>
/// </remarks>
internal static class ClickHouseRollupSchema
{
    public const string Table = "rollups";

    /// <summary>The series key of checkpoint marker rows (no canonical JSON key looks like it).</summary>
    public const string CheckpointSeriesKey = "__checkpoint__";

    public static ReadOnlySpan<byte> CheckpointSeriesKeyUtf8 => "__checkpoint__"u8;

    /// <summary>The columns in insert (RowBinary) order.</summary>
    public static readonly ClickHouseSchema.ColumnSpec[] Columns =
    [
        new("node", "String", "LowCardinality(String)"),
        new("tenant_id", "String", "LowCardinality(String)"),
        new("metric", "String", "LowCardinality(String)"),
        new("series_key", "String", "String", "CODEC(ZSTD(1))"),
        new("source_module", "UInt8", "UInt8"),
        new("event_type", "UInt8", "UInt8"),
        new("resolution", "UInt32", "UInt32"),
        new("bucket", "Int64", "Int64", "CODEC(Delta, ZSTD(1))"),
        new("part", "UInt64", "UInt64", "CODEC(ZSTD(1))"),
        new("count", "UInt64", "UInt64", "CODEC(ZSTD(1))"),
        new("sum", "Float64", "Float64", "CODEC(ZSTD(1))"),
        new("sum_sq", "Float64", "Float64", "CODEC(ZSTD(1))"),
        new("min", "Float64", "Float64", "CODEC(ZSTD(1))"),
        new("max", "Float64", "Float64", "CODEC(ZSTD(1))"),
        new("tokens", "Float64", "Float64", "CODEC(ZSTD(1))"),
        new("errors", "UInt64", "UInt64", "CODEC(ZSTD(1))"),
        new("sketch", "String", "String", "CODEC(ZSTD(1))"),
        new("version", "UInt64", "UInt64"),
    ];

    /// <summary>The table's sort (and replacing) key.</summary>
    public const string OrderBy = "tenant_id, resolution, metric, series_key, bucket, node, part";

    /// <summary>The <c>ReplacingMergeTree</c> table (<paramref name="table"/> is <c>rollups</c> or <c>rollups_local</c>).</summary>
    public static string CreateTable(ClickHouseTableLayout layout, string database, string table, string onCluster, bool replicated)
    {
        var sql = new StringBuilder($"CREATE TABLE IF NOT EXISTS {database}.{table}{onCluster}\n(\n");
        for (int i = 0; i < Columns.Length; i++)
        {
            var column = Columns[i];
            sql.Append(i == 0 ? "    " : ",\n    ").Append(column.Name).Append(' ').Append(column.TypeIn(layout));
            if (layout == ClickHouseTableLayout.Modern && column.ModernCodec is not null)
            {
                sql.Append(' ').Append(column.ModernCodec);
            }
        }

        string engine = replicated
            ? $"ReplicatedReplacingMergeTree('/clickhouse/tables/{{shard}}/{database}/{table}', '{{replica}}', version)"
            : "ReplacingMergeTree(version)";
        return sql.Append("\n)\nENGINE = ").Append(engine).Append("\nORDER BY (").Append(OrderBy).Append(')').ToString();
    }

    /// <summary>
    /// The <c>Distributed</c> <c>rollups</c> over every shard's <c>rollups_local</c>, sharded by node: all of a
    /// node's rows (and its markers) live on one shard, so a flush is still one block on one shard.
    /// </summary>
    public static string CreateDistributedTable(string database, string cluster, string onCluster) =>
        $"CREATE TABLE IF NOT EXISTS {database}.{Table}{onCluster} AS {database}.{Table}{ClickHouseSchema.LocalSuffix}\n" +
        $"ENGINE = Distributed('{cluster}', '{database}', '{Table}{ClickHouseSchema.LocalSuffix}', cityHash64(node))";

    /// <summary>Why an existing table cannot take the writer's rows (missing columns, other types), or empty.</summary>
    public static string Mismatch(IReadOnlyDictionary<string, string> columns)
    {
        var problems = new List<string>();
        foreach (var column in Columns)
        {
            if (!columns.TryGetValue(column.Name, out var actual))
            {
                problems.Add($"column {column.Name} is missing");
            }
            else if (Unwrap(actual) != column.LegacyType)
            {
                problems.Add($"column {column.Name} is {actual}, expected {column.LegacyType}");
            }
        }

        return string.Join("; ", problems);
    }

    // LowCardinality changes storage, not the values nor their RowBinary form.
    private static string Unwrap(string type) =>
        type.StartsWith("LowCardinality(", StringComparison.Ordinal) && type.EndsWith(')') ? type["LowCardinality(".Length..^1] : type;
}
