using System.Text.Json;
using AnalyticsHub.LoadRunner.Load;
using AnalyticsHub.LoadRunner.Metrics;
using AnalyticsHub.LoadRunner.Output;
using AnalyticsHub.LoadRunner.Reporting;
using AnalyticsHub.LoadRunner.Scenario;

namespace AnalyticsHub.LoadRunner.Tests.Reporting;

public class QueryReportTests
{
    private static readonly MachineReport Machine = new() { Cores = 2, CpuModel = "AMD EPYC", Os = "Linux", Runtime = ".NET 10", Host = "box", LoadAverage = "1.50 1.20 0.90" };

    [Fact]
    public void Build_QueryRun_ReportsCacheSharesSourcesAndServerTime()
    {
        var report = ReportBuilder.Build(Result(maxP99Ms: 10), "AnalyticsHub.LoadRunner --mode query", Machine);

        Assert.Equal("query", report.Scenario.Mode);
        Assert.Equal("http://127.0.0.1:51080/api/v1/query (HTTP/1.1)", report.Scenario.Target);
        var q = Assert.IsType<QueryReport>(report.Query);
        Assert.Equal(4, q.Clients);
        Assert.Equal(["/tmp/q24h.json"], q.Files);
        Assert.Equal(188, q.BodyBytes);
        Assert.Equal(10, q.Answers);
        Assert.Equal(1, q.WithoutMeta);
        Assert.Equal(3, q.Cached);
        Assert.Equal(Math.Round(3 / 9.0, 4), q.CachedShare);
        Assert.Equal([new CountReport("rollup", 8), new CountReport("store", 1)], q.Sources);
        Assert.Equal(9, q.ServerTime.Batches);
        Assert.InRange(q.ServerTime.P50Ms, 1.99, 2.01);
        Assert.InRange(q.ServerTime.MaxMs, 39.9, 40.1);
        Assert.InRange(q.Overhead.P50Ms, 2.99, 3.01);
        Assert.Equal(1_000_000, q.MaxResponseBytes);
        Assert.Equal(72_010, q.MeanRows);

        // Client latency: 10 answers of 5 ms and the slow one of 43 ms.
        Assert.InRange(report.Latency.P50Ms, 4.99, 5.01);
        var threshold = Assert.Single(report.Thresholds);
        Assert.Equal("max-p99-ms (query latency)", threshold.Name);
        Assert.False(threshold.Passed);
        Assert.Equal(ExitCodes.ThresholdUnmet, report.ExitCode);
        Assert.Equal([3L, 0L], report.Seconds.Select(s => s.Cached));
    }

