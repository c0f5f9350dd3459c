namespace AnalyticsHub.Server.Query;

/// <summary>Log messages of the query executor (event ids 600–649).</summary>
internal static partial class QueryLog
{
    [LoggerMessage(600, LogLevel.Warning, "Background refresh of a cached query failed (callers will compute it themselves): {Query}")]
    public static partial void RefreshFailed(ILogger logger, string query, Exception exception);

    [LoggerMessage(601, LogLevel.Information,
        "Slow rollup computation ({Kind}): {TotalMs:F1} ms ({StoreMs:F1} ms reading persisted rollups, {LockWaitMs:F1} ms waiting for the rollup read lock, {AccumulateMs:F1} ms merging series, {BuildMs:F1} ms building the result; {Points} points): {Query}")]
    public static partial void SlowComputation(
        ILogger logger, string kind, double totalMs, double storeMs, double lockWaitMs, double accumulateMs, double buildMs, int points, string query);
}
