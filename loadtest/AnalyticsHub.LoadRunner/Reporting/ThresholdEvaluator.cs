namespace AnalyticsHub.LoadRunner.Reporting;

/// <summary>
/// Checks a run against its thresholds: <c>--min-rate</c> against the median steady-state
/// events/s, <c>--max-p99-ms</c> against the steady-state p99 ack latency (query mode: answered
/// queries/s and query latency).
/// </summary>
public static class ThresholdEvaluator
{
    public static IReadOnlyList<ThresholdResult> Evaluate(double? minRate, double? maxP99Ms, RateReport rate, LatencyReport latency, bool queries = false)
    {
        ArgumentNullException.ThrowIfNull(rate);
        ArgumentNullException.ThrowIfNull(latency);
        var results = new List<ThresholdResult>();
        if (minRate is { } min)
        {
            results.Add(new ThresholdResult(queries ? "min-rate (median queries/s)" : "min-rate (median events/s)", min, rate.MedianEventsPerSecond, rate.MedianEventsPerSecond >= min));
        }

        if (maxP99Ms is { } max)
        {
            // No measured batch has no p99: that cannot pass a latency bound.
            results.Add(new ThresholdResult(queries ? "max-p99-ms (query latency)" : "max-p99-ms (ack latency)", max, latency.P99Ms, latency.Batches > 0 && latency.P99Ms <= max));
        }

        return results;
    }

    /// <summary>
    /// <see cref="ExitCodes.NoAcks"/> when nothing was acknowledged in the steady state, else
    /// <see cref="ExitCodes.ThresholdUnmet"/> when a threshold failed, else <see cref="ExitCodes.Passed"/>.
    /// </summary>
    public static int ExitCode(IReadOnlyList<ThresholdResult> thresholds, long steadyBatchesAcked)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        if (steadyBatchesAcked == 0)
        {
            return ExitCodes.NoAcks;
        }

        foreach (var t in thresholds)
        {
            if (!t.Passed)
            {
                return ExitCodes.ThresholdUnmet;
            }
        }

        return ExitCodes.Passed;
    }
}
