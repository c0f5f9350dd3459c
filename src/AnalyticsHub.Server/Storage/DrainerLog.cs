namespace AnalyticsHub.Server.Storage;

/// <summary>Log messages of the store drainer (event ids 400–449).</summary>
internal static partial class DrainerLog
{
    [LoggerMessage(400, LogLevel.Information, "Store '{Kind}' ready")]
    public static partial void StoreReady(ILogger logger, string kind);

    [LoggerMessage(401, LogLevel.Error, "Store '{Kind}' cannot be initialised (retrying in {DelayMs} ms): {Reason}")]
    public static partial void StoreInitFailed(ILogger logger, string kind, int delayMs, string reason);

    [LoggerMessage(402, LogLevel.Warning, "Store '{Kind}' unavailable, attempt {Attempt} (retrying in {DelayMs} ms; the WAL keeps the backlog): {Reason}")]
    public static partial void StoreUnavailable(ILogger logger, string kind, int attempt, int delayMs, string reason);

    [LoggerMessage(403, LogLevel.Warning, "The store refused a batch of {Rows} events; splitting it to isolate the refused ones: {ServerMessage}")]
    public static partial void BatchRejected(ILogger logger, int rows, string serverMessage);

    [LoggerMessage(404, LogLevel.Warning, "Event {EventId} refused by store '{Kind}', moved to the dead-letter log: {ServerMessage}")]
    public static partial void EventRejected(ILogger logger, string eventId, string kind, string serverMessage);

    [LoggerMessage(405, LogLevel.Error, "WAL record at {Address} is damaged ({Error}); its events are skipped")]
    public static partial void DamagedRecord(ILogger logger, long address, string error);

    [LoggerMessage(406, LogLevel.Error, "Dead-letter store write failed (will retry): {Reason}")]
    public static partial void DeadLetterFailed(ILogger logger, string reason);

    [LoggerMessage(407, LogLevel.Error, "Store drainer stopped: the write-ahead log failed: {Reason}")]
    public static partial void WalFailed(ILogger logger, string reason);

    [LoggerMessage(408, LogLevel.Critical, "Store drainer crashed: {Reason}")]
    public static partial void Crashed(ILogger logger, string reason);

    [LoggerMessage(409, LogLevel.Information, "Retention on store '{Kind}': events before {Cutoff} removed ({Removed}; -1 = whole partitions dropped)")]
    public static partial void RetentionApplied(ILogger logger, string kind, DateTimeOffset cutoff, long removed);

    [LoggerMessage(411, LogLevel.Warning, "Store '{Kind}' reports events stored up to WAL address {StoredBefore}, past this log's tail {Tail}: the WAL was recreated while the store was kept; that position is ignored")]
    public static partial void ForeignResume(ILogger logger, string kind, long storedBefore, long tail);

    [LoggerMessage(410, LogLevel.Warning, "Retention on store '{Kind}' failed (retrying in a minute): {Reason}")]
    public static partial void RetentionFailed(ILogger logger, string kind, string reason);
}
