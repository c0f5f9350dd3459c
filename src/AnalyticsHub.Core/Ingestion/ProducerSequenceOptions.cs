namespace AnalyticsHub.Core.Ingestion;

/// <summary>Settings of <see cref="ProducerSequences"/> (configuration <c>Hub:Ingest:MaxProducers</c>, <c>AcksPerProducer</c>).</summary>
public sealed record ProducerSequenceOptions
{
    /// <summary>Producers tracked at once; beyond it the least recently used one with nothing in flight is forgotten.</summary>
    public int MaxProducers { get; init; } = 100_000;

    /// <summary>
    /// Completed sequences whose acks are kept per producer (the highest ones). A producer that
    /// pipelines must keep its oldest unacknowledged sequence within this many of its newest:
    /// a never-seen sequence at or below one whose ack was already dropped is answered as
    /// <see cref="SequenceClaimKind.Stale"/> (its batch cannot be told from one processed long ago).
    /// </summary>
    public int AcksPerProducer { get; init; } = 256;
}
