using System.Net;
using static AnalyticsHub.Server.Tests.Rest.JsonEvents;

namespace AnalyticsHub.Server.Tests.Metrics;

/// <summary>A real Prometheus scrapes the hub (negotiating OpenMetrics, as Prometheus 2.x does) and answers a query with what was sent.</summary>
public sealed class PrometheusScrapeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Prometheus_ScrapesTheHub_AndAnswersTheAcceptedCount()
    {
        await using var hub = HubProcess.Start();
        await hub.WaitUntilListeningAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient();
        for (int batch = 0; batch < 3; batch++)
        {
            using var response = await http.PostAsync($"http://127.0.0.1:{hub.HttpPort}/api/v1/events", Content(Array(5)));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await using var prometheus = PrometheusServer.Start(hub.MetricsPort);
        var deadline = DateTime.UtcNow + Patience;
        double? accepted = null;
        while (accepted != 15 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            accepted = await prometheus.QueryScalarAsync("hub_ingest_events_accepted_total{job=\"hub\"}");
        }

        Assert.True(accepted == 15, $"Prometheus answered {accepted?.ToString() ?? "nothing"} for hub_ingest_events_accepted_total within {Patience}:\n{prometheus.Output}");
        var (health, lastError) = await prometheus.TargetAsync();
        Assert.Equal("up", health);
        Assert.Equal("", lastError);
        Assert.Equal(1, await prometheus.QueryScalarAsync("up{job=\"hub\"}"));
        Assert.True(await prometheus.QueryScalarAsync("process_resident_memory_bytes{job=\"hub\"}") > 0);
    }
}
