using System.Globalization;
using System.Text;
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
        var md = new StringBuilder();
        void Line(FormattableString text) => md.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');

        var s = r.Scenario;
        Line($"# Load run {r.RunId}: {s.Mode}, {(r.Passed ? "PASSED" : r.ExitCode == ExitCodes.NoAcks ? "NO ACKS" : "FAILED")}");
        Line($"");
        Line($"Started {r.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, {r.ElapsedSeconds:0.0} s in all{(r.Interrupted ? " (interrupted)" : "")}.");
        Line($"");
        Line($"```");
        Line($"{r.CommandLine}");
        Line($"```");
        Line($"");
        Line($"## Scenario");
        Line($"");
        Line($"| target | mode | connections × streams | batch | in flight | warmup + measured | target rate | mix | batch size |");
        Line($"|---|---|---|---|---|---|---|---|---|");
        Line($"| {s.Target} | {s.Mode} | {s.Connections} × {s.Streams} | {s.Batch:N0} | {s.Inflight} | {s.WarmupSeconds:0} s + {s.DurationSeconds:0} s | {(s.TargetRate > 0 ? s.TargetRate.ToString("N0", CultureInfo.InvariantCulture) + "/s" : "max")} | {s.Mix} | {s.BatchBytes:N0} B ({s.BytesPerEvent:0.#} B/event) |");
        Line($"");
        Line($"## Machine");
        Line($"");
        Line($"{r.Machine.Cores} cores, {r.Machine.CpuModel}; {r.Machine.Os}; {r.Machine.Runtime}; host {r.Machine.Host}.");
        Line($"The generator runs on the same machine as the hub: it used {r.Client.CpuPercent:0.#}% of one core in the steady state ({r.Client.AllocatedBytesPerBatch:N0} bytes allocated per acknowledged batch).");
        Line($"");
        Line($"## Rate (acknowledged events/s, steady state, {r.Rate.SteadySeconds} s)");
        Line($"");
        Line($"| median | mean | min | max | MB/s at mean |");
        Line($"|---:|---:|---:|---:|---:|");
        Line($"| {r.Rate.MedianEventsPerSecond:N0} | {r.Rate.MeanEventsPerSecond:N0} | {r.Rate.MinEventsPerSecond:N0} | {r.Rate.MaxEventsPerSecond:N0} | {r.Rate.MeanMegabytesPerSecond:0.0} |");
        Line($"");
        Line($"## Ack latency (write → ack, ms, steady state, {r.Latency.Batches:N0} batches)");
        Line($"");
        Line($"| p50 | p95 | p99 | p99.9 | max | mean |");
        Line($"|---:|---:|---:|---:|---:|---:|");
        Line($"| {r.Latency.P50Ms:0.00} | {r.Latency.P95Ms:0.00} | {r.Latency.P99Ms:0.00} | {r.Latency.P999Ms:0.00} | {r.Latency.MaxMs:0.00} | {r.Latency.MeanMs:0.00} |");
        Line($"");
        Line($"## Totals (whole run)");
        Line($"");
        Line($"| batches sent | acked | failed | events sent | acked | accepted | rejected | duplicates |");
        Line($"|---:|---:|---:|---:|---:|---:|---:|---:|");
        var t = r.Totals;
        Line($"| {t.BatchesSent:N0} | {t.BatchesAcked:N0} | {t.BatchesFailed:N0} | {t.EventsSent:N0} | {t.EventsAcked:N0} | {t.Accepted:N0} | {t.Rejected:N0} | {t.Duplicates:N0} |");
        Line($"");
        Line($"## Errors");
        Line($"");
        if (r.Errors.Count == 0)
        {
            Line($"None.");
        }
        else
        {
            Line($"| kind | batches |");
            Line($"|---|---:|");
            foreach (var e in r.Errors)
            {
                Line($"| {e.Kind} | {e.Count:N0} |");
            }
        }

        if (r.Rejections.Count > 0)
        {
            Line($"");
            Line($"Rejected events by reason code:");
            Line($"");
            Line($"| code | events |");
            Line($"|---|---:|");
            foreach (var e in r.Rejections)
            {
                Line($"| {e.Kind} | {e.Count:N0} |");
            }
        }

        Line($"");
        Line($"## Thresholds");
        Line($"");
        if (r.Thresholds.Count == 0)
        {
            Line($"None given.");
        }
        else
        {
            Line($"| threshold | limit | actual | result |");
            Line($"|---|---:|---:|---|");
            foreach (var th in r.Thresholds)
            {
                Line($"| {th.Name} | {th.Limit:N2} | {th.Actual:N2} | {(th.Passed ? "pass" : "FAIL")} |");
            }
        }

        Line($"");
        Line($"Exit code {r.ExitCode}.");
        Line($"");
        Line($"## Per second");
        Line($"");
        Line($"| s | phase | events/s | acks | p50 ms | p99 ms | max ms | errors | client CPU % |");
        Line($"|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var i in r.Seconds)
        {
            // The drain is not a whole second: its events, not a rate.
            var rate = i.Phase == "drain"
                ? string.Create(CultureInfo.InvariantCulture, $"({i.Events:N0} in {i.DurationSeconds:0.00} s)")
                : i.EventsPerSecond.ToString("N0", CultureInfo.InvariantCulture);
            Line($"| {i.Second} | {i.Phase} | {rate} | {i.Batches:N0} | {i.P50Ms:0.00} | {i.P99Ms:0.00} | {i.MaxMs:0.00} | {i.Errors} | {i.ClientCpuPercent:0} |");
        }

        return md.ToString();
    }
}
