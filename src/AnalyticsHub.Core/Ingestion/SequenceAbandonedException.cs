namespace AnalyticsHub.Core.Ingestion;

/// <summary>
/// Faults a retry that waited on an attempt which was abandoned without an error of its own
/// (e.g. refused for backpressure): nothing was stored, so the batch should be sent again.
/// </summary>
public sealed class SequenceAbandonedException : Exception
{
    public SequenceAbandonedException()
        : this(0)
    {
    }

    public SequenceAbandonedException(string message)
        : base(message)
    {
    }

    public SequenceAbandonedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SequenceAbandonedException(ulong sequence)
        : base($"The first attempt of batch {sequence} was not stored; send the batch again.")
    {
        Sequence = sequence;
    }

    /// <summary>The batch's sequence (0 when not known).</summary>
    public ulong Sequence { get; }
}
