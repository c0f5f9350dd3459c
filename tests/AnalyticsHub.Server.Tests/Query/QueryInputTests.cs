using System.Net;
using System.Text;
using System.Text.Json;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Server.Tests.Ingestion;
using AnalyticsHub.Server.Tests.Rest;

namespace AnalyticsHub.Server.Tests.Query;

/// <summary>
/// Bad queries on a running hub, over REST and gRPC: each answered with a clear error that names
/// the field and says what to change, in the API's error shape — and the hub keeps answering.
/// </summary>
public sealed class QueryInputTests(RestHubFixture fixture) : IClassFixture<RestHubFixture>
{
    [Theory]
    [InlineData("""{"metric":"latency_ms","time_range":"last 24h","aggregation":{"functions":["avg"],"time_bucket":"2m"}}""", "aggregation.time_bucket", "1m, 5m, 15m, 1h, 1d")]
    [InlineData("""{"metric":"latency_ms","time_range":"last 24h","aggregation":{"functions":["median"]}}""", "aggregation.functions[0]", "p50")]
    [InlineData("""{"metric":"latency_ms","time_range":"last 24h","aggregation":{"functions":["avg"]},"filters":[{"field":"model","op":"like","value":"x"}]}""", "filters[0].op", "contains")]
    [InlineData("""{"metric":"latency_ms","time_range":"last 24h","aggregation":{"functions":["avg"]},"filters":[{"field":"nonsense","op":"eq","value":"x"}]}""", "filters[0].field", "source_module")]
    [InlineData("""{"metric":"latency_ms","time_range":"last 90d","aggregation":{"functions":["avg"],"time_bucket":"1m"}}""", "time_range", "10,080")]
    [InlineData("""{"metric":"latency_ms","time_range":"last 24h","aggregation":{"functions":["avg"]},"colour":"blue"}""", "colour", "metric")]
    [InlineData("""{"metric":"latency_ms","time_range":"last 900d","aggregation":{"functions":["avg"],"time_bucket":"1d"}}""", "time_range", "400")]
    [InlineData("""{"metric":"latency_ms","aggregation":{"functions":["avg"]}}""", "time_range", "")]
    [InlineData("""{"metric":"latency_ms","time_range":"last 24h","aggregation":{"functions":["avg"]},"limit":-1}""", "limit", "")]
    [InlineData("""{"metric":"latency_ms","time_range":"last 24h","aggregation":{"functions":["avg"]},"group_by_typo":["model"]}""", "group_by_typo", "")]
    public async Task Query_Invalid_Returns400NamingTheField(string body, string field, string hint)
    {
        var (status, json) = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", json.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("data").ValueKind);
        var error = json.GetProperty("error");
        Assert.Equal("invalid_query", error.GetProperty("code").GetString());
        var detail = error.GetProperty("details").EnumerateArray().First(d => d.GetProperty("field").GetString()!.StartsWith(field, StringComparison.Ordinal));
        Assert.Contains(hint, detail.GetProperty("message").GetString(), StringComparison.Ordinal);
        await AssertHealthyAsync();
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"metric":"latency_ms","time_range":""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("""{"metric":{"nested":{"deeper":{"deeper":{"deeper":{"deeper":{"deeper":{"deeper":{"deeper":1}}}}}}}}}""")]
    [InlineData("""{"metric":"a","metric":"b","time_range":"last 1h","aggregation":{"functions":["avg"]}}""")]
    [InlineData("""{"metric":"latency_ms","time_range":"last 1h","aggregation":{"functions":["avg"]},"limit":"ten"}""")]
    public async Task Query_HostileBody_Returns400AndHubStaysHealthy(string body)
    {
        var (status, json) = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("error").GetProperty("message").GetString()));
        await AssertHealthyAsync();
    }

    [Fact]
    public async Task Query_HugeBody_Returns413()
    {
        var body = """{"metric":"x","pad":" """ + new string('a', 400_000) + "\"}";
        var (status, _) = await PostAsync(body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        await AssertHealthyAsync();
    }

    [Fact]
    public async Task Query_NotJson_Returns415()
    {
        using var http = Http();
        using var response = await http.PostAsync("/api/v1/query", new StringContent("metric=latency", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Query_Valid_ReturnsSeedResponseShape()
    {
        var (status, json) = await PostAsync("""{"metric":"nothing_here","time_range":"last 1h","aggregation":{"functions":["avg","p99"],"time_bucket":"5m"}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("success", json.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("error").ValueKind);
        Assert.Equal(["avg", "p99"], json.GetProperty("data").GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        var meta = json.GetProperty("meta");
        Assert.Equal("rollup", meta.GetProperty("source").GetString());
        Assert.Equal(0, meta.GetProperty("row_count").GetInt32());
        Assert.True(meta.GetProperty("execution_time_ms").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.False, meta.GetProperty("cached").ValueKind);

        // Asked again: served from the cache (nothing changed for this metric and range).
        var (_, again) = await PostAsync("""{"metric":"nothing_here","time_range":"last 1h","aggregation":{"functions":["avg","p99"],"time_bucket":"5m"}}""");
        Assert.True(again.GetProperty("meta").GetProperty("cached").GetBoolean());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=5000")]
    [InlineData("cursor=%%%")]
    [InlineData("severity=loud")]
    [InlineData("filter=model:like:x")]
    [InlineData("start=yesterday")]
    public async Task Search_Invalid_Returns400(string queryString)
    {
        using var http = Http();
        using var response = await http.GetAsync("/api/v1/events?" + queryString);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        using var json = JsonDocument.Parse(text);
        Assert.Equal("invalid_search", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        await AssertHealthyAsync();
    }

    [Fact]
    public async Task GrpcQuery_Invalid_ReturnsInvalidArgumentNamingTheField()
    {
        using var channel = TestBatches.Channel(fixture.Hub);
        var request = new QueryRequest
        {
            Metric = "latency_ms",
            TimeRange = new TimeRange { Relative = "last 24h" },
            Aggregation = new Aggregation { Functions = { "avg" }, TimeBucket = "7m" },
        };
        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(QueryScenario.QueryMethod, request));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("time_bucket", error.Status.Detail, StringComparison.Ordinal);

        var noRange = new QueryRequest { Metric = "latency_ms", Aggregation = new Aggregation { Functions = { "avg" } } };
        error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(QueryScenario.QueryMethod, noRange));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("time_range", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrpcSearch_BadCursor_ReturnsInvalidArgument()
    {
        using var channel = TestBatches.Channel(fixture.Hub);
        var error = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(QueryScenario.SearchMethod, new SearchEventsRequest { Cursor = "not-a-cursor" }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("cursor", error.Status.Detail, StringComparison.Ordinal);
    }

    private HttpClient Http() => new() { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Hub.HttpPort}") };

    private async Task<(HttpStatusCode Status, JsonElement Json)> PostAsync(string body)
    {
        using var http = Http();
        using var response = await http.PostAsync("/api/v1/query", new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task AssertHealthyAsync()
    {
        await HubHttp.AssertAliveAsync(fixture.Hub, "after a bad query");
        var (status, _) = await PostAsync("""{"metric":"latency_ms","time_range":"last 1h","aggregation":{"functions":["count"]}}""");
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
