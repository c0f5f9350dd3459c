using System.Net;
using System.Text;
using System.Text.Json;
using AnalyticsHub.Client;
using AnalyticsHub.Protocol.Grpc;
using AnalyticsHub.Contracts.V1;
using AnalyticsHub.Server.Tests.Ingestion;
using Xunit.Abstractions;

namespace AnalyticsHub.Server.Tests.Query;

/// <summary>
/// The query API against exact answers, on a running hub with a given store: random events
/// (several models, some with the model in payload dimensions, timestamps written in five UTC
/// offsets, another tenant mixed in) sent over REST; then every bucket size and function from the
/// rollups (hot memory and, for the far end of the range, persisted rollups), the same question
/// forced onto the store path by a payload filter, the same over gRPC, after a kill -9 and
/// restart, and event search paged by cursor — each compared with answers computed here from the
/// events sent (counts, sums, min/max exact; percentiles within the sketch's 1 %).
/// </summary>
internal static class QueryScenario
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly string[] Functions = ["count", "sum", "avg", "min", "max", "stddev", "p50", "p90", "p95", "p99", "rate"];
    private static readonly (string Name, long Seconds)[] Buckets = [("1m", 60), ("5m", 300), ("15m", 900), ("1h", 3600), ("1d", 86400), ("", 0)];

    public static readonly Method<QueryRequest, QueryResponse> QueryMethod =
        Method.Protobuf<QueryRequest, QueryResponse>(MethodType.Unary, "analyticshub.v1.QueryService", "Query");

    public static readonly Method<SearchEventsRequest, SearchEventsResponse> SearchMethod =
        Method.Protobuf<SearchEventsRequest, SearchEventsResponse>(MethodType.Unary, "analyticshub.v1.QueryService", "SearchEvents");

    public static async Task RunAsync(ITestOutputHelper output, string[] hubArgs, int count = 3000)
    {
        int seed = Environment.TickCount;
        output.WriteLine($"random seed {seed}");
        var now = DateTimeOffset.UtcNow;
        var events = QueryEvent.Random(new Random(seed), count, now, TimeSpan.FromHours(5));
        var mine = events.Where(e => e.Tenant.Length == 0).ToList();

        // Whole days around the events: 1 d buckets align, and the range reaches back past the
        // 25 h kept in memory, so part of every answer is asked of the persisted rollups.
        long start = (now - TimeSpan.FromHours(30)).ToUnixTimeSeconds() / 86400 * 86400 * 1_000_000_000L;
        long end = ((now.ToUnixTimeSeconds() / 86400) + 1) * 86400 * 1_000_000_000L;

        await using var hub = HubProcess.Start(["--Hub:Rollups:FlushIntervalMs=300", .. hubArgs]);
        await hub.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{hub.HttpPort}") };
        foreach (var chunk in events.Chunk(500))
        {
            using var response = await http.PostAsync("/api/v1/events", QueryEvent.Content(chunk));
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }

        await WaitForCountAsync(http, start, end, mine.Count, store: false, hub);
        foreach (var (name, seconds) in Buckets)
        {
            var answer = await QueryAsync(http, Body(start, end, name), hub);
            Assert.Equal("rollup", answer.Source);
            AssertExact(mine, answer, start, end, seconds, $"rollups, bucket '{name}'");
            var columns = await QueryAsync(http, Body(start, end, name, format: "columns"), hub);
            AssertExact(mine, columns, start, end, seconds, $"rollups, columns, bucket '{name}'");
        }

        // A per-event field forces SQL on the raw events: same answers.
        await WaitForCountAsync(http, start, end, mine.Count, store: true, hub);
        foreach (var (name, seconds) in new[] { ("1h", 3600L), ("", 0L) })
        {
            var answer = await QueryAsync(http, Body(start, end, name, storePath: true), hub);
            Assert.Equal("store", answer.Source);
            AssertExact(mine, answer, start, end, seconds, $"store path, bucket '{name}'");
            var columns = await QueryAsync(http, Body(start, end, name, storePath: true, format: "columns"), hub);
            AssertExact(mine, columns, start, end, seconds, $"store path, columns, bucket '{name}'");
        }

        // Every operator on a series dimension, on both paths.
        foreach (var (filter, matches) in Operators)
        {
            var subset = mine.Where(matches).ToList();
            var rollup = await QueryAsync(http, Body(start, end, "1h", filter: filter), hub);
            Assert.Equal("rollup", rollup.Source);
            AssertExact(subset, rollup, start, end, 3600, $"rollups, filter {filter}");
            var store = await QueryAsync(http, Body(start, end, "1h", storePath: true, filter: filter), hub);
            Assert.Equal("store", store.Source);
            AssertExact(subset, store, start, end, 3600, $"store path, filter {filter}");
        }

        // gRPC: the same question, the same answer.
        using (var channel = TestBatches.Channel(hub))
        {
            var request = new QueryRequest
            {
                Metric = "latency_ms",
                TimeRange = new TimeRange { StartUnixNano = (ulong)start, EndUnixNano = (ulong)end },
                Aggregation = new Aggregation { TimeBucket = "1h", Functions = { Functions }, GroupBy = { "model" } },
            };
            var reply = await channel.UnaryAsync(QueryMethod, request);
            Assert.Equal("rollup", reply.Source);
            var asRest = new Answer("rollup", [.. reply.Series.Select(s => new AnswerSeries(
                s.Group["model"],
                [.. s.Points.Select(p => new AnswerPoint((long)p.BucketStartUnixNano, Functions.ToDictionary(f => f, f => p.Values.TryGetValue(f, out var v) ? v : double.NaN)))]))]);
            AssertExact(mine, asRest, start, end, 3600, "gRPC");
        }

        await AssertSearchAsync(http, mine, start, end);
        await AssertGrpcSearchAsync(hub, mine, start, end);

        // kill -9 and restart: persisted rollups plus the WAL replay give the same answers.
        await hub.KillAsync();
        hub.Restart();
        await hub.WaitUntilListeningAsync(TimeSpan.FromSeconds(30));
        await WaitForCountAsync(http, start, end, mine.Count, store: false, hub);
        foreach (var (name, seconds) in Buckets)
        {
            var answer = await QueryAsync(http, Body(start, end, name), hub);
            AssertExact(mine, answer, start, end, seconds, $"after restart, bucket '{name}'");
        }
    }

    private static string Body(long start, long end, string bucket, bool storePath = false, string? filter = null, string format = "points")
    {
        var all = new List<string>();
        if (storePath)
        {
            all.Add("""{"field":"payload.dimensions.route","op":"in","values":["r1","r2","r3"]}""");
        }
        if (filter is not null)
        {
            all.Add(filter);
        }
        var filters = "[" + string.Join(",", all) + "]";
        var timeBucket = bucket.Length == 0 ? "" : $$""","time_bucket":"{{bucket}}" """;
        return $$"""
            {"metric":"latency_ms","time_range":{"start":"{{start}}","end":"{{end}}"},"filters":{{filters}},
             "aggregation":{"functions":[{{string.Join(",", Functions.Select(f => $"\"{f}\""))}}]{{timeBucket}},"group_by":["model"]},"limit":100,"format":"{{format}}"}
            """;
    }

    private static async Task WaitForCountAsync(HttpClient http, long start, long end, int expected, bool store, HubProcess hub)
    {
        long seen = -1;
        await Poll.UntilAsync(async () =>
        {
            var answer = await QueryAsync(http, Body(start, end, "", store), hub);
            seen = (long)answer.Series.Sum(s => s.Points.Sum(p => p.Values["count"]));
            return seen == expected;
        }, Timeout, () => $"{(store ? "store" : "rollups")} count {seen}, expected {expected}\n{hub.Output}");
    }

    private static async Task<Answer> QueryAsync(HttpClient http, string body, HubProcess hub)
    {
        using var response = await http.PostAsync("/api/v1/query", new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {text}\n{hub.Output}");
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal("success", root.GetProperty("status").GetString());
        var data = root.GetProperty("data");
        bool columns = data.GetProperty("format").GetString() == "columns";
        var series = new List<AnswerSeries>();
        foreach (var s in data.GetProperty("series").EnumerateArray())
        {
            var points = columns ? PointsOfColumns(s) : [.. s.GetProperty("points").EnumerateArray().Select(p => new AnswerPoint(
                p.GetProperty("time_unix_nano").GetInt64(),
                p.GetProperty("values").EnumerateObject().ToDictionary(v => v.Name, v => v.Value.ValueKind == JsonValueKind.Null ? double.NaN : v.Value.GetDouble())))];
            series.Add(new AnswerSeries(s.GetProperty("group").GetProperty("model").GetString()!, points));
        }
        return new Answer(root.GetProperty("meta").GetProperty("source").GetString()!, series);
    }

    /// <summary>A columns-format series as points: bucket i starts at start + i × step; a bucket whose count is null is empty (no point).</summary>
    private static List<AnswerPoint> PointsOfColumns(JsonElement series)
    {
        long first = series.GetProperty("start_unix_nano").GetInt64();
        long step = series.GetProperty("step_seconds").GetInt64() * 1_000_000_000L;
        int buckets = series.GetProperty("buckets").GetInt32();
        var values = series.GetProperty("values").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.EnumerateArray().ToArray());
        Assert.All(values.Values, column => Assert.Equal(buckets, column.Length));
        var points = new List<AnswerPoint>();
        for (int i = 0; i < buckets; i++)
        {
            if (values["count"][i].ValueKind == JsonValueKind.Null)
            {
                Assert.All(values.Values, column => Assert.Equal(JsonValueKind.Null, column[i].ValueKind));
                continue;
            }
            points.Add(new AnswerPoint(first + (i * step), values.ToDictionary(c => c.Key, c => c.Value[i].ValueKind == JsonValueKind.Null ? double.NaN : c.Value[i].GetDouble())));
        }
        return points;
    }

    private static void AssertExact(List<QueryEvent> events, Answer answer, long start, long end, long bucketSeconds, string what)
    {
        long width = bucketSeconds == 0 ? end - start : bucketSeconds * 1_000_000_000L;
        var expected = events
            .Where(e => e.UnixNano >= start && e.UnixNano < end)
            .GroupBy(e => (Model: e.Model, Bucket: start + ((e.UnixNano - start) / width * width)))
            .ToDictionary(g => g.Key, g => g.Select(e => e.Value).Order().ToArray());
        int points = 0;
        foreach (var series in answer.Series)
        {
            foreach (var point in series.Points)
            {
                points++;
                Assert.True(expected.TryGetValue((series.Model, point.Time), out var values), $"{what}: unexpected point {series.Model} @ {point.Time}");
                var v = point.Values;
                Assert.True(values.Length == v["count"], $"{what}: count {v["count"]} vs {values.Length} for {series.Model} @ {point.Time}");
                Assert.Equal(values.Sum(), v["sum"], 1e-9 * values.Sum());
                Assert.Equal(values[0], v["min"]);
                Assert.Equal(values[^1], v["max"]);
                Assert.Equal(values.Average(), v["avg"], 1e-9 * values.Average());
                double mean = values.Average();
                double stddev = Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / values.Length);
                Assert.Equal(stddev, v["stddev"], 1e-6 * Math.Max(1, stddev));
                Assert.Equal(values.Length / (width / 1e9), v["rate"], 1e-9);
                foreach (var (name, q) in new[] { ("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99) })
                {
                    double exact = values[(int)Math.Floor(q * (values.Length - 1))];
                    Assert.True(Math.Abs(v[name] - exact) <= 0.01 * exact, $"{what}: {name} {v[name]} vs exact {exact} for {series.Model} @ {point.Time}");
                }
            }
        }
        Assert.True(expected.Count == points, $"{what}: {points} points, expected {expected.Count}");
    }

    private static async Task AssertSearchAsync(HttpClient http, List<QueryEvent> events, long start, long end)
    {
        var seen = new List<(long Time, string Id)>();
        string? cursor = null;
        do
        {
            string url = $"/api/v1/events?start={start}&end={end}&limit=700" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            using var response = await http.GetAsync(url);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            using var json = JsonDocument.Parse(text);
            var data = json.RootElement.GetProperty("data");
            foreach (var e in data.GetProperty("events").EnumerateArray())
            {
                seen.Add((e.GetProperty("time_unix_nano").GetInt64(), e.GetProperty("event_id").GetString()!));
            }
            cursor = data.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : data.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(events.Select(e => e.Id).Order(), seen.Select(s => s.Id).Order());
        Assert.True(seen.Zip(seen.Skip(1)).All(p => p.First.Time >= p.Second.Time), "search pages are not newest first");
    }

    /// <summary>Errors only, over gRPC, paged by cursor; events come back as they were sent.</summary>
    private static async Task AssertGrpcSearchAsync(HubProcess hub, List<QueryEvent> events, long start, long end)
    {
        using var channel = TestBatches.Channel(hub);
        var byId = events.ToDictionary(e => e.Id);
        var seen = new List<string>();
        string cursor = "";
        do
        {
            var page = await channel.UnaryAsync(SearchMethod, new SearchEventsRequest
            {
                TimeRange = new TimeRange { StartUnixNano = (ulong)start, EndUnixNano = (ulong)end },
                MinSeverity = "error",
                Limit = 97,
                Cursor = cursor,
            });
            foreach (var e in page.Events)
            {
                seen.Add(e.EventId);
                var sent = byId[e.EventId];
                Assert.Equal(Severity.Error, e.Severity);
                Assert.Equal((ulong)sent.UnixNano, e.TimeUnixNano);
                Assert.Equal("latency_ms", e.Telemetry.MetricName);
                Assert.Equal(sent.Value, e.Telemetry.MetricValue);
                Assert.Equal(sent.Route, e.Telemetry.Dimensions["route"]);
                Assert.Equal("eu", e.Tags["region"]);
            }
            cursor = page.NextCursor;
        }
        while (cursor.Length > 0);

        Assert.Equal(events.Where(e => e.Error).Select(e => e.Id).Order(), seen.Order());
    }

    private static readonly (string Filter, Func<QueryEvent, bool> Matches)[] Operators =
    [
        ("""{"field":"model","op":"eq","value":"gpt-4o"}""", e => e.Model == "gpt-4o"),
        ("""{"field":"tags.model","op":"neq","value":"gpt-4o"}""", e => e.Model != "gpt-4o"),
        ("""{"field":"model","op":"in","values":["gpt-4o","llama-3"]}""", e => e.Model is "gpt-4o" or "llama-3"),
        ("""{"field":"model","op":"contains","value":"l"}""", e => e.Model.Contains('l')),
        ("""{"field":"model","op":"gt","value":"gpt-4o"}""", e => string.CompareOrdinal(e.Model, "gpt-4o") > 0),
        ("""{"field":"model","op":"gte","value":"gpt-4o"}""", e => string.CompareOrdinal(e.Model, "gpt-4o") >= 0),
        ("""{"field":"model","op":"lt","value":"gpt-4o"}""", e => string.CompareOrdinal(e.Model, "gpt-4o") < 0),
        ("""{"field":"model","op":"lte","value":"claude-3"}""", e => string.CompareOrdinal(e.Model, "claude-3") <= 0),
        ("""{"field":"severity","op":"gte","value":"warning"}""", e => e.Error),
        ("""{"field":"severity","op":"lt","value":"error"}""", e => !e.Error),
        ("""{"field":"source_module","op":"eq","value":"llm-observatory"}""", _ => true),
        ("""{"field":"environment","op":"neq","value":"prod"}""", _ => false),
    ];

    private sealed record Answer(string Source, List<AnswerSeries> Series);

    private sealed record AnswerSeries(string Model, List<AnswerPoint> Points);

    private sealed record AnswerPoint(long Time, Dictionary<string, double> Values);
}
