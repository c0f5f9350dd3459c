using System.Net;
using System.Text.Json;
using static AnalyticsHub.Server.Tests.Rest.JsonEvents;

namespace AnalyticsHub.Server.Tests.Rest;

/// <summary>Dead letters: kept durably with their reason, listed with filters and cursors, replayed after a fix.</summary>
public sealed class DeadLetterApiTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RejectedEvents_AreListed_Filtered_Paged_AndReplayedAfterTheConfigIsFixed()
    {
        var dataDir = Directory.CreateTempSubdirectory("hub-dlq-").FullName;
        try
        {
            var euroIds = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid().ToString()).ToArray();
            await using (var hub = HubProcess.StartIn(dataDir, ownsDataDir: false))
            {
                await hub.WaitUntilListeningAsync(StartTimeout);
                var events = euroIds.Select(id => Cost("EUR", id)).Append(Telemetry("bad-id")).Append(Telemetry()).ToArray();
                var (status, _) = await PostAsync(hub, Array(events));
                Assert.Equal(HttpStatusCode.Accepted, status);

                var all = await WaitForLettersAsync(hub, "code=unknown_currency", 5);
                Assert.Equal(euroIds, all.Select(l => l.GetProperty("event_id").GetString()));
                var letter = all[0];
                Assert.Equal("llm-costops", letter.GetProperty("source_module").GetString());
                Assert.Equal("default", letter.GetProperty("tenant_id").GetString());
                Assert.Contains("EUR", letter.GetProperty("message").GetString(), StringComparison.Ordinal);
                Assert.NotEmpty(letter.GetProperty("event").GetBytesFromBase64());

                // Filters: by code, by module, by event id; cursor paging returns each once, in order.
                Assert.Single(await WaitForLettersAsync(hub, "code=invalid_uuid", 1));
                Assert.Single(await ListAsync(hub, $"event_id={euroIds[2]}"));
                Assert.Empty(await ListAsync(hub, "source_module=llm-sentinel"));
                var paged = new List<string?>();
                string? cursor = null;
                do
                {
                    var page = await GetAsync(hub, "/api/v1/dlq?code=unknown_currency&limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
                    paged.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("event_id").GetString()));
                    cursor = page.GetProperty("next_cursor").GetString();
                }
                while (cursor is not null);
                Assert.Equal(euroIds, paged);

                // Replay before the fix: rejected again, for the same reason.
                var ids = all.Select(l => l.GetProperty("id").GetInt64()).ToArray();
                var again = await ReplayAsync(hub, $$"""{"ids":[{{ids[0]}}]}""");
                Assert.Equal("rejected:unknown_currency", again.GetProperty("results")[0].GetProperty("outcome").GetString());

                // Rejected again means a new dead letter for it (a sixth), kept until the next fix.
                Assert.Equal(6, (await WaitForLettersAsync(hub, "code=unknown_currency", 6)).Count);
            }

            // The fix: an exchange rate for EUR. Dead letters survived the restart; replay accepts them.
            await using (var hub = HubProcess.StartIn(dataDir, ownsDataDir: false, "--Hub:Ingest:ExchangeRates:EUR=1.08"))
            {
                await hub.WaitUntilListeningAsync(StartTimeout);
                var report = await ReplayAsync(hub, """{"filter":{"code":"unknown_currency","replayed":"false"},"limit":100}""");
                Assert.Equal(5, report.GetProperty("accepted").GetInt32()); // four originals and the sixth letter
                var replayed = await ListAsync(hub, "code=unknown_currency&replayed=true");
                Assert.Equal(6, replayed.Count);
                Assert.Equal(5, replayed.Count(l => l.GetProperty("replay_outcome").GetString() == "accepted"));
                Assert.Equal("rejected:unknown_currency", replayed[0].GetProperty("replay_outcome").GetString());
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<List<JsonElement>> WaitForLettersAsync(HubProcess hub, string query, int count)
    {
        // The indexer copies dead letters from the WAL in the background: poll briefly.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var letters = await ListAsync(hub, query);
            if (letters.Count >= count || DateTime.UtcNow > deadline)
            {
                return letters;
            }
            await Task.Delay(100);
        }
    }

    private static async Task<List<JsonElement>> ListAsync(HubProcess hub, string query) =>
        (await GetAsync(hub, "/api/v1/dlq?limit=1000&" + query)).GetProperty("items").EnumerateArray().ToList();

    private static async Task<JsonElement> GetAsync(HubProcess hub, string path)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"http://127.0.0.1:{hub.HttpPort}{path}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<JsonElement> ReplayAsync(HubProcess hub, string json)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync($"http://127.0.0.1:{hub.HttpPort}/api/v1/dlq/replay", Content(json));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"replay: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<(HttpStatusCode, JsonElement)> PostAsync(HubProcess hub, string json)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync($"http://127.0.0.1:{hub.HttpPort}/api/v1/events", Content(json));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}

/// <summary>Bad input to the dead-letter API, against one shared hub.</summary>
public sealed class DeadLetterInputTests(RestHubFixture fixture) : IClassFixture<RestHubFixture>
{
    [Theory]
    [InlineData("/api/v1/dlq?cursor=not-a-cursor")]
    [InlineData("/api/v1/dlq?limit=0")]
    [InlineData("/api/v1/dlq?limit=5000")]
    [InlineData("/api/v1/dlq?limit=ten")]
    [InlineData("/api/v1/dlq?from=yesterday")]
    [InlineData("/api/v1/dlq?source_module=nowhere")]
    [InlineData("/api/v1/dlq?replayed=maybe")]
    public async Task BadListParameters_400_WithAMessage(string path)
    {
        var hub = fixture.Hub;
        using var http = new HttpClient();
        using var response = await http.GetAsync($"http://127.0.0.1:{hub.HttpPort}{path}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("invalid_parameter", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("""{"ids":[]}""")]
    [InlineData("""{"ids":"1"}""")]
    [InlineData("""{"filter":{"code":"x"},"limit":0}""")]
    [InlineData("""{"nothing":true}""")]
    [InlineData("{")]
    public async Task BadReplayBodies_400(string json)
    {
        var hub = fixture.Hub;
        using var http = new HttpClient();
        using var response = await http.PostAsync($"http://127.0.0.1:{hub.HttpPort}/api/v1/dlq/replay", Content(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
