namespace AnalyticsHub.LoadRunner.Metrics;

/// <summary>Counts over the whole run (warmup and drain included), plus the steady-state acks.</summary>
public sealed class RunTotals
{
    public long BatchesSent { get; set; }

    public long EventsSent { get; set; }

    public long BatchesAcked { get; set; }

    public long EventsAcked { get; set; }

    /// <summary>Batches written whose fate is unknown (their call failed before the ack).</summary>
    public long BatchesFailed { get; set; }

    public long Accepted { get; set; }

    public long Rejected { get; set; }

    public long Duplicates { get; set; }

    public long SteadyBatchesAcked { get; set; }

    public long SteadyEventsAcked { get; set; }

    public RunTotals Clone() => (RunTotals)MemberwiseClone();
}