    [Fact]
    public void Markdown_QueryRun_HasTheQuerySections()
    {
        var md = ReportWriter.ToMarkdown(ReportBuilder.Build(Result(maxP99Ms: 100), "AnalyticsHub.LoadRunner --mode query", Machine));

        Assert.Contains("# Load run abcd1234: query, PASSED", md, StringComparison.Ordinal);
        Assert.Contains("| http://127.0.0.1:51080/api/v1/query (HTTP/1.1) | 4 | /tmp/q24h.json | 188 B | 1 s + 2 s | closed loop |", md, StringComparison.Ordinal);
        Assert.Contains("## Rate (answered queries/s, steady state, 2 s)", md, StringComparison.Ordinal);
        Assert.Contains("| server | 2.00 |", md, StringComparison.Ordinal);
        Assert.Contains("| 10 | 3 | 33.3% | rollup 8, store 1 | 1 | 72,010.0 |", md, StringComparison.Ordinal);
        Assert.Contains("| http 400 invalid_query | 2 |", md, StringComparison.Ordinal);
        Assert.Contains("| max-p99-ms (query latency) | 100.00 | 43.00 | pass |", md, StringComparison.Ordinal);
        Assert.Contains("load average 1.50 1.20 0.90", md, StringComparison.Ordinal);
        Assert.DoesNotContain("events/s", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_QueryRun_RoundTripsAndUsesSnakeCase()
    {
        var report = ReportBuilder.Build(Result(maxP99Ms: null), "x", Machine);
        var json = ReportWriter.ToJson(report);
        var back = ReportWriter.FromJson(json);
        Assert.Equal(json, ReportWriter.ToJson(back));

        using var document = JsonDocument.Parse(json);
        var query = document.RootElement.GetProperty("query");
        Assert.Equal(3, query.GetProperty("cached").GetInt64());
        Assert.Equal("rollup", query.GetProperty("sources")[0].GetProperty("kind").GetString());
        Assert.True(query.GetProperty("server_time").GetProperty("p99_ms").GetDouble() > 0);
    }

    [Fact]
    public void Json_IngestionRun_HasNoQuerySection()
    {
        using var document = JsonDocument.Parse(ReportWriter.ToJson(ReportJsonTests.Sample()));
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("query").ValueKind);
        Assert.DoesNotContain("answered queries", ReportWriter.ToMarkdown(ReportJsonTests.Sample()), StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_QueryRun_NamesQueriesCacheAndSources()
    {
        var lines = SummaryText.Lines(ReportBuilder.Build(Result(maxP99Ms: null), "x", Machine)).ToList();
        Assert.StartsWith("rate (answered queries/s, 2 steady s)", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("cached 3 (33.3%), sources: rollup 8, store 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("error: http 400 invalid_query × 2", StringComparison.Ordinal));
        Assert.Equal("exit code 0", lines[^1]);
    }

    [Fact]
    public void ProgressLine_QueryRun_ShowsQueriesAndTheCachedShare()
    {
        var line = ProgressFormat.QueryLine(new IntervalSample(4, RunPhase.Steady, 1, 40, 40, 40, 1, 5_000_000, 8_000_000, 9_000_000, 12_000_000, 30, Cached: 10), 30);
        Assert.StartsWith("[  5/30] steady       40 q/s  cached  25.0%  p50     5.00 ms  p99     9.00 ms", line, StringComparison.Ordinal);
    }

    /// <summary>
    /// A query run as LoadRun would return it: 11 answers (10 at 5 ms, one at 43 ms), 9 with meta
    /// (8 rollup, 1 store; 3 cached; server 2 ms except one at 40 ms), 1 without, 2 errors.
    /// </summary>
    private static RunResult Result(double? maxP99Ms)
    {
        var scenario = new LoadScenario
        {
            Mode = LoadMode.Query,
            QueryUrl = "http://127.0.0.1:51080/api/v1/query",
            QueryFiles = ["/tmp/q24h.json"],
            Clients = 4,
            Duration = TimeSpan.FromSeconds(2),
            Warmup = TimeSpan.FromSeconds(1),
            MaxP99Ms = maxP99Ms,
        };
        var recorder = new LatencyRecorder();
        var stats = new QueryAnswerStats();
        recorder.StartMeasuring();
        stats.StartMeasuring();
        for (var i = 0; i < 10; i++)
        {
            recorder.BatchSent(1);
            recorder.Ack(i == 9 ? 43_000_000 : 5_000_000, 1, 1, 0, 0);
            var meta = i == 9
                ? QueryMeta.None
                : new QueryMeta(true, i == 8 ? 40 : 2, 72_010, Cached: i < 3, Source: i == 7 ? "store" : "rollup");
            stats.Answer(meta, i == 9 ? 43_000_000 : 5_000_000, i == 0 ? 1_000_000 : 1_000);
        }

        recorder.Error("http 400 invalid_query");
        recorder.Error("http 400 invalid_query");
        var intervals = new List<IntervalSample>
        {
            recorder.CloseInterval(0, RunPhase.Steady, 1, 20) with { Cached = stats.CloseInterval() },
            recorder.CloseInterval(1, RunPhase.Steady, 1, 20) with { Cached = stats.CloseInterval() },
        };
        return new RunResult(scenario, "abcd1234", DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(3), intervals, recorder.SteadyLatencies(),
            recorder.Totals(), recorder.Errors(), recorder.RejectionCodes(), 20, 4_000, 188, false)
        {
            Queries = stats.Snapshot(),
        };
    }
}
