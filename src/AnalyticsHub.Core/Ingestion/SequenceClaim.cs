namespace AnalyticsHub.Core.Ingestion;

/// <summary>The answer of <see cref="ProducerSequences.Claim"/>; <c>default</c> is <see cref="SequenceClaimKind.New"/>.</summary>
public readonly struct SequenceClaim
{
    private SequenceClaim(SequenceClaimKind kind, ReadOnlyMemory<byte> ack, Task<ReadOnlyMemory<byte>>? inFlight)
    {
        Kind = kind;
        Ack = ack;
        InFlight = inFlight;
    }

    internal static SequenceClaim New => default;

    internal static SequenceClaim Stale => new(SequenceClaimKind.Stale, default, null);

    public SequenceClaimKind Kind { get; }

    /// <summary>For <see cref="SequenceClaimKind.Completed"/>: the encoded ack of the first attempt.</summary>
    public ReadOnlyMemory<byte> Ack { get; }

    /// <summary>
    /// For <see cref="SequenceClaimKind.InFlight"/>: completes with the first attempt's ack once it
    /// is durable; faults if that attempt is abandoned (with its error, or
    /// <see cref="SequenceAbandonedException"/>: retry). Continuations run asynchronously.
    /// </summary>
    public Task<ReadOnlyMemory<byte>>? InFlight { get; }

    internal static SequenceClaim Completed(ReadOnlyMemory<byte> ack) => new(SequenceClaimKind.Completed, ack, null);

    internal static SequenceClaim Pending(Task<ReadOnlyMemory<byte>> inFlight) => new(SequenceClaimKind.InFlight, default, inFlight);
}
