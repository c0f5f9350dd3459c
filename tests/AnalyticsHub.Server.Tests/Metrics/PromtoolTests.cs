using System.Net;
using static AnalyticsHub.Server.Tests.Rest.JsonEvents;

namespace AnalyticsHub.Server.Tests.Metrics;

/// <summary>Prometheus' own linter accepts what the hub exposes: parse errors, names, units, HELP, counters' _total.</summary>
public sealed class PromtoolTests(MetricsHubFixture fixture) : IClassFixture<MetricsHubFixture>
{
    [Fact]
    public async Task PromtoolCheckMetrics_AcceptsTheScrape()
    {
        // Traffic first, so counters, histograms and labelled series (a rejection reason) are all present.
        using var http = new HttpClient();
        using var response = await http.PostAsync(
            $"http://127.0.0.1:{fixture.Hub.HttpPort}/api/v1/events", Content(Array(Telemetry(), Telemetry(), Telemetry("not-a-uuid"))));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var text = await MetricsText.ScrapeTextAsync(fixture.Hub.MetricsPort);
        Assert.Contains("hub_ingest_events_rejected_total{reason=\"invalid_uuid\"} 1", text, StringComparison.Ordinal);

        var (exitCode, output) = await PrometheusTools.RunAsync(PrometheusTools.Promtool, text, TimeSpan.FromSeconds(60), "check", "metrics");

        Assert.True(exitCode == 0 && output.Trim().Length == 0, $"promtool check metrics exited {exitCode}:\n{output}\n---- scraped ----\n{text}");
    }
}
