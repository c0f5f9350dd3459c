using System.Globalization;
using System.Text.Json;
using AnalyticsHub.LoadRunner.Reporting;

namespace AnalyticsHub.LoadRunner.Campaign;

/// <summary>
/// Writes a campaign's reports: campaign.json (everything), campaign.md (a verdict table, then
/// each stage's key figures), campaign.html (the same with charts), and every stage's own
/// report.md/report.json under NN-stage/ (a mixed stage's query run under NN-stage/query/).
/// </summary>
public static class CampaignReportWriter
{
    /// <summary>Writes everything into <paramref name="directory"/>; returns the paths of campaign.md, .json and .html.</summary>
    public static (string Markdown, string Json, string Html) Write(CampaignReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        foreach (var stage in report.Stages)
        {
            var stageDirectory = Path.Combine(directory, stage.ReportDirectory);
            ReportWriter.Write(stage.Load, stageDirectory);
            if (stage.Query is { } query)
            {
                ReportWriter.Write(query, Path.Combine(stageDirectory, "query"));
            }
        }

        var markdown = Path.Combine(directory, "campaign.md");
        var json = Path.Combine(directory, "campaign.json");
        var html = Path.Combine(directory, "campaign.html");
        File.WriteAllText(markdown, ToMarkdown(report));
        File.WriteAllText(json, ToJson(report));
        File.WriteAllText(html, CampaignHtml.Write(report));
        return (markdown, json, html);
    }

    public static string ToJson(CampaignReport report) => JsonSerializer.Serialize(report, ReportWriter.JsonOptions) + "\n";

    public static CampaignReport FromJson(string json) =>
        JsonSerializer.Deserialize<CampaignReport>(json, ReportWriter.JsonOptions) ?? throw new JsonException("The report is null.");

    public static string ToMarkdown(CampaignReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var md = new MarkdownText();
        md.Line($"# Campaign {r.Name}: {Verdict(r.Passed, r.ExitCode)}{(r.Interrupted ? " (interrupted)" : "")}");
        md.Blank();
        if (r.Description.Length > 0)
        {
            md.Line($"{r.Description}");
            md.Blank();
        }

        md.Line($"Started {r.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, {r.ElapsedSeconds:0.0} s in all; {r.Machine.Cores} cores, {r.Machine.CpuModel}; {r.Machine.Runtime}; host {r.Machine.Host}; load average {r.Machine.LoadAverage} at the end.");
        md.Blank();
        md.Line($"```");
        md.Line($"{r.CommandLine}");
        md.Line($"```");
        md.Blank();
        md.Line($"| # | stage | shape | rate | ack / query p50 | p95 | p99 | max | errors | hub CPU | result |");
        md.Line($"|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var s in r.Stages)
        {
            Row(md, s, s.Load, s.Name);
            if (s.Query is { } q)
            {
                Row(md, s, q, s.Name + " (queries)");
            }
        }

        md.Blank();
        foreach (var s in r.Stages)
        {
            md.Line($"## {s.Index}. {s.Name}: {(s.Passed ? "passed" : Verdict(false, s.ExitCode))}");
            md.Blank();
            if (s.Description.Length > 0)
            {
                md.Line($"{s.Description}");
                md.Blank();
            }

            md.Line($"{s.Shape}; mix {s.Load.Scenario.Mix}; {s.Load.Scenario.WarmupSeconds:0} s warmup + {s.Load.Scenario.DurationSeconds:0} s measured. Full reports: [{s.ReportDirectory}/report.md]({s.ReportDirectory}/report.md){(s.Query is null ? "" : $", [{s.ReportDirectory}/query/report.md]({s.ReportDirectory}/query/report.md)")}.");
            md.Blank();
            Thresholds(md, s.Load.Thresholds.Concat(s.Query?.Thresholds ?? []));
            Errors(md, s);
            ServerMarkdown.Ramp(md, s.Load.Ramp, s.Load.Query is null ? "events/s" : "queries/s", "###");
            ServerMarkdown.Server(md, s.Load.Server, "###");
        }

        return md.ToString();
    }

    private static void Row(MarkdownText md, StageReport s, RunReport r, string name)
    {
        var unit = r.Query is null ? "ev/s" : "q/s";
        var rate = r.Ramp is { } ramp
            ? string.Create(CultureInfo.InvariantCulture, $"kept up to {ramp.SustainedPerSecond:N0} {unit}")
            : string.Create(CultureInfo.InvariantCulture, $"{r.Rate.MedianEventsPerSecond:N0} {unit}");
        var cpu = r.Server?.CpuCores is { } cores ? string.Create(CultureInfo.InvariantCulture, $"{cores:0.00}") : "";
        var passed = r.ExitCode == ExitCodes.Passed;
        md.Line($"| {s.Index} | {name} | {(r.Query is null ? s.Shape : "")} | {rate} | {r.Latency.P50Ms:0.00} | {r.Latency.P95Ms:0.00} | {r.Latency.P99Ms:0.00} | {r.Latency.MaxMs:0.00} | {r.Errors.Sum(e => e.Count):N0} | {cpu} | {(passed ? "pass" : "**" + Verdict(false, r.ExitCode) + "**")} |");
    }

    private static void Thresholds(MarkdownText md, IEnumerable<ThresholdResult> thresholds)
    {
        var list = thresholds.ToList();
        if (list.Count == 0)
        {
            md.Line($"No thresholds.");
            md.Blank();
            return;
        }

        md.Line($"| threshold | limit | actual | result |");
        md.Line($"|---|---:|---:|---|");
        foreach (var t in list)
        {
            md.Line($"| {t.Name} | {t.Limit:N2} | {t.Actual:N2} | {(t.Passed ? "pass" : "FAIL")} |");
        }

        md.Blank();
    }

    private static void Errors(MarkdownText md, StageReport s)
    {
        var errors = s.Load.Errors.Select(e => (Run: "", e.Kind, e.Count))
            .Concat((s.Query?.Errors ?? []).Select(e => (Run: "query ", e.Kind, e.Count))).ToList();
        if (errors.Count == 0 && s.Load.Rejections.Count == 0)
        {
            md.Line($"No errors, no rejected events.");
            md.Blank();
            return;
        }

        md.Line($"| error (by status) | count |");
        md.Line($"|---|---:|");
        foreach (var (run, kind, count) in errors)
        {
            md.Line($"| {run}{kind} | {count:N0} |");
        }

        foreach (var rejection in s.Load.Rejections)
        {
            md.Line($"| rejected: {rejection.Kind} | {rejection.Count:N0} |");
        }

        md.Blank();
    }

    private static string Verdict(bool passed, int exitCode) =>
        passed ? "PASSED" : exitCode == ExitCodes.NoAcks ? "NOTHING ACKNOWLEDGED" : "FAILED";
}
