namespace AnalyticsHub.Server.Rollups;

/// <summary>Log messages of the rollup worker (event ids 500–519).</summary>
internal static partial class RollupLog
{
    [LoggerMessage(500, LogLevel.Information, "Rollups ready: {Rows} persisted buckets reloaded, replaying the WAL from {From}")]
    public static partial void Ready(ILogger logger, int rows, long from);

    [LoggerMessage(501, LogLevel.Warning, "Rollup store unavailable, attempt {Attempt} (retrying in {DelayMs} ms; changed buckets stay in memory): {Reason}")]
    public static partial void StoreUnavailable(ILogger logger, int attempt, int delayMs, string reason);

    [LoggerMessage(502, LogLevel.Error, "The store refused a rollup flush of {Rows} rows (kept in memory, retried): {Reason}")]
    public static partial void FlushRefused(ILogger logger, int rows, string reason);

    [LoggerMessage(503, LogLevel.Error, "WAL record at {Address} is damaged ({Error}); its events are not rolled up")]
    public static partial void DamagedRecord(ILogger logger, long address, string error);

    [LoggerMessage(504, LogLevel.Critical, "Rollup worker crashed: {Reason}")]
    public static partial void Crashed(ILogger logger, string reason);

    [LoggerMessage(505, LogLevel.Warning, "Rollups were flushed up to WAL address {Flushed}, but the WAL now begins at {Begin}: events in between are not in the rollups (their raw rows are in the store)")]
    public static partial void ReplayGap(ILogger logger, long flushed, long begin);

    [LoggerMessage(506, LogLevel.Warning, "Rollup store reports a flush position {Flushed} past this log's tail {Tail}: the WAL was recreated while the store was kept; that position is ignored")]
    public static partial void ForeignCheckpoint(ILogger logger, long flushed, long tail);

    [LoggerMessage(507, LogLevel.Warning, "Rollup retention failed (retrying in a minute): {Reason}")]
    public static partial void RetentionFailed(ILogger logger, string reason);
}
