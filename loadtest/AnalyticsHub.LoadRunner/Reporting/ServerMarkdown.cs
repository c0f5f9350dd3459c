using System.Globalization;

namespace AnalyticsHub.LoadRunner.Reporting;

/// <summary>The report sections on the hub's own metrics and on a ramp, shared by every report kind.</summary>
internal static class ServerMarkdown
{
    /// <param name="heading">The Markdown heading marks of the sections ("##" in a run's report, "###" inside a campaign's stage).</param>
    public static void Ramp(MarkdownText md, RampReport? ramp, string unit, string heading = "##")
    {
        if (ramp is null)
        {
            return;
        }

        md.Line($"{heading} Ramp");
        md.Blank();
        md.Line($"Offered {ramp.FromPerSecond:N0} → {ramp.ToPerSecond:N0} {unit} over the measured seconds. Kept up with (achieved ≥ {ramp.KeepUpRatio:P0} of the lower of the second's and the previous second's offered rate, 3-second running median) up to **{ramp.SustainedPerSecond:N0} {unit}** (p99 {ramp.P99MsAtSustained:0.00} ms in that second); {(ramp.FellBehindAtSecond == 0 ? "it never fell behind." : string.Create(CultureInfo.InvariantCulture, $"fell behind at measured second {ramp.FellBehindAtSecond}."))}");
        md.Blank();
    }

    public static void Server(MarkdownText md, ServerMetricsReport? server, string heading = "##")
    {
        if (server is null)
        {
            return;
        }

        md.Line($"{heading} Hub metrics (scraped before and after the run)");
        md.Blank();
        if (server.Error is { } error)
        {
            md.Line($"Not available: {error}.");
            md.Blank();
            return;
        }

        md.Line($"`{server.Url}`, {server.Seconds:0.0} s between the scrapes; hub CPU {(server.CpuCores is { } cpu ? string.Create(CultureInfo.InvariantCulture, $"{cpu:0.00} cores") : "n/a")}. Other producers of the same hub count too.");
        md.Blank();
        md.Line($"| counter | labels | delta | per second |");
        md.Line($"|---|---|---:|---:|");
        foreach (var c in server.Counters.Where(c => c.Delta != 0))
        {
            md.Line($"| `{c.Name}` | {Labels(c.Labels)} | {Number(c.Delta)} | {Number(c.PerSecond)} |");
        }

        md.Blank();
        md.Line($"| gauge | labels | before | after |");
        md.Line($"|---|---|---:|---:|");
        foreach (var g in server.Gauges)
        {
            md.Line($"| `{g.Name}` | {Labels(g.Labels)} | {Number(g.Before)} | {Number(g.After)} |");
        }

        if (server.Histograms.Count > 0)
        {
            md.Blank();
            md.Line($"Server-side latencies of the run (interpolated in the histograms' buckets, so as coarse as their bounds):");
            md.Blank();
            md.Line($"| histogram | labels | observations | p50 ms | p95 ms | p99 ms | mean ms |");
            md.Line($"|---|---|---:|---:|---:|---:|---:|");
            foreach (var h in server.Histograms)
            {
                md.Line($"| `{h.Name}` | {Labels(h.Labels)} | {h.Count:N0} | {h.P50Ms:0.00} | {h.P95Ms:0.00} | {h.P99Ms:0.00} | {h.MeanMs:0.00} |");
            }
        }

        md.Blank();
    }

    private static string Labels(string labels) => labels.Length == 0 ? "" : "`" + labels.Replace("|", "\\|", StringComparison.Ordinal) + "`";

    private static string Number(double? number) => number is not { } value ? "-"
        : value.ToString(Math.Abs(value) >= 100 || value == Math.Floor(value) ? "N0" : "0.###", CultureInfo.InvariantCulture);
}
