namespace AnalyticsHub.LoadRunner.Metrics;

/// <summary>Where in the run an interval falls.</summary>
public enum RunPhase
{
    Warmup,
    Steady,
    Drain,
}

/// <summary>One closed interval (normally one second) of a run.</summary>
/// <param name="Index">0-based interval number since the start.</param>
/// <param name="Seconds">Length of the interval (wall clock).</param>
/// <param name="EventsAcked">Events in batches acknowledged during the interval.</param>
/// <param name="Accepted">Events the acks called accepted.</param>
/// <param name="Batches">Batches acknowledged.</param>
/// <param name="Errors">Failed batches and calls.</param>
/// <param name="LatencyP50Nanos">Ack latency of the interval's batches.</param>
/// <param name="ClientCpuPercent">This process's CPU time over the interval, in % of one core.</param>
/// <param name="Cached">Query mode: answers of the interval served from the hub's result cache.</param>
/// <param name="OfferedPerSecond">The rate offered during the interval (0: closed loop).</param>
public readonly record struct IntervalSample(
    int Index,
    RunPhase Phase,
    double Seconds,
    long EventsAcked,
    long Accepted,
    long Batches,
    long Errors,
    long LatencyP50Nanos,
    long LatencyP95Nanos,
    long LatencyP99Nanos,
    long LatencyMaxNanos,
    double ClientCpuPercent,
    long Cached = 0,
    double OfferedPerSecond = 0)
{
    public double EventsPerSecond => Seconds > 0 ? EventsAcked / Seconds : 0;
}
