using AnalyticsHub.Protocol.Ingest;

namespace AnalyticsHub.Server.Ingestion;

/// <summary>What admitting one batch came to.</summary>
public enum IngestStatus : byte
{
    /// <summary>Appended to the WAL at <see cref="IngestOutcome.Address"/>; acknowledge once it is durable.</summary>
    Appended,

    /// <summary>Nothing to append (every event a duplicate); acknowledge at once.</summary>
    Immediate,

    /// <summary>A retry of a batch already processed (or in flight): answer with its original acknowledgement.</summary>
    Retry,

    /// <summary>The WAL backlog is full: nothing was kept; push back and retry later.</summary>
    Backpressure,

    /// <summary>The WAL cannot be written (disk full, read-only, failed): nothing was kept.</summary>
    Unavailable,

    /// <summary>The batch's WAL record would not fit one log page.</summary>
    TooLarge,
}

/// <summary>
/// The result of <see cref="IngestPipeline.Admit"/>. For <see cref="IngestStatus.Appended"/> the
/// caller must call <see cref="IngestPipeline.CompleteAsync"/> to wait for durability; for
/// <see cref="IngestStatus.Retry"/> it awaits <see cref="RetryAck"/>.
/// </summary>
public readonly struct IngestOutcome
{
    public IngestStatus Status { get; init; }

    public long Address { get; init; }

    /// <summary>The encoded BatchAck to send (Appended, Immediate).</summary>
    public ReadOnlyMemory<byte> Ack { get; init; }

    public Task<ReadOnlyMemory<byte>>? RetryAck { get; init; }

    /// <summary>What admission made of the batch's events (Appended, Immediate), for its trace span.</summary>
    public AdmissionCounts Counts { get; init; }

    /// <summary>Identifies the claim and remembered ids to settle once durable (Appended).</summary>
    internal IngestTicket? Ticket { get; init; }

    public string? Error { get; init; }
}
