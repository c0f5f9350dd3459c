namespace AnalyticsHub.Storage.Stores.ClickHouse;

/// <summary>How the <c>events</c> table stores its columns; decided by the server version when the table is created, and read back from the table afterwards.</summary>
public enum ClickHouseTableLayout
{
    /// <summary>
    /// For servers before 20.3 (Debian's 18.16): times as <c>DateTime('UTC')</c> seconds plus a
    /// <c>UInt32</c> nanosecond column, plain <c>String</c>s, no codecs, no TTL (retention drops day
    /// partitions), no skip index.
    /// </summary>
    Legacy,

    /// <summary>
    /// For servers from 20.3: <c>DateTime64(9, 'UTC')</c>, <c>LowCardinality(String)</c> for low-cardinality
    /// text, <c>Delta</c>/<c>DoubleDelta</c> + <c>ZSTD</c> codecs, a table TTL for retention and a minmax skip
    /// index on <c>wal_address</c>.
    /// </summary>
    Modern,
}
