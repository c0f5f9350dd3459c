namespace AnalyticsHub.Server.Ingestion;

/// <summary>Source-generated log messages of ingestion (event ids 200–299). Never per event.</summary>
internal static partial class IngestLog
{
    [LoggerMessage(200, LogLevel.Warning, "Dead-letter rate {Rate:P1} is above the {Threshold:P1} threshold: {Rejected} of {Received} events rejected in the last window. See GET /api/v1/dlq.")]
    public static partial void DeadLetterRateHigh(ILogger logger, double rate, double threshold, long rejected, long received);

    [LoggerMessage(201, LogLevel.Information, "Write-ahead log open at {Directory}: {Bytes} bytes from address {Begin} to {Tail}; {Producers} producers and {EventIds} event ids restored in {ElapsedMs} ms.")]
    public static partial void WalRecovered(ILogger logger, string directory, long bytes, long begin, long tail, int producers, long eventIds, long elapsedMs);

    [LoggerMessage(202, LogLevel.Error, "Write-ahead log unavailable: {Reason}")]
    public static partial void WalUnavailable(ILogger logger, string reason);

    [LoggerMessage(203, LogLevel.Warning, "Ingest stream from {Peer} ended: {Reason}")]
    public static partial void StreamFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(204, LogLevel.Warning, "Skipped an unreadable WAL record at address {Address} while restoring idempotency state.")]
    public static partial void UnreadableRecord(ILogger logger, long address);
}
