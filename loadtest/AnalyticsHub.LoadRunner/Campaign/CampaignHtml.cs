using System.Globalization;
using System.Net;
using System.Text;
using AnalyticsHub.LoadRunner.Reporting;

namespace AnalyticsHub.LoadRunner.Campaign;

/// <summary>campaign.html: the Markdown report's verdicts with charts per stage (rate offered and achieved, latency percentiles over time).</summary>
public static class CampaignHtml
{
    public static string Write(CampaignReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var c = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append(c, $"<title>Campaign {E(r.Name)}</title>");
        html.Append("<style>body{font-family:system-ui,sans-serif;margin:24px;max-width:1100px}table{border-collapse:collapse;margin:8px 0}"
            + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:nth-child(2),th:nth-child(2),td:nth-child(3){text-align:left}"
            + ".pass{color:#176f2c}.fail{color:#b00020;font-weight:bold}svg{display:block;margin:6px 0}</style></head><body>");
        html.Append(c, $"<h1>Campaign {E(r.Name)}: <span class=\"{(r.Passed ? "pass" : "fail")}\">{(r.Passed ? "PASSED" : "FAILED")}</span>{(r.Interrupted ? " (interrupted)" : "")}</h1>");
        if (r.Description.Length > 0)
        {
            html.Append(c, $"<p>{E(r.Description)}</p>");
        }

        html.Append(c, $"<p>Started {r.StartedAt:yyyy-MM-dd HH:mm:ss} UTC, {r.ElapsedSeconds:0.0} s; {r.Machine.Cores} cores, {E(r.Machine.CpuModel)}; {E(r.Machine.Runtime)}; load average {E(r.Machine.LoadAverage)}.</p>");
        html.Append(c, $"<pre>{E(r.CommandLine)}</pre>");
        html.Append("<table><tr><th>#</th><th>stage</th><th>shape</th><th>rate</th><th>p50 ms</th><th>p99 ms</th><th>errors</th><th>result</th></tr>");
        foreach (var s in r.Stages)
        {
            var rate = s.Load.Ramp is { } ramp ? string.Create(c, $"kept up to {ramp.SustainedPerSecond:N0}") : string.Create(c, $"{s.Load.Rate.MedianEventsPerSecond:N0}");
            html.Append(c, $"<tr><td>{s.Index}</td><td>{E(s.Name)}</td><td>{E(s.Shape)}</td><td>{rate}</td><td>{s.Load.Latency.P50Ms:0.00}</td><td>{s.Load.Latency.P99Ms:0.00}</td>"
                + $"<td>{s.Load.Errors.Sum(e => e.Count) + (s.Query?.Errors.Sum(e => e.Count) ?? 0):N0}</td><td class=\"{(s.Passed ? "pass" : "fail")}\">{(s.Passed ? "pass" : "FAIL")}</td></tr>");
        }

        html.Append("</table>");
        foreach (var s in r.Stages)
        {
            html.Append(c, $"<h2>{s.Index}. {E(s.Name)} <span class=\"{(s.Passed ? "pass" : "fail")}\">{(s.Passed ? "passed" : "FAILED")}</span></h2>");
            html.Append(c, $"<p>{E(s.Shape)}{(s.Description.Length > 0 ? " — " + E(s.Description) : "")}</p>");
            Charts(html, s.Load, s.Load.Query is null ? "events/s" : "queries/s", s.Load.Query is null ? "ack latency" : "query latency");
            if (s.Query is { } q)
            {
                Charts(html, q, "queries/s", "query latency (beside ingestion)");
            }

            var thresholds = s.Load.Thresholds.Concat(s.Query?.Thresholds ?? []).ToList();
            if (thresholds.Count > 0)
            {
                html.Append("<table><tr><th>threshold</th><th>limit</th><th>actual</th><th>result</th></tr>");
                foreach (var t in thresholds)
                {
                    html.Append(c, $"<tr><td>{E(t.Name)}</td><td>{t.Limit:N2}</td><td>{t.Actual:N2}</td><td class=\"{(t.Passed ? "pass" : "fail")}\">{(t.Passed ? "pass" : "FAIL")}</td></tr>");
                }

                html.Append("</table>");
            }

            if (s.Load.Server is { Error: null } server)
            {
                html.Append(c, $"<p>Hub: {server.CpuCores:0.00} cores of CPU; {server.EventsAccepted:N0} events accepted by its count.</p>");
            }
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void Charts(StringBuilder html, RunReport r, string rateUnit, string latencyTitle)
    {
        var seconds = r.Seconds.Where(i => i.Phase != "drain").ToList();
        var achieved = new SvgLineChart.Series("achieved", "#1f77b4", [.. seconds.Select(i => i.EventsPerSecond)]);
        var rate = seconds.Exists(i => i.OfferedPerSecond > 0)
            ? SvgLineChart.Render($"{rateUnit} (warmup included)", rateUnit, [achieved, new SvgLineChart.Series("offered", "#888", [.. seconds.Select(i => i.OfferedPerSecond)], Dashed: true)])
            : SvgLineChart.Render($"{rateUnit} (warmup included)", rateUnit, [achieved]);
        html.Append(rate);
        html.Append(SvgLineChart.Render($"{latencyTitle}, per second", "ms",
        [
            new SvgLineChart.Series("p50", "#2ca02c", [.. seconds.Select(i => i.P50Ms)]),
            new SvgLineChart.Series("p95", "#ff7f0e", [.. seconds.Select(i => i.P95Ms)]),
            new SvgLineChart.Series("p99", "#d62728", [.. seconds.Select(i => i.P99Ms)]),
        ]));
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
