using AnalyticsHub.Server.Tests.Ingestion;
using AnalyticsHub.Testing.Stores;
using Xunit.Abstractions;

namespace AnalyticsHub.Server.Tests.Query;

/// <summary>The query scenario (<see cref="QueryScenario"/>) on each store: the same answers — the exact ones — on all three.</summary>
[Collection(DurabilityCollection.Name)]
public sealed class QueryApiTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RollupsOff_MetricQueriesRunOnTheStore()
    {
        await using var hub = HubProcess.Start("--Hub:Rollups:Enabled=false");
        await hub.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{hub.HttpPort}") };
        var events = QueryEvent.Random(new Random(3), 200, DateTimeOffset.UtcNow, TimeSpan.FromHours(1)).Where(e => e.Tenant.Length == 0).ToList();
        using (var posted = await http.PostAsync("/api/v1/events", QueryEvent.Content(events)))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, posted.StatusCode);
        }

        string source = "", count = "";
        await Poll.UntilAsync(async () =>
        {
            using var response = await http.PostAsync("/api/v1/query", new StringContent(
                """{"metric":"latency_ms","time_range":"last 2h","aggregation":{"functions":["count"]}}""", System.Text.Encoding.UTF8, "application/json"));
            using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            source = json.RootElement.GetProperty("meta").GetProperty("source").GetString()!;
            var series = json.RootElement.GetProperty("data").GetProperty("series");
            count = series.GetArrayLength() == 0 ? "0" : series[0].GetProperty("points")[0].GetProperty("values").GetProperty("count").ToString();
            return count == events.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }, TimeSpan.FromSeconds(60), () => $"count {count} (source {source}), expected {events.Count}\n{hub.Output}");
        Assert.Equal("store", source);
    }

    [Fact]
    public Task Embedded_AnswersMatchExactOnEveryPath() => QueryScenario.RunAsync(output, []);

    [Fact]
    public async Task Postgres_AnswersMatchExactOnEveryPath()
    {
        using var pg = PostgresServer.StartNew();
        string db = pg.CreateDatabase("hub_query");
        await QueryScenario.RunAsync(output, ["--Hub:Storage:Kind=postgres", $"--Hub:Postgres:ConnectionString={db}"]);
    }

    [Fact]
    public async Task ClickHouse_AnswersMatchExactOnEveryPath()
    {
        using var clickhouse = ClickHouseServer.Start();
        await QueryScenario.RunAsync(output, ["--Hub:Storage:Kind=clickhouse", $"--Hub:ClickHouse:Url={clickhouse.HttpUrl}", "--Hub:ClickHouse:Database=hub_query"]);
    }
}
