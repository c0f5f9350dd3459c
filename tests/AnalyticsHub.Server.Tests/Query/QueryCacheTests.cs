using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AnalyticsHub.Server.Tests.Ingestion;

namespace AnalyticsHub.Server.Tests.Query;

/// <summary>
/// The result cache through the API: an answer whose live edge changed is served (marked cached) within the allowed
/// lag, and a change to settled buckets (a late event) evicts it at once. Lag 10 minutes, so the background refresh
/// (due after half of it) never runs during the test: what it sees is the rule, not a race.
/// </summary>
[Collection(DurabilityCollection.Name)]
public sealed class QueryCacheTests
{
    private const string Question = """{"metric":"latency_ms","time_range":"last 2h","aggregation":{"functions":["count","sum"]}}""";

    [Fact]
    public async Task LiveEdgeChange_IsServedCached_SettledChange_EvictsAtOnce()
    {
        await using var hub = HubProcess.Start("--Hub:Query:LiveEdgeMaxLagMs=600000", "--Hub:Query:LiveEdgeSeconds=120");
        await hub.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{hub.HttpPort}") };

        await PostAsync(http, Events(DateTimeOffset.UtcNow, 10, 1.0));
        await WaitForCountAsync(http, 10, hub);
        var computed = await AskAsync(http, Question);
        var again = await AskAsync(http, Question);
        Assert.Equal((10, false), (computed.Count, computed.Cached));
        Assert.Equal((10, true), (again.Count, again.Cached));

        // Live edge: new events now. A different question (not cached) sees them; the cached one still answers 10.
        await PostAsync(http, Events(DateTimeOffset.UtcNow, 5, 2.0));
        await WaitForCountAsync(http, 15, hub);
        var stale = await AskAsync(http, Question);
        Assert.True(stale.Cached);
        Assert.Equal(10, stale.Count);

        // Settled buckets: one event an hour old. Once the rollups hold it, the cached answer is evicted.
        await PostAsync(http, Events(DateTimeOffset.UtcNow.AddHours(-1), 1, 3.0));
        await WaitForCountAsync(http, 16, hub);
        var fresh = await AskAsync(http, Question);
        Assert.False(fresh.Cached);
        Assert.Equal(16, fresh.Count);
        Assert.Equal((10 * 1.0) + (5 * 2.0) + 3.0, fresh.Sum, 9);
        Assert.NotNull(fresh.AsOf);
        // Nothing left to apply: complete through the clock (less the roll's grace), not through the newest event (an hour old).
        Assert.True(fresh.AsOf > DateTimeOffset.UtcNow.AddSeconds(-30), $"as_of {fresh.AsOf:O}");
    }

    /// <summary>
    /// An answer recomputed after live-edge ingestion extends the cached one (its settled buckets kept, its tail
    /// recomputed): it must equal the answer computed from scratch — the same question made new with a filter that
    /// matches everything — point for point, a group seen only at the live edge included.
    /// </summary>
    [Fact]
    public async Task ExtendedAnswer_EqualsTheAnswerComputedFromScratch()
    {
        await using var hub = HubProcess.Start(
            "--Hub:Query:LiveEdgeMaxLagMs=1", "--Hub:Query:LiveEdgeSeconds=120", "--Hub:Query:SlowComputationMs=0");
        await hub.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{hub.HttpPort}") };
        const string Grouped = """{"metric":"latency_ms","time_range":"last 2h","aggregation":{"functions":["count","sum","min","max","p50","p99"],"time_bucket":"1m","group_by":["model"]}}""";

        var now = DateTimeOffset.UtcNow;
        var random = new Random(7);
        var settled = Enumerable.Range(0, 300).Select(i => new QueryEvent(
            Guid.NewGuid().ToString(), now.AddSeconds(-130 - random.Next(6000)), Math.Round(random.NextDouble() * 900, 3),
            i % 2 == 0 ? "gpt-4o" : "claude-3", "r1", "", false, false, "Z").Json());
        await PostAsync(http, "[" + string.Join(",", settled) + "]");
        await WaitForCountAsync(http, 300, hub);
        Assert.False((await AskAsync(http, Grouped)).Cached);

        // Live edge: the cached answer is due for a recomputation at once (lag 1 ms), which extends it.
        var live = Enumerable.Range(0, 40).Select(i => new QueryEvent(
            Guid.NewGuid().ToString(), DateTimeOffset.UtcNow.AddMilliseconds(-i * 50), 1000 + i, i % 3 == 0 ? "llama-3" : "gpt-4o", "r1", "", false, false, "Z").Json());
        await PostAsync(http, "[" + string.Join(",", live) + "]");
        await WaitForCountAsync(http, 340, hub);

        string extended = await DataAsync(http, Grouped);
        string matchesAll = $$"""{"field":"model","op":"neq","value":"probe-{{Guid.NewGuid():N}}"}""";
        string fromScratch = await DataAsync(http, Grouped.Replace("\"aggregation\"", "\"filters\":[" + matchesAll + "],\"aggregation\"", StringComparison.Ordinal));
        Assert.Equal(fromScratch, extended);
        Assert.Contains("llama-3", extended, StringComparison.Ordinal);
        Assert.Contains("Slow rollup computation (extended)", hub.Output, StringComparison.Ordinal);
    }

    private static async Task<string> DataAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync("/api/v1/query", new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("data").GetRawText();
    }

    private static string Events(DateTimeOffset time, int count, double value)
    {
        var events = Enumerable.Range(0, count).Select(i => new QueryEvent(
            Guid.NewGuid().ToString(), time.AddMilliseconds(-i), value, "gpt-4o", "r1", "", false, false, "Z").Json());
        return "[" + string.Join(",", events) + "]";
    }

    private static async Task PostAsync(HttpClient http, string events)
    {
        using var response = await http.PostAsync("/api/v1/events", new StringContent(events, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>Polls with a question no cached answer has (a filter that matches everything, new each time).</summary>
    private static async Task WaitForCountAsync(HttpClient http, long expected, HubProcess hub)
    {
        long seen = -1;
        await Poll.UntilAsync(async () =>
        {
            string probe = $$$"""{"metric":"latency_ms","time_range":"last 2h","filters":[{"field":"model","op":"neq","value":"probe-{{{Guid.NewGuid():N}}}"}],"aggregation":{"functions":["count","sum"]}}""";
            seen = (await AskAsync(http, probe)).Count;
            return seen == expected;
        }, TimeSpan.FromSeconds(60), () => $"rollups count {seen}, expected {expected}\n{hub.Output}");
    }

    private static async Task<Answer> AskAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync("/api/v1/query", new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var json = JsonDocument.Parse(text);
        var series = json.RootElement.GetProperty("data").GetProperty("series");
        var meta = json.RootElement.GetProperty("meta");
        var values = series.GetArrayLength() == 0 ? default : series[0].GetProperty("points")[0].GetProperty("values");
        return new Answer(
            series.GetArrayLength() == 0 ? 0 : (long)values.GetProperty("count").GetDouble(),
            series.GetArrayLength() == 0 ? 0 : values.GetProperty("sum").GetDouble(),
            meta.GetProperty("cached").GetBoolean(),
            meta.TryGetProperty("as_of", out var asOf) ? DateTimeOffset.Parse(asOf.GetString()!, CultureInfo.InvariantCulture) : null);
    }

    private sealed record Answer(long Count, double Sum, bool Cached, DateTimeOffset? AsOf);
}
