using System.Net;
using System.Text;
using System.Text.Json;

namespace AnalyticsHub.Server.Tests.Anomalies;

/// <summary>
/// The feedback loop on a running hub: a flagged spike marked as a false positive is no longer flagged for that
/// series (other series unchanged), a missed point marked as an anomaly is flagged next time, and both survive
/// kill -9; bad feedback is a 400 naming the field and the hub keeps answering.
/// </summary>
public sealed class AnomalyFeedbackApiTests : IAsyncLifetime
{
    private const int SpikeAt = 400;
    private const string Series = "llm-observatory/latency_ms/gpt-4o";
    private HubProcess _hub = null!;

    public async Task InitializeAsync()
    {
        _hub = HubProcess.Start();
        await _hub.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    [Fact]
    public async Task FalsePositive_SilencesThatPointForItsSeries_MissedAnomaly_FlagsOne_BothSurviveKill9()
    {
        var values = AnomalyApiTests.Hourly(480);
        values[SpikeAt] += 200;
        var withSeries = AnomalyApiTests.Body(values, extra: $"\"series\":\"{Series}\"");

        var first = await DetectAsync(withSeries);
        Assert.Equal(0.5, first.GetProperty("threshold").GetDouble());
        var spike = Assert.Single(first.GetProperty("anomalies").EnumerateArray(), a => a.GetProperty("timestamp").GetString() == AnomalyApiTests.Time(SpikeAt));
        var spikeScore = spike.GetProperty("anomaly_score").GetDouble();

        // "That spike was a deploy, not an incident."
        var (status, answer) = await SendAsync(HttpMethod.Post, "/api/v1/anomalies/feedback", Feedback(Series, AnomalyApiTests.Time(SpikeAt), "false_positive", spikeScore));
        Assert.Equal(HttpStatusCode.OK, status);
        var data = answer.GetProperty("data");
        Assert.Equal(0.5, data.GetProperty("threshold_before").GetDouble());
        var raised = data.GetProperty("threshold_after").GetDouble();
        Assert.True(raised > spikeScore, $"{raised} ≤ {spikeScore}");

        // Same series: nothing scoring up to the spike alerts any more. Another series: unchanged.
        var second = await DetectAsync(withSeries);
        Assert.Equal(raised, second.GetProperty("threshold").GetDouble());
        Assert.All(second.GetProperty("anomalies").EnumerateArray(), a => Assert.True(a.GetProperty("anomaly_score").GetDouble() >= raised, a.ToString()));
        Assert.DoesNotContain(second.GetProperty("anomalies").EnumerateArray(), a => a.GetProperty("timestamp").GetString() == AnomalyApiTests.Time(SpikeAt));
        var other = await DetectAsync(AnomalyApiTests.Body(values, extra: "\"series\":\"another-series\""));
        Assert.Contains(other.GetProperty("anomalies").EnumerateArray(), a => a.GetProperty("timestamp").GetString() == AnomalyApiTests.Time(SpikeAt));

        // "…but this quieter point was the start of a real incident": the threshold drops just below its score.
        var points = second.GetProperty("points").EnumerateArray().ToArray();
        var missed = Enumerable.Range(100, points.Length - 100).Where(i => i != SpikeAt).MaxBy(i => points[i].GetProperty("anomaly_score").GetDouble());
        var missedScore = points[missed].GetProperty("anomaly_score").GetDouble();
        Assert.True(missedScore is > 0.21 and < 0.98, $"the quieter point scored {missedScore}");
        (status, answer) = await SendAsync(HttpMethod.Post, "/api/v1/anomalies/feedback", Feedback(Series, AnomalyApiTests.Time(missed), "missed_anomaly", missedScore));
        Assert.Equal(HttpStatusCode.OK, status);
        var lowered = answer.GetProperty("data").GetProperty("threshold_after").GetDouble();
        Assert.Equal(Math.Round(missedScore - 0.01, 6), lowered, 9);

        await _hub.KillAsync();
        _hub.Restart();
        await _hub.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));

