using Microsoft.Extensions.Logging;

namespace AnalyticsHub.Storage.Stores.Postgres;

/// <summary>Log messages of the PostgreSQL store (defined once, no allocation when the level is off).</summary>
internal static class PostgresStoreLog
{
    private static readonly Action<ILogger, string, string, PostgresEventsLayout, string, Exception?> s_ready =
        LoggerMessage.Define<string, string, PostgresEventsLayout, string>(LogLevel.Information, new EventId(1, "PostgresStoreReady"),
            "PostgreSQL store ready at {Endpoint}: server {ServerVersion}, layout {Layout}, JSON columns {JsonType}");

    private static readonly Action<ILogger, string, Exception?> s_timescaleRefused =
        LoggerMessage.Define<string>(LogLevel.Warning, new EventId(2, "PostgresTimescaleRefused"),
            "TimescaleDB is available but could not be enabled ({Error}); using native partitioning");

    private static readonly Action<ILogger, string, DateTimeOffset, DateTimeOffset, Exception?> s_partitionCreated =
        LoggerMessage.Define<string, DateTimeOffset, DateTimeOffset>(LogLevel.Information, new EventId(3, "PostgresPartitionCreated"),
            "Created partition {Partition} for [{From:O}, {To:O})");

    private static readonly Action<ILogger, string, DateTimeOffset, DateTimeOffset, string, Exception?> s_partitionToDefault =
        LoggerMessage.Define<string, DateTimeOffset, DateTimeOffset, string>(LogLevel.Warning, new EventId(4, "PostgresPartitionToDefault"),
            "Partition {Partition} for [{From:O}, {To:O}) not attached ({Reason}); its rows go to the default partition");

    private static readonly Action<ILogger, string, Exception?> s_partitionAheadFailed =
        LoggerMessage.Define<string>(LogLevel.Warning, new EventId(5, "PostgresPartitionAheadFailed"),
            "Could not create partition {Partition} ahead of time; will retry on a later write");

    private static readonly Action<ILogger, string, Exception?> s_partitionDropped =
        LoggerMessage.Define<string>(LogLevel.Information, new EventId(6, "PostgresPartitionDropped"),
            "Dropped partition {Partition} (retention)");

    private static readonly Action<ILogger, int, Exception?> s_tooManyPartitions =
        LoggerMessage.Define<int>(LogLevel.Warning, new EventId(7, "PostgresTooManyPartitions"),
            "A write touched more than {Limit} days without a partition; rows of the others go to the default partition");

    public static void Ready(ILogger logger, string endpoint, string version, PostgresEventsLayout layout, string jsonType) =>
        s_ready(logger, endpoint, version, layout, jsonType, null);

    public static void TimescaleRefused(ILogger logger, string error) => s_timescaleRefused(logger, error, null);

    public static void PartitionCreated(ILogger logger, string name, DateTimeOffset from, DateTimeOffset to) =>
        s_partitionCreated(logger, name, from, to, null);

    public static void PartitionToDefault(ILogger logger, string name, DateTimeOffset from, DateTimeOffset to, string reason) =>
        s_partitionToDefault(logger, name, from, to, reason, null);

    public static void PartitionAheadFailed(ILogger logger, string name, Exception error) => s_partitionAheadFailed(logger, name, error);

    public static void PartitionDropped(ILogger logger, string name) => s_partitionDropped(logger, name, null);

    public static void TooManyPartitions(ILogger logger, int limit) => s_tooManyPartitions(logger, limit, null);
}
