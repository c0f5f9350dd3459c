using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AnalyticsHub.Server.Tests.Ingestion;
using AnalyticsHub.Server.Tests.Rest;

namespace AnalyticsHub.Server.Tests.Anomalies;

/// <summary><c>POST /api/v1/anomalies/detect</c> on a running hub: a spike in a daily cycle is flagged with severity,
/// the detectors that fired and an explanation, clean points are not; every kind of bad input is a 400 (or 413/415)
/// naming the field and the fix, and the hub keeps answering.</summary>
public sealed class AnomalyApiTests(RestHubFixture fixture) : IClassFixture<RestHubFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
    private const int SpikeAt = 400;

    [Fact]
    public async Task SpikeInADailyCycle_IsFlaggedAndExplained_TheRestIsNot()
    {
        var values = Hourly(480);
        values[SpikeAt] += 200;
        var (status, json) = await PostAsync(Body(values));
        Assert.Equal(HttpStatusCode.OK, status);
        var data = json.GetProperty("data");
        Assert.Equal("ensemble", data.GetProperty("detector").GetString());
        var points = data.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(480, points.Length);
        Assert.All(points, p => Assert.InRange(p.GetProperty("anomaly_score").GetDouble(), 0, 1));
        double spike = points[SpikeAt].GetProperty("anomaly_score").GetDouble();
        Assert.True(spike >= 0.5, points[SpikeAt].ToString());
        Assert.All(points.Where((_, i) => i != SpikeAt), p => Assert.True(p.GetProperty("anomaly_score").GetDouble() < spike, p.ToString()));

        // The data is deterministic and so is the ensemble: the spike is the one point flagged.
        var anomaly = Assert.Single(data.GetProperty("anomalies").EnumerateArray());
        Assert.Equal(Time(SpikeAt), anomaly.GetProperty("timestamp").GetString());
        Assert.Contains(anomaly.GetProperty("severity").GetString(), new[] { "low", "medium", "high", "critical" });
        Assert.NotEmpty(anomaly.GetProperty("fired").EnumerateArray());
        Assert.Contains("above", anomaly.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.True(anomaly.GetProperty("value").GetDouble() > anomaly.GetProperty("expected_high").GetDouble());
        Assert.Equal(480, json.GetProperty("meta").GetProperty("row_count").GetInt32());
    }

    [Fact]
    public async Task OneDetector_CanBeChosen()
    {
        var (status, json) = await PostAsync(Body(Hourly(100), extra: "\"detector\":\"ewma\""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ewma", json.GetProperty("data").GetProperty("detector").GetString());
        Assert.Equal(100, json.GetProperty("data").GetProperty("points").GetArrayLength());
    }

    public static TheoryData<string, string, string> BadInputs() => new()
    {
        { Body(Hourly(5)), "values", "from 10" },
        { Body(Hourly(48)).Replace("[98.5,", "[\"98.5\",", StringComparison.Ordinal), "values[0]", "finite number" },
        { Body(Hourly(48)).Replace("[98.5,", "[null,", StringComparison.Ordinal), "values[0]", "finite number" },
        { Body(Hourly(48), timestamps: Times(48).Select((t, i) => i == 5 ? t.AddHours(-3) : t)), "timestamps[5]", "strictly increasing" },
        { Body(Hourly(48)).Replace("2026-01-05T00:00:00Z", "05/01/2026 00:00", StringComparison.Ordinal), "timestamps[0]", "RFC 3339" },
        { Body(Hourly(48)).Replace("\"values\":[98.5,", "\"values\":[", StringComparison.Ordinal), "values", "one value per timestamp" },
        { Body(Hourly(48), extra: "\"colour\":\"blue\""), "colour", "Unknown field" },
        { Body(Hourly(48), extra: "\"detector\":\"lstm\""), "detector", "ensemble" },
        { Body(Hourly(48), extra: "\"detector\":7"), "detector", "ensemble" },
        { "{\"values\":[1,2,3]}", "timestamps", "Required" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_Returns400NamingTheFieldAndTheFix(string body, string field, string hint)
    {
        var (status, json) = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = json.GetProperty("error");
        Assert.Equal("invalid_detection", error.GetProperty("code").GetString());
        var detail = error.GetProperty("details").EnumerateArray().First(d => d.GetProperty("field").GetString() == field);
        Assert.Contains(hint, detail.GetProperty("message").GetString(), StringComparison.Ordinal);
        await AssertHealthyAsync();
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"values\":[1,2,")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"values\":[NaN,1]}")]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":1}}}}}}}")]
    public async Task HostileBody_Returns400AndHubStaysHealthy(string body)
    {
        var (status, json) = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("error").GetProperty("message").GetString()));
        await AssertHealthyAsync();
    }

    [Fact]
    public async Task HugeBody_Returns413()
    {
        var (status, json) = await PostAsync("{\"values\":[" + string.Join(',', Enumerable.Repeat("1.000000", 200_000)) + "]}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("too_large", json.GetProperty("error").GetProperty("code").GetString());
        await AssertHealthyAsync();
    }

    [Fact]
    public async Task NotJson_Returns415()
    {
        using var http = Http();
        using var response = await http.PostAsync("/api/v1/anomalies/detect", new StringContent("values=1,2", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    /// <summary>A daily cycle with a small deterministic wobble; the first value is 98.5.</summary>
    internal static double[] Hourly(int length) =>
        [.. Enumerable.Range(0, length).Select(t => Math.Round(100 + (20 * Math.Sin(2 * Math.PI * t / 24)) + (((t % 7) - 3) * 0.5), 3))];

    internal static IEnumerable<DateTimeOffset> Times(int length) => Enumerable.Range(0, length).Select(i => Start.AddHours(i));

    internal static string Time(int i) => Start.AddHours(i).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string Body(double[] values, IEnumerable<DateTimeOffset>? timestamps = null, string? extra = null)
    {
        var times = string.Join(',', (timestamps ?? Times(values.Length)).Select(t => "\"" + t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "\""));
        var numbers = string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        return "{\"timestamps\":[" + times + "],\"values\":[" + numbers + "]" + (extra is null ? "" : "," + extra) + "}";
    }

    private HttpClient Http() => new() { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Hub.HttpPort}") };

    private async Task<(HttpStatusCode Status, JsonElement Json)> PostAsync(string body)
    {
        using var http = Http();
        using var response = await http.PostAsync("/api/v1/anomalies/detect", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task AssertHealthyAsync()
    {
        await HubHttp.AssertAliveAsync(fixture.Hub, "after a bad detection request");
        var (status, _) = await PostAsync(Body(Hourly(48)));
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
