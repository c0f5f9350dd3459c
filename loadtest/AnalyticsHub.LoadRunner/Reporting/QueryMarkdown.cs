using System.Globalization;

namespace AnalyticsHub.LoadRunner.Reporting;

/// <summary>report.md of a query run: queries/s, query latency next to the server's own time, cache hits and sources.</summary>
internal static class QueryMarkdown
{
    public static string Write(RunReport r, QueryReport q)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(q);
        var md = new MarkdownText();
        var s = r.Scenario;
        md.Title(r);
        md.Line($"## Scenario");
        md.Blank();
        md.Line($"| endpoint | clients | queries | body | warmup + measured | target rate |");
        md.Line($"|---|---:|---|---:|---|---|");
        md.Line($"| {q.Url} | {q.Clients} | {string.Join(", ", q.Files)} | {q.BodyBytes:N0} B | {s.WarmupSeconds:0} s + {s.DurationSeconds:0} s | {(s.TargetRate > 0 ? s.TargetRate.ToString("N0", CultureInfo.InvariantCulture) + " queries/s" : "closed loop")} |");
        md.Blank();
        md.Machine(r, "query");
        md.Line($"## Rate (answered queries/s, steady state, {r.Rate.SteadySeconds} s)");
        md.Blank();
        md.Line($"| median | mean | min | max |");
        md.Line($"|---:|---:|---:|---:|");
        md.Line($"| {r.Rate.MedianEventsPerSecond:N0} | {r.Rate.MeanEventsPerSecond:N0} | {r.Rate.MinEventsPerSecond:N0} | {r.Rate.MaxEventsPerSecond:N0} |");
        md.Blank();
        md.Line($"## Latency (ms, steady state, {r.Latency.Batches:N0} answers)");
        md.Blank();
        md.Line($"Client: request sent → last byte of the answer read. Server: the answer's `meta.execution_time_ms` (inside the hub's query executor, before the JSON is written). Overhead: client − server per answer (parsing and validation, JSON writing, transfer, reading).");
        md.Blank();
        md.Line($"| | p50 | p95 | p99 | p99.9 | max | mean |");
        md.Line($"|---|---:|---:|---:|---:|---:|---:|");
        Latency(md, "client", r.Latency);
        Latency(md, "server", q.ServerTime);
        Latency(md, "overhead", q.Overhead);
        md.Blank();
        md.Line($"## Answers (steady state)");
        md.Blank();
        md.Line($"| answers | cached | cached share | sources | without meta | mean rows | mean size | max size |");
        md.Line($"|---:|---:|---:|---|---:|---:|---:|---:|");
        var sources = q.Sources.Count == 0 ? "-" : string.Join(", ", q.Sources.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Kind} {c.Count:N0}")));
        md.Line($"| {q.Answers:N0} | {q.Cached:N0} | {q.CachedShare * 100:0.0}% | {sources} | {q.WithoutMeta:N0} | {q.MeanRows:N1} | {q.MeanResponseBytes:N0} B | {q.MaxResponseBytes:N0} B |");
        md.Blank();
        md.Line($"## Totals (whole run)");
        md.Blank();
        md.Line($"| queries sent | answered | failed |");
        md.Line($"|---:|---:|---:|");
        md.Line($"| {r.Totals.BatchesSent:N0} | {r.Totals.BatchesAcked:N0} | {r.Totals.BatchesFailed:N0} |");
        md.Blank();
        md.Errors(r, "queries");
        md.Thresholds(r);
        ServerMarkdown.Ramp(md, r.Ramp, "queries/s");
        ServerMarkdown.Server(md, r.Server);
        md.Line($"## Per second");
        md.Blank();
        md.Line($"| s | phase | queries/s | answers | cached | p50 ms | p95 ms | p99 ms | max ms | errors | client CPU % |");
        md.Line($"|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var i in r.Seconds)
        {
            var rate = i.Phase == "drain"
                ? string.Create(CultureInfo.InvariantCulture, $"({i.Batches:N0} in {i.DurationSeconds:0.00} s)")
                : i.EventsPerSecond.ToString("N0", CultureInfo.InvariantCulture);
            md.Line($"| {i.Second} | {i.Phase} | {rate} | {i.Batches:N0} | {i.Cached:N0} | {i.P50Ms:0.00} | {i.P95Ms:0.00} | {i.P99Ms:0.00} | {i.MaxMs:0.00} | {i.Errors} | {i.ClientCpuPercent:0} |");
        }

        return md.ToString();
    }

    private static void Latency(MarkdownText md, string name, LatencyReport l) =>
        md.Line($"| {name} | {l.P50Ms:0.00} | {l.P95Ms:0.00} | {l.P99Ms:0.00} | {l.P999Ms:0.00} | {l.MaxMs:0.00} | {l.MeanMs:0.00} |");
}
