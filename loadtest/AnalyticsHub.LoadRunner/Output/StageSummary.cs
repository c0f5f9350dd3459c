using System.Globalization;
using AnalyticsHub.LoadRunner.Campaign;
using AnalyticsHub.LoadRunner.Reporting;

namespace AnalyticsHub.LoadRunner.Output;

/// <summary>A stage's result in one line: rate (or, for a ramp, the rate kept up with), p99, errors, failed thresholds.</summary>
internal static class StageSummary
{
    public static string Text(StageReport stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        var text = Run(stage.Load);
        if (stage.Query is { } query)
        {
            text += "; queries: " + Run(query);
        }

        var failed = stage.Load.Thresholds.Concat(stage.Query?.Thresholds ?? []).Where(t => !t.Passed).Select(t => t.Name).ToList();
        return failed.Count == 0 ? text : text + "; unmet: " + string.Join(", ", failed);
    }

    private static string Run(RunReport r)
    {
        var unit = r.Query is null ? "ev/s" : "q/s";
        var rate = r.Ramp is { } ramp
            ? string.Create(CultureInfo.InvariantCulture, $"kept up to {ramp.SustainedPerSecond:N0} {unit}")
            : string.Create(CultureInfo.InvariantCulture, $"median {r.Rate.MedianEventsPerSecond:N0} {unit}");
        var errors = r.Errors.Sum(e => e.Count);
        return string.Create(CultureInfo.InvariantCulture, $"{rate}, p99 {r.Latency.P99Ms:0.0} ms, {errors:N0} errors");
    }
}
