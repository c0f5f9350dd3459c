namespace AnalyticsHub.Server.Query;

/// <summary>Log messages of the query executor (event ids 600–649).</summary>
internal static partial class QueryLog
{
    [LoggerMessage(600, LogLevel.Warning, "Background refresh of a cached query failed (callers will compute it themselves): {Query}")]
    public static partial void RefreshFailed(ILogger logger, string query, Exception exception);
}