        (status, answer) = await SendAsync(HttpMethod.Get, "/api/v1/anomalies/feedback?series=" + Uri.EscapeDataString(Series), null);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(lowered, answer.GetProperty("data").GetProperty("threshold").GetDouble());
        var labels = answer.GetProperty("data").GetProperty("labels").EnumerateArray().ToArray();
        Assert.Equal(["false_positive", "missed_anomaly"], labels.Select(l => l.GetProperty("kind").GetString()));
        Assert.Equal(AnomalyApiTests.Time(SpikeAt), labels[0].GetProperty("timestamp").GetString());

        var third = await DetectAsync(withSeries);
        Assert.Equal(lowered, third.GetProperty("threshold").GetDouble());
        Assert.Contains(third.GetProperty("anomalies").EnumerateArray(), a => a.GetProperty("timestamp").GetString() == AnomalyApiTests.Time(missed));
    }

    public static TheoryData<string, string, string> BadFeedback() => new()
    {
        { "{\"timestamp\":\"2026-01-05T00:00:00Z\",\"kind\":\"false_positive\",\"score\":0.6}", "series", "Required" },
        { Feedback("", "2026-01-05T00:00:00Z", "false_positive", 0.6), "series", "1 to 200" },
        { Feedback(new string('x', 201), "2026-01-05T00:00:00Z", "false_positive", 0.6), "series", "1 to 200" },
        { Feedback("s", "yesterday", "false_positive", 0.6), "timestamp", "RFC 3339" },
        { Feedback("s", "2026-01-05T00:00:00Z", "noise", 0.6), "kind", "missed_anomaly" },
        { Feedback("s", "2026-01-05T00:00:00Z", "false_positive", 1.5), "score", "0 to 1" },
        { "{\"series\":\"s\",\"timestamp\":\"2026-01-05T00:00:00Z\",\"kind\":\"false_positive\",\"score\":\"high\"}", "score", "0 to 1" },
        { "{\"series\":\"s\",\"timestamp\":\"2026-01-05T00:00:00Z\",\"kind\":\"false_positive\",\"score\":0.6,\"weight\":2}", "weight", "Unknown field" },
    };

    [Theory]
    [MemberData(nameof(BadFeedback))]
    public async Task BadFeedback_Is400NamingTheField_AndRecordsNothing(string body, string field, string hint)
    {
        var (status, json) = await SendAsync(HttpMethod.Post, "/api/v1/anomalies/feedback", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_feedback", json.GetProperty("error").GetProperty("code").GetString());
        var detail = json.GetProperty("error").GetProperty("details").EnumerateArray().First(d => d.GetProperty("field").GetString() == field);
        Assert.Contains(hint, detail.GetProperty("message").GetString(), StringComparison.Ordinal);

        var (getStatus, get) = await SendAsync(HttpMethod.Get, "/api/v1/anomalies/feedback?series=s", null);
        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.Empty(get.GetProperty("data").GetProperty("labels").EnumerateArray());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"series\":")]
    public async Task HostileFeedback_Is400_AndTheHubKeepsAnswering(string body)
    {
        var (status, _) = await SendAsync(HttpMethod.Post, "/api/v1/anomalies/feedback", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var (getStatus, _) = await SendAsync(HttpMethod.Get, "/api/v1/anomalies/feedback?series=ok", null);
        Assert.Equal(HttpStatusCode.OK, getStatus);
    }

    [Theory]
    [InlineData("/api/v1/anomalies/feedback")]
    [InlineData("/api/v1/anomalies/feedback?series=")]
    public async Task GetWithoutASeries_Is400(string path)
    {
        var (status, json) = await SendAsync(HttpMethod.Get, path, null);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("series", json.GetProperty("error").GetProperty("details")[0].GetProperty("field").GetString());
    }

    private static string Feedback(string series, string timestamp, string kind, double score) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["series"] = series, ["timestamp"] = timestamp, ["kind"] = kind, ["score"] = score });

    private async Task<JsonElement> DetectAsync(string body)
    {
        var (status, json) = await SendAsync(HttpMethod.Post, "/api/v1/anomalies/detect", body);
        Assert.True(status == HttpStatusCode.OK, json.ToString());
        return json.GetProperty("data");
    }

    private async Task<(HttpStatusCode Status, JsonElement Json)> SendAsync(HttpMethod method, string path, string? body)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_hub.HttpPort}") };
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
