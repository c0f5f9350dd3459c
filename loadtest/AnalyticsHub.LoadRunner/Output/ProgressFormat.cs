using System.Globalization;
using AnalyticsHub.LoadRunner.Metrics;

namespace AnalyticsHub.LoadRunner.Output;

/// <summary>The one-line progress text shared by the live and the plain view.</summary>
internal static class ProgressFormat
{
    /// <summary>The line of an ingestion run.</summary>
    public static string Line(IntervalSample s, int totalIntervals) => string.Create(
        CultureInfo.InvariantCulture,
        $"[{s.Index + 1,3}/{totalIntervals}] {Phase(s.Phase),-6} {s.EventsPerSecond,12:N0} ev/s  {s.Batches,6:N0} acks  "
        + $"p50 {Ms(s.LatencyP50Nanos),8:0.00} ms  p99 {Ms(s.LatencyP99Nanos),8:0.00} ms  max {Ms(s.LatencyMaxNanos),8:0.00} ms  "
        + $"errors {s.Errors,4}  client cpu {s.ClientCpuPercent,5:0}%");

    /// <summary>The line of a query run: answered queries/s and the cached share of the second's answers.</summary>
    public static string QueryLine(IntervalSample s, int totalIntervals) => string.Create(
        CultureInfo.InvariantCulture,
        $"[{s.Index + 1,3}/{totalIntervals}] {Phase(s.Phase),-6} {s.EventsPerSecond,8:N0} q/s  cached {(s.Batches > 0 ? 100.0 * s.Cached / s.Batches : 0),5:0.0}%  "
        + $"p50 {Ms(s.LatencyP50Nanos),8:0.00} ms  p99 {Ms(s.LatencyP99Nanos),8:0.00} ms  max {Ms(s.LatencyMaxNanos),8:0.00} ms  "
        + $"errors {s.Errors,4}  client cpu {s.ClientCpuPercent,5:0}%");

    public static string Phase(RunPhase phase) => phase switch
    {
        RunPhase.Warmup => "warmup",
        RunPhase.Steady => "steady",
        _ => "drain",
    };

    public static double Ms(long nanos) => nanos / 1e6;
}
