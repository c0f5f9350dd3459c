using AnalyticsHub.LoadRunner.Metrics;
using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Load;

/// <summary>Everything a finished run measured, before it is turned into a report.</summary>
internal sealed record RunResult(
    LoadScenario Scenario,
    string RunId,
    DateTimeOffset StartedAt,
    TimeSpan Elapsed,
    IReadOnlyList<IntervalSample> Intervals,
    LogLinearHistogram SteadyLatency,
    RunTotals Totals,
    IReadOnlyDictionary<string, long> Errors,
    IReadOnlyDictionary<string, long> RejectionCodes,
    double SteadyClientCpuPercent,
    double SteadyAllocatedBytesPerBatch,
    int BatchBytes,
    bool Interrupted)
{
    /// <summary>What the answers said (query mode only).</summary>
    public QueryAnswerSnapshot? Queries { get; init; }
}
