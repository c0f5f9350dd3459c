using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Reporting;

/// <summary>
/// Checks a run against its thresholds: <c>--min-rate</c> against the median steady-state
/// events/s (a ramp: the highest offered rate it kept up with), <c>--max-p99-ms</c> against the
/// steady-state p99 ack latency, <c>--max-errors</c> against the failed batches of the whole run
/// (query mode: answered queries/s, query latency, failed queries).
/// </summary>
public static class ThresholdEvaluator
{
    public static IReadOnlyList<ThresholdResult> Evaluate(LoadScenario scenario, RateReport rate, LatencyReport latency, RampReport? ramp, long errors)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(rate);
        ArgumentNullException.ThrowIfNull(latency);
        var queries = scenario.Mode == LoadMode.Query;
        var unit = queries ? "queries/s" : "events/s";
        var results = new List<ThresholdResult>();
        if (scenario.MinRate is { } min)
        {
            results.Add(ramp is null
                ? new ThresholdResult($"min-rate (median {unit})", min, rate.MedianEventsPerSecond, rate.MedianEventsPerSecond >= min)
                : new ThresholdResult($"min-rate (ramp: highest {unit} kept up with)", min, ramp.SustainedPerSecond, ramp.SustainedPerSecond >= min));
        }

        if (scenario.MaxP99Ms is { } max)
        {
            // No measured batch has no p99: that cannot pass a latency bound.
            results.Add(new ThresholdResult(queries ? "max-p99-ms (query latency)" : "max-p99-ms (ack latency)", max, latency.P99Ms, latency.Batches > 0 && latency.P99Ms <= max));
        }

        if (scenario.MaxErrors is { } maxErrors)
        {
            results.Add(new ThresholdResult(queries ? "max-errors (failed queries)" : "max-errors (failed batches)", maxErrors, errors, errors <= maxErrors));
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
