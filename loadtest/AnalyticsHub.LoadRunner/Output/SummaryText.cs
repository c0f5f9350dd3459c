using System.Globalization;
using AnalyticsHub.LoadRunner.Reporting;

namespace AnalyticsHub.LoadRunner.Output;

/// <summary>The few lines printed after a run, for ingestion and for query runs.</summary>
internal static class SummaryText
{
    public static IEnumerable<string> Lines(RunReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var c = CultureInfo.InvariantCulture;
        if (r.Query is { } q)
        {
            yield return string.Create(c, $"rate (answered queries/s, {r.Rate.SteadySeconds} steady s): median {r.Rate.MedianEventsPerSecond:N0}, mean {r.Rate.MeanEventsPerSecond:N0}, min {r.Rate.MinEventsPerSecond:N0}, max {r.Rate.MaxEventsPerSecond:N0}");
            yield return string.Create(c, $"query latency ms ({r.Latency.Batches:N0} answers): p50 {r.Latency.P50Ms:0.00}, p95 {r.Latency.P95Ms:0.00}, p99 {r.Latency.P99Ms:0.00}, p99.9 {r.Latency.P999Ms:0.00}, max {r.Latency.MaxMs:0.00}");
            yield return string.Create(c, $"server execution_time_ms: p50 {q.ServerTime.P50Ms:0.00}, p95 {q.ServerTime.P95Ms:0.00}, p99 {q.ServerTime.P99Ms:0.00}, max {q.ServerTime.MaxMs:0.00}; overhead (client − server) p50 {q.Overhead.P50Ms:0.00}, p99 {q.Overhead.P99Ms:0.00}");
            var sources = q.Sources.Count == 0 ? "none" : string.Join(", ", q.Sources.Select(s => string.Create(c, $"{s.Kind} {s.Count:N0}")));
            yield return string.Create(c, $"answers: {q.Answers:N0}, cached {q.Cached:N0} ({q.CachedShare * 100:0.0}%), sources: {sources}, mean {q.MeanResponseBytes:N0} B, mean rows {q.MeanRows:N1}{(q.WithoutMeta > 0 ? $", {q.WithoutMeta:N0} without meta" : "")}");
            yield return string.Create(c, $"totals: {r.Totals.BatchesAcked:N0}/{r.Totals.BatchesSent:N0} queries answered, {r.Totals.BatchesFailed:N0} failed");
            yield return string.Create(c, $"client: {r.Client.CpuPercent:0.#}% of one core, {r.Client.AllocatedBytesPerBatch:N0} B allocated per query; load average {r.Machine.LoadAverage}");
        }
        else
        {
            yield return string.Create(c, $"rate (acked events/s, {r.Rate.SteadySeconds} steady s): median {r.Rate.MedianEventsPerSecond:N0}, mean {r.Rate.MeanEventsPerSecond:N0}, min {r.Rate.MinEventsPerSecond:N0}, max {r.Rate.MaxEventsPerSecond:N0}");
            yield return string.Create(c, $"ack latency ms ({r.Latency.Batches:N0} batches): p50 {r.Latency.P50Ms:0.00}, p95 {r.Latency.P95Ms:0.00}, p99 {r.Latency.P99Ms:0.00}, p99.9 {r.Latency.P999Ms:0.00}, max {r.Latency.MaxMs:0.00}");
            yield return string.Create(c, $"totals: {r.Totals.BatchesAcked:N0}/{r.Totals.BatchesSent:N0} batches acked, {r.Totals.Accepted:N0} accepted, {r.Totals.Rejected:N0} rejected, {r.Totals.Duplicates:N0} duplicates, {r.Totals.BatchesFailed:N0} batches failed");
            yield return string.Create(c, $"client: {r.Client.CpuPercent:0.#}% of one core, {r.Client.AllocatedBytesPerBatch:N0} B allocated per batch");
        }

        foreach (var e in r.Errors)
        {
            yield return string.Create(c, $"error: {e.Kind} × {e.Count:N0}");
        }

        foreach (var rj in r.Rejections)
        {
            yield return string.Create(c, $"rejected: {rj.Kind} × {rj.Count:N0}");
        }

        foreach (var t in r.Thresholds)
        {
            yield return string.Create(c, $"threshold {t.Name}: limit {t.Limit:N2}, actual {t.Actual:N2} → {(t.Passed ? "pass" : "FAIL")}");
        }

        yield return string.Create(c, $"exit code {r.ExitCode}");
    }
}
