using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnalyticsHub.LoadRunner.Reporting;

/// <summary>Writes a <see cref="RunReport"/> as report.json and report.md, and reads report.json back.</summary>
public static class ReportWriter
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Writes both files into <paramref name="directory"/> (created if missing); returns their paths.</summary>
    public static (string Json, string Markdown) Write(RunReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "report.json");
        var markdown = Path.Combine(directory, "report.md");
        File.WriteAllText(json, ToJson(report));
        File.WriteAllText(markdown, ToMarkdown(report));
        return (json, markdown);
    }

    public static string ToJson(RunReport report) => JsonSerializer.Serialize(report, JsonOptions) + "\n";

    public static RunReport FromJson(string json) =>
        JsonSerializer.Deserialize<RunReport>(json, JsonOptions) ?? throw new JsonException("The report is null.");

    public static string ToMarkdown(RunReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.Query is { } query)
        {
            return QueryMarkdown.Write(r, query);
        }

        var md = new MarkdownText();
        var s = r.Scenario;
        md.Title(r);
        md.Line($"## Scenario");
        md.Blank();
        md.Line($"| target | mode | connections × streams | batch | in flight | warmup + measured | target rate | mix | batch size |");
        md.Line($"|---|---|---|---|---|---|---|---|---|");
        md.Line($"| {s.Target} | {s.Mode} | {s.Connections} × {s.Streams} | {s.Batch:N0} | {s.Inflight} | {s.WarmupSeconds:0} s + {s.DurationSeconds:0} s | {(s.TargetRate > 0 ? s.TargetRate.ToString("N0", CultureInfo.InvariantCulture) + "/s" : "max")} | {s.Mix} | {s.BatchBytes:N0} B ({s.BytesPerEvent:0.#} B/event) |");
        if (s.TimeSpreadHours > 0 || (s.Models != 0 && s.Models != Generation.ModelNames.Default))
        {
            md.Blank();
            md.Line($"Event times spread over the past {s.TimeSpreadHours:0.###} h (0: all \"now\"); {s.Models} distinct models.");
        }

        md.Blank();
        md.Machine(r, "acknowledged batch");
        md.Line($"## Rate (acknowledged events/s, steady state, {r.Rate.SteadySeconds} s)");
        md.Blank();
        md.Line($"| median | mean | min | max | MB/s at mean |");
        md.Line($"|---:|---:|---:|---:|---:|");
        md.Line($"| {r.Rate.MedianEventsPerSecond:N0} | {r.Rate.MeanEventsPerSecond:N0} | {r.Rate.MinEventsPerSecond:N0} | {r.Rate.MaxEventsPerSecond:N0} | {r.Rate.MeanMegabytesPerSecond:0.0} |");
        md.Blank();
        md.Line($"## Ack latency (write → ack, ms, steady state, {r.Latency.Batches:N0} batches)");
        md.Blank();
        md.Line($"| p50 | p95 | p99 | p99.9 | max | mean |");
        md.Line($"|---:|---:|---:|---:|---:|---:|");
        md.Line($"| {r.Latency.P50Ms:0.00} | {r.Latency.P95Ms:0.00} | {r.Latency.P99Ms:0.00} | {r.Latency.P999Ms:0.00} | {r.Latency.MaxMs:0.00} | {r.Latency.MeanMs:0.00} |");
        md.Blank();
        md.Line($"## Totals (whole run)");
        md.Blank();
        md.Line($"| batches sent | acked | failed | events sent | acked | accepted | rejected | duplicates |");
        md.Line($"|---:|---:|---:|---:|---:|---:|---:|---:|");
        var t = r.Totals;
        md.Line($"| {t.BatchesSent:N0} | {t.BatchesAcked:N0} | {t.BatchesFailed:N0} | {t.EventsSent:N0} | {t.EventsAcked:N0} | {t.Accepted:N0} | {t.Rejected:N0} | {t.Duplicates:N0} |");
        md.Blank();
        md.Errors(r, "batches");
        if (r.Rejections.Count > 0)
        {
            md.Blank();
            md.Line($"Rejected events by reason code:");
            md.Blank();
            md.Line($"| code | events |");
            md.Line($"|---|---:|");
            foreach (var e in r.Rejections)
            {
                md.Line($"| {e.Kind} | {e.Count:N0} |");
            }
        }

        md.Thresholds(r);
        ServerMarkdown.Ramp(md, r.Ramp, "events/s");
        ServerMarkdown.Server(md, r.Server);
        md.Line($"## Per second");
        md.Blank();
        md.Line($"| s | phase | offered/s | events/s | acks | p50 ms | p95 ms | p99 ms | max ms | errors | client CPU % |");
        md.Line($"|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var i in r.Seconds)
        {
            // The drain is not a whole second: its events, not a rate.
            var rate = i.Phase == "drain"
                ? string.Create(CultureInfo.InvariantCulture, $"({i.Events:N0} in {i.DurationSeconds:0.00} s)")
                : i.EventsPerSecond.ToString("N0", CultureInfo.InvariantCulture);
            var offered = i.OfferedPerSecond > 0 ? i.OfferedPerSecond.ToString("N0", CultureInfo.InvariantCulture) : "max";
            md.Line($"| {i.Second} | {i.Phase} | {offered} | {rate} | {i.Batches:N0} | {i.P50Ms:0.00} | {i.P95Ms:0.00} | {i.P99Ms:0.00} | {i.MaxMs:0.00} | {i.Errors} | {i.ClientCpuPercent:0} |");
        }

        return md.ToString();
    }
}
