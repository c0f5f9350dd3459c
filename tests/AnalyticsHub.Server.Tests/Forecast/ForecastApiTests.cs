using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AnalyticsHub.Server.Tests.Ingestion;
using AnalyticsHub.Server.Tests.Rest;

namespace AnalyticsHub.Server.Tests.Forecast;

/// <summary><c>POST /api/v1/forecast</c> on a running hub: good series answered in the hub's shape with points, bounds,
/// models and weights, scenarios and budget crossings; every kind of bad input answered 400 (or 413/415) with what to
/// change, and the hub keeps answering.</summary>
public sealed class ForecastApiTests(RestHubFixture fixture) : IClassFixture<RestHubFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task HourlySeries_ReturnsPointsWithBoundsModelsAndWeights()
    {
        var (status, json) = await PostAsync(Body(Hourly(240), horizon: 24));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("success", json.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("error").ValueKind);
        var data = json.GetProperty("data");
        var points = data.GetProperty("points").EnumerateArray().ToArray();
        Assert.Equal(24, points.Length);
        Assert.Equal("2026-01-15T00:00:00Z", points[0].GetProperty("timestamp").GetString());
        Assert.Equal("2026-01-15T23:00:00Z", points[^1].GetProperty("timestamp").GetString());
        for (var step = 0; step < points.Length; step++)
        {
            var value = points[step].GetProperty("value").GetDouble();
            Assert.InRange(value, Signal(240 + step) - 15, Signal(240 + step) + 15);
            Assert.True(points[step].GetProperty("lower").GetDouble() <= value && value <= points[step].GetProperty("upper").GetDouble());
        }
        // 240 hourly points show the daily cycle ten times but the weekly one not twice.
        Assert.Equal([24], data.GetProperty("seasonal_periods").EnumerateArray().Select(p => p.GetInt32()));
        Assert.Equal(95, data.GetProperty("level").GetDouble());
        var weights = data.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("weight").GetDouble()).ToArray();
        Assert.Equal(1, weights.Sum(), 6);
        Assert.Equal(24, json.GetProperty("meta").GetProperty("row_count").GetInt32());
    }

    [Fact]
    public async Task ChosenModel_IsTheOnlyMember()
    {
        var (status, json) = await PostAsync(Body(Hourly(120), horizon: 6, extra: "\"models\":[\"snaive\"],\"level\":80"));
        Assert.Equal(HttpStatusCode.OK, status);
        var model = Assert.Single(json.GetProperty("data").GetProperty("models").EnumerateArray());
        Assert.Equal("snaive", model.GetProperty("name").GetString());
        Assert.Equal(1, model.GetProperty("weight").GetDouble());
        Assert.Equal(80, json.GetProperty("data").GetProperty("level").GetDouble());
    }

    [Fact]
    public async Task Scenario_DoublesFromTheGivenTimeAndReportsTheDifference()
    {
        const string Scenario = "\"scenario\":{\"name\":\"traffic 2x\",\"adjustments\":[{\"type\":\"multiply\",\"value\":2,\"from\":\"2026-01-10T03:00:00Z\"}]}";
        var (status, json) = await PostAsync(Body(Hourly(120), horizon: 6, extra: "\"models\":[\"snaive\"]," + Scenario));
        Assert.Equal(HttpStatusCode.OK, status);
        var scenario = json.GetProperty("data").GetProperty("scenario");
        Assert.Equal("traffic 2x", scenario.GetProperty("name").GetString());
        var points = scenario.GetProperty("points").EnumerateArray().ToArray();
        double total = 0;
        for (var step = 0; step < 6; step++)
        {
            var baseline = points[step].GetProperty("baseline").GetDouble();
            var value = points[step].GetProperty("value").GetDouble();
            Assert.Equal(step < 3 ? baseline : 2 * baseline, value, 9);
            Assert.Equal(value - baseline, points[step].GetProperty("difference").GetDouble(), 9);
            total += value - baseline;
        }
        Assert.Equal(total, scenario.GetProperty("total_difference").GetDouble(), 6);
    }

    [Fact]
    public async Task CumulativeSpend_ReportsWhenTheBudgetRunsOut()
    {
        // 10 per hour for 100 hours: 1,000 spent; a budget of 1,095 runs out at the 10th forecast hour.
        var cumulative = Enumerable.Range(1, 100).Select(i => 10.0 * i).ToArray();
        var (status, json) = await PostAsync(Body(cumulative, horizon: 24, extra: "\"seasonal_periods\":[],\"budget\":1095,\"cumulative\":true"));
        Assert.Equal(HttpStatusCode.OK, status);
        var data = json.GetProperty("data");
        Assert.Equal(1010, data.GetProperty("points")[0].GetProperty("value").GetDouble(), 3);
        var budget = data.GetProperty("budget");
        Assert.Equal(1000, budget.GetProperty("spent").GetDouble());
        Assert.True(budget.GetProperty("within_horizon").GetBoolean());
        Assert.Equal("2026-01-09T13:00:00Z", budget.GetProperty("expected").GetString());
        var earliest = DateTimeOffset.Parse(budget.GetProperty("earliest").GetString()!, CultureInfo.InvariantCulture);
        Assert.True(earliest <= DateTimeOffset.Parse(budget.GetProperty("expected").GetString()!, CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task BudgetFarAway_IsNotWithinTheHorizon()
    {
        var (status, json) = await PostAsync(Body(Hourly(120), horizon: 6, extra: "\"budget\":1e12"));
        Assert.Equal(HttpStatusCode.OK, status);
        var budget = json.GetProperty("data").GetProperty("budget");
        Assert.False(budget.GetProperty("within_horizon").GetBoolean());
        Assert.Equal(JsonValueKind.Null, budget.GetProperty("expected").ValueKind);
    }

    public static TheoryData<string, string, string> BadInputs() => new()
    {
        { Body(Hourly(5), 2), "values", "from 10" },
        { Body(Hourly(48), 0), "horizon", "from 1" },
        { Body(Hourly(48), 49), "horizon", "at most as far as the history" },
        { Body(Hourly(48), 5000), "horizon", "2,000" },
        { Body(Hourly(48), 4).Replace("[98.5,", "[\"98.5\",", StringComparison.Ordinal), "values[0]", "finite number" },
        { Body(Hourly(48), 4).Replace("[98.5,", "[null,", StringComparison.Ordinal), "values[0]", "finite number" },
        { Body(Hourly(48), 4).Replace("[98.5,", "[1e999,", StringComparison.Ordinal), "values[0]", "finite number" },
        { Body(Hourly(48), 4, timestamps: Times(48).Select((t, i) => i == 5 ? t.AddHours(-3) : t)), "timestamps[5]", "strictly increasing" },
        { Body(Hourly(48), 4, timestamps: Times(48).Select((t, i) => i >= 7 ? t.AddMinutes(30) : t)), "timestamps[7]", "evenly spaced" },
        { Body(Hourly(48), 4).Replace("2026-01-05T00:00:00Z", "05/01/2026 00:00", StringComparison.Ordinal), "timestamps[0]", "RFC 3339" },
        { Body(Hourly(48), 4).Replace("\"values\":[98.5,", "\"values\":[", StringComparison.Ordinal), "values", "one value per timestamp" },
        { Body(Hourly(48), 4, extra: "\"colour\":\"blue\""), "colour", "Unknown field" },
        { Body(Hourly(48), 4, extra: "\"horizon\":5"), "horizon", "once" },
        { Body(Hourly(48), 4, extra: "\"models\":[\"lstm\"]"), "models[0]", "arima" },
        { Body(Hourly(48), 4, extra: "\"level\":120"), "level", "below 100" },
        { Body(Hourly(48), 4, extra: "\"seasonal_periods\":[168]"), "seasonal_periods[0]", "336" },
        { Body(Hourly(48), 4, extra: "\"budget\":-5"), "budget", "positive" },
        { Body(Hourly(48), 4, extra: "\"cumulative\":true"), "cumulative", "budget" },
        { Body(Hourly(48), 4, extra: "\"scenario\":{\"adjustments\":[{\"type\":\"double\",\"value\":2}]}"), "scenario.adjustments[0].type", "multiply" },
        { Body(Hourly(48), 4, extra: "\"scenario\":{\"adjustments\":[{\"type\":\"shift\",\"value\":2,\"from\":\"2030-01-01T00:00:00Z\"}]}"), "scenario.adjustments[0].from", "within the horizon" },
        { "{\"values\":[1,2,3]}", "timestamps", "Required" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task BadInput_Returns400NamingTheFieldAndTheFix(string body, string field, string hint)
    {
        var (status, json) = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", json.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("data").ValueKind);
        var error = json.GetProperty("error");
        Assert.Equal("invalid_forecast", error.GetProperty("code").GetString());
        var detail = error.GetProperty("details").EnumerateArray().First(d => d.GetProperty("field").GetString() == field);
        Assert.Contains(hint, detail.GetProperty("message").GetString(), StringComparison.Ordinal);
        await AssertHealthyAsync();
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"values\":[1,2,")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"values\":[NaN,1]}")]
    [InlineData("{\"scenario\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":1}}}}}}}")]
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
        using var response = await http.PostAsync("/api/v1/forecast", new StringContent("values=1,2", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    private static double Signal(int t) => 100 + 20 * Math.Sin(2 * Math.PI * t / 24);

    /// <summary>A daily cycle with a small deterministic wobble; the first value is 98.5.</summary>
    private static double[] Hourly(int length) =>
        [.. Enumerable.Range(0, length).Select(t => Math.Round(Signal(t) + (t % 7 - 3) * 0.5, 3))];

    private static IEnumerable<DateTimeOffset> Times(int length) => Enumerable.Range(0, length).Select(i => Start.AddHours(i));

    private static string Body(double[] values, int horizon, IEnumerable<DateTimeOffset>? timestamps = null, string? extra = null)
    {
        var times = string.Join(',', (timestamps ?? Times(values.Length)).Select(t => "\"" + t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "\""));
        var numbers = string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        return "{\"timestamps\":[" + times + "],\"values\":[" + numbers + "],\"horizon\":" + horizon + (extra is null ? "" : "," + extra) + "}";
    }

    private HttpClient Http() => new() { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Hub.HttpPort}") };

    private async Task<(HttpStatusCode Status, JsonElement Json)> PostAsync(string body)
    {
        using var http = Http();
        using var response = await http.PostAsync("/api/v1/forecast", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task AssertHealthyAsync()
    {
        await HubHttp.AssertAliveAsync(fixture.Hub, "after a bad forecast request");
        var (status, _) = await PostAsync(Body(Hourly(48), 4, extra: "\"models\":[\"snaive\"]"));
        Assert.Equal(HttpStatusCode.OK, status);
    }
}
