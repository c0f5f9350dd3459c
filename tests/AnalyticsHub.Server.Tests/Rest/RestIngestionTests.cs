using System.Net;
using System.Text.Json;
using static AnalyticsHub.Server.Tests.Rest.JsonEvents;

namespace AnalyticsHub.Server.Tests.Rest;

/// <summary><c>POST /api/v1/events</c> against the hub as a process: results per event, and every bad input answered clearly.</summary>
public sealed class RestIngestionTests(RestHubFixture fixture) : IClassFixture<RestHubFixture>
{
    private string Events => $"http://127.0.0.1:{fixture.Hub.HttpPort}/api/v1/events";

    [Fact]
    public async Task ValidEvents_202_EveryEventAccepted_InOrder()
    {
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid().ToString()).ToArray();
        var (status, body) = await PostAsync(Array(ids.Select(id => Telemetry(id)).ToArray()));

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(3, body.GetProperty("accepted").GetInt32());
        Assert.Equal(0, body.GetProperty("rejected").GetInt32());
        var results = body.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(ids, results.Select(r => r.GetProperty("event_id").GetString()));
        Assert.All(results, r => Assert.Equal("accepted", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task SingleEventObject_And_Envelope_AreAccepted()
    {
        var (single, _) = await PostAsync(Telemetry());
        Assert.Equal(HttpStatusCode.Accepted, single);
        var (envelope, body) = await PostAsync($$"""{"events":[{{Telemetry()}}]}""");
        Assert.Equal(HttpStatusCode.Accepted, envelope);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task InvalidEvents_202_WithPerEventCodes_AndTheRestAccepted()
    {
        var (status, body) = await PostAsync(Array(Telemetry(), Telemetry("not-a-uuid"), Cost("XYZ"), Telemetry(value: -1)));

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal(3, body.GetProperty("rejected").GetInt32());
        var results = body.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal("accepted", results[0].GetProperty("status").GetString());
        Assert.Equal("invalid_uuid", results[1].GetProperty("code").GetString());
        Assert.Equal("unknown_currency", results[2].GetProperty("code").GetString());
        Assert.Contains("XYZ", results[2].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("negative_metric", results[3].GetProperty("code").GetString());
    }

    [Fact]
    public async Task RepeatedEventId_IsReportedAsDuplicate()
    {
        var id = Guid.NewGuid().ToString();
        var (_, first) = await PostAsync(Array(Telemetry(id)));
        var (status, second) = await PostAsync(Array(Telemetry(id), Telemetry()));

        Assert.Equal(1, first.GetProperty("accepted").GetInt32());
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(1, second.GetProperty("duplicates").GetInt32());
        Assert.Equal(1, second.GetProperty("accepted").GetInt32());
        Assert.Equal("duplicate", second.GetProperty("results")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task RetriedEnvelope_SameProducerAndSequence_GetsTheSameAnswer_AndIsNotStoredTwice()
    {
        var json = $$"""{"producer_id":"rest-{{Guid.NewGuid():N}}","sequence":7,"events":[{{Telemetry()}},{{Telemetry("bad")}}]}""";
        var (_, first) = await PostAsync(json);
        var (status, retry) = await PostAsync(json);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.True(retry.GetProperty("retry").GetBoolean());
        Assert.Equal(first.GetProperty("accepted").GetInt32(), retry.GetProperty("accepted").GetInt32());
        Assert.Equal(first.GetProperty("rejected").GetInt32(), retry.GetProperty("rejected").GetInt32());
        Assert.Equal(0, retry.GetProperty("duplicates").GetInt32()); // answered from the first attempt, not re-judged
        Assert.Equal("invalid_uuid", retry.GetProperty("results")[1].GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("""[{"event_id":5}]""", "events[0].event_id")]
    [InlineData("""[{"event_id":"x","timestamp":"yesterday"}]""", "events[0].timestamp")]
    [InlineData("""[{"event_id":"x","source_module":"llm-nowhere"}]""", "events[0].source_module")]
    [InlineData("""[{"event_id":"x","event_type":"telemetry","payload":{"metric_value":"fast"}}]""", "events[0].payload.metric_value")]
    [InlineData("""[{"event_id":"x","tags":{"a":{"b":1}}}]""", "events[0].tags.a")]
    public async Task WrongTypes_400_WithThePathOfEachFieldError(string json, string path)
    {
        var (status, body) = await PostAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_events", body.GetProperty("error").GetString());
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal(path, error.GetProperty("path").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("[")]
    [InlineData("""[{"event_id":"abc""")]
    [InlineData("\u0001\u0002garbage")]
    [InlineData("[]")]
    [InlineData("")]
    public async Task MalformedOrEmptyBodies_400(string json)
    {
        var (status, body) = await PostAsync(json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task ThousandEvents_202_ThousandAndOne_413()
    {
        var (ok, body) = await PostAsync(Array(1000));
        Assert.Equal(HttpStatusCode.Accepted, ok);
        Assert.Equal(1000, body.GetProperty("accepted").GetInt32());

        var (tooMany, error) = await PostAsync(Array(1001));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooMany);
        Assert.Equal("too_many_events", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task BodyAboveTheByteLimit_413()
    {
        var huge = "[" + Telemetry().Replace("\"prod\"", "\"" + new string('x', RestHubFixture.MaxBodyBytes) + "\"", StringComparison.Ordinal) + "]";
        var (status, body) = await PostAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("too_large", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task NotJson_415()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(Events, Content("a,b,c", "text/csv"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task AfterHostileInput_TheHubIsStillHealthy()
    {
        foreach (var json in new[] { "[", new string('[', 10_000), "{\"events\":" + new string('9', 100_000) + "}", "\"\\ud800\"" })
        {
            var (status, _) = await PostAsync(json);
            Assert.Equal(HttpStatusCode.BadRequest, status);
        }

        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{fixture.Hub.HttpPort}/healthz")).StatusCode);
        var (ok, _) = await PostAsync(Array(2));
        Assert.Equal(HttpStatusCode.Accepted, ok);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string json)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(Events, Content(json));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}

/// <summary>One hub for the REST tests (a small byte limit so the 413 test stays small).</summary>
public sealed class RestHubFixture : IAsyncLifetime
{
    public const int MaxBodyBytes = 1 << 20;

    internal HubProcess Hub { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Hub = HubProcess.Start($"--Hub:Rest:MaxBodyBytes={MaxBodyBytes}");
        await Hub.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync() => await Hub.DisposeAsync();
}
