using System.Net;
using System.Text.Json;

namespace AnalyticsHub.Server.Tests.Ingestion;

/// <summary>The hub's liveness and readiness endpoints, with short timeouts.</summary>
internal static class HubHttp
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task AssertAliveAsync(HubProcess hub, string when)
    {
        using var response = await Client.GetAsync($"http://127.0.0.1:{hub.HttpPort}/healthz");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/healthz answered {(int)response.StatusCode} {when}");
    }

    /// <summary>The status code of /readyz and its <c>checks.wal</c> text.</summary>
    public static async Task<(HttpStatusCode Status, string Wal)> ReadinessAsync(HubProcess hub)
    {
        using var response = await Client.GetAsync($"http://127.0.0.1:{hub.HttpPort}/readyz");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body.GetProperty("checks").GetProperty("wal").GetString() ?? "");
    }
}
