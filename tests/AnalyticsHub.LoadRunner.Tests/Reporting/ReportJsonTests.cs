using System.Text.Json;
using AnalyticsHub.LoadRunner.Reporting;

namespace AnalyticsHub.LoadRunner.Tests.Reporting;

public class ReportJsonTests
{
    internal static RunReport Sample() => new()
    {
        RunId = "3fa2c1d0",
        StartedAt = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero),
        ElapsedSeconds = 21.5,
        CommandLine = "AnalyticsHub.LoadRunner --connections 2 --streams 4 --duration 15s",
        Scenario = new ScenarioReport
        {
            Mode = "grpc-stream",
            Target = "http://127.0.0.1:51051",
            Connections = 2,
            Streams = 4,
            Batch = 1000,
            Inflight = 8,
            WarmupSeconds = 5,
            DurationSeconds = 15,
            Mix = "telemetry=70,cost=15,policy=10,security=5",
            BatchBytes = 152_345,
            BytesPerEvent = 152.3,
        },
        Machine = new MachineReport { Cores = 2, CpuModel = "AMD EPYC", Os = "Linux", Runtime = ".NET 10", Host = "box" },
        Rate = new RateReport { SteadySeconds = 15, MedianEventsPerSecond = 812_000, MeanEventsPerSecond = 790_500, MinEventsPerSecond = 600_000, MaxEventsPerSecond = 900_000, MeanMegabytesPerSecond = 120.4 },
        Latency = new LatencyReport { Batches = 11_857, P50Ms = 4.1, P95Ms = 9.9, P99Ms = 14.2, P999Ms = 30.5, MaxMs = 41, MeanMs = 5.01 },
        Totals = new TotalsReport { BatchesSent = 16_000, BatchesAcked = 15_990, BatchesFailed = 10, EventsSent = 16_000_000, EventsAcked = 15_990_000, Accepted = 15_989_000, Rejected = 1000, Duplicates = 0 },
        Client = new ClientReport { CpuPercent = 35.5, AllocatedBytesPerBatch = 2_100 },
        Errors = [new CountReport("grpc UNAVAILABLE", 10)],
        Rejections = [new CountReport("timestamp_out_of_range", 1000)],
        Seconds =
        [
            new IntervalReport { Second = 1, Phase = "warmup", DurationSeconds = 1.001, Events = 500_500, EventsPerSecond = 500_000, Batches = 500, P50Ms = 5, P99Ms = 20, MaxMs = 25, ClientCpuPercent = 40 },
            new IntervalReport { Second = 6, Phase = "steady", EventsPerSecond = 812_000, Batches = 812, P50Ms = 4, P99Ms = 14, MaxMs = 18, Errors = 1, ClientCpuPercent = 35 },
        ],
        Thresholds = [new ThresholdResult("min-rate (median events/s)", 1_000_000, 812_000, false)],
        Passed = false,
        ExitCode = ExitCodes.ThresholdUnmet,
    };

    [Fact]
    public void Json_RoundTrip_KeepsEveryField()
    {
        var report = Sample();
        var json = ReportWriter.ToJson(report);
        var back = ReportWriter.FromJson(json);

        Assert.Equal(json, ReportWriter.ToJson(back));
        Assert.Equal(report.Rate, back.Rate);
        Assert.Equal(report.Latency, back.Latency);
        Assert.Equal(report.Totals, back.Totals);
        Assert.Equal(report.Scenario, back.Scenario);
        Assert.Equal(report.Machine, back.Machine);
        Assert.Equal(report.StartedAt, back.StartedAt);
        Assert.Equal(report.Seconds, back.Seconds);
        Assert.Equal(report.Errors, back.Errors);
        Assert.Equal(report.Thresholds, back.Thresholds);
        Assert.Equal(ExitCodes.ThresholdUnmet, back.ExitCode);
    }

    [Fact]
    public void Json_UsesSnakeCaseKeys()
    {
        using var document = JsonDocument.Parse(ReportWriter.ToJson(Sample()));
        var root = document.RootElement;
        Assert.Equal(812_000, root.GetProperty("rate").GetProperty("median_events_per_second").GetDouble());
        Assert.Equal(14.2, root.GetProperty("latency").GetProperty("p99_ms").GetDouble());
        Assert.Equal("grpc UNAVAILABLE", root.GetProperty("errors")[0].GetProperty("kind").GetString());
        Assert.Equal(1, root.GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public void Write_CreatesJsonAndMarkdownInTheDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "lr-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (json, markdown) = ReportWriter.Write(Sample(), directory);
            Assert.Equal(Sample().Rate, ReportWriter.FromJson(File.ReadAllText(json)).Rate);
            var md = File.ReadAllText(markdown);
            Assert.Contains("| 812,000 | 790,500 | 600,000 | 900,000 | 120.4 |", md, StringComparison.Ordinal);
            Assert.Contains("| min-rate (median events/s) | 1,000,000.00 | 812,000.00 | FAIL |", md, StringComparison.Ordinal);
            Assert.Contains("| grpc UNAVAILABLE | 10 |", md, StringComparison.Ordinal);
            Assert.Contains("AMD EPYC", md, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
