namespace AnalyticsHub.Core.Ingestion;

/// <summary>What <see cref="ProducerSequences.Claim"/> found for a (producer, sequence).</summary>
public enum SequenceClaimKind
{
    /// <summary>Not seen before: the caller stores the batch, then calls Complete or Abandon.</summary>
    New,

    /// <summary>Already durable: answer with <see cref="SequenceClaim.Ack"/>, store nothing.</summary>
    Completed,

    /// <summary>Another attempt is being stored: await <see cref="SequenceClaim.InFlight"/> for its ack.</summary>
    InFlight,

    /// <summary>At or below a sequence whose ack was dropped (beyond AcksPerProducer) and not remembered: processed long ago; ack it as such.</summary>
    Stale,
}
