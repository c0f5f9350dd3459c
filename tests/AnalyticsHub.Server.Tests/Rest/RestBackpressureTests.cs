using System.Net;
using System.Text.Json;
using static AnalyticsHub.Server.Tests.Rest.JsonEvents;

namespace AnalyticsHub.Server.Tests.Rest;

/// <summary>With the WAL backlog full, REST answers 429 with Retry-After and readiness says why; the hub stays alive.</summary>
public sealed class RestBackpressureTests
{
    [Fact]
    public async Task FullBacklog_429WithRetryAfter_ReadyzNotReady_HealthzAlive()
    {
        // The smallest backlog (16 MiB) and an unreachable store (port 1 refuses): nothing drains,
        // as in a store outage, so the log fills and stays full.
        await using var hub = HubProcess.Start("--Hub:Wal:MaxBacklogBytes=16777216", "--Hub:Ingest:DuplicateWindowMaxEntries=65536",
            "--Hub:Storage:Kind=postgres", "--Hub:Postgres:ConnectionString=Host=127.0.0.1;Port=1;Username=hub;Timeout=1");
        await hub.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{hub.HttpPort}") };

        HttpResponseMessage? refused = null;
        for (int i = 0; i < 500 && refused is null; i++)
        {
            // Fresh ids each time (repeats would be duplicates, which take no log space): ~200 KB of log per request.
            var response = await http.PostAsync("/api/v1/events", Content(Array(1000)));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                response.Dispose();
            }
        }

        Assert.NotNull(refused);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("backpressure", error.GetProperty("error").GetString());
        Assert.Contains("backlog", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        refused.Dispose();

        using var ready = await http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var checks = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.StartsWith("backlog full", checks.GetProperty("wal").GetString(), StringComparison.Ordinal);
        using var live = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
