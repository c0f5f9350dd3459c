namespace AnalyticsHub.Storage.Wal;

/// <summary>Outcome of <see cref="WriteAheadLog.TryAppend(ReadOnlySpan{byte}, out long)"/>. Only <see cref="Appended"/> wrote anything.</summary>
public enum WalAppendStatus
{
    /// <summary>The record is in the log (not yet durable: see <see cref="WriteAheadLog.WaitForDurableAsync"/>).</summary>
    Appended = 0,

    /// <summary>The backlog behind the slowest reader reached <see cref="WalOptions.MaxBacklogBytes"/>:
    /// slow the producer down and retry later.</summary>
    OverBacklog = 1,

    /// <summary>The record (plus its 4-byte header) does not fit in one log page.</summary>
    RecordTooLarge = 2,

    /// <summary>The log failed (disk error) or is disposed; <see cref="WriteAheadLog.Fault"/> says why.</summary>
    Unavailable = 3,
}
