using AnalyticsHub.LoadRunner.Campaign;
using AnalyticsHub.LoadRunner.Reporting;
using AnalyticsHub.LoadRunner.Tests.Reporting;

namespace AnalyticsHub.LoadRunner.Tests.Campaign;

public sealed class CampaignReportWriterTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lr-campaign-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Two stages: a passed ramp with the hub's metrics (its name needs escaping), and a mixed stage whose query run failed.</summary>
    internal static CampaignReport Sample()
    {
        IntervalReport Second(int second, string phase, double offered, double achieved, double p99) => new()
        {
            Second = second, Phase = phase, DurationSeconds = 1, Events = (long)achieved, EventsPerSecond = achieved, Batches = (long)achieved / 1000,
            OfferedPerSecond = offered, P50Ms = p99 / 3, P95Ms = p99 / 1.5, P99Ms = p99, MaxMs = p99 * 1.2,
        };

        var ramp = ReportJsonTests.Sample() with
        {
            Errors = [],
            Rejections = [],
            Seconds =
            [
                Second(1, "warmup", 100_000, 90_000, 5),
                Second(2, "steady", 100_000, 100_000, 6),
                Second(3, "steady", 1_400_000, 820_000, 48.5),
                Second(4, "drain", 0, 12_000, 60),
            ],
            Ramp = new RampReport { FromPerSecond = 100_000, ToPerSecond = 1_400_000, SustainedPerSecond = 820_000, FellBehindAtSecond = 2, KeepUpRatio = 0.95, P99MsAtSustained = 48.5 },
            Server = ServerReportTests.SampleServer(),
            Thresholds = [new ThresholdResult("min-rate (ramp: highest events/s kept up with)", 800_000, 820_000, true)],
            Passed = true,
            ExitCode = ExitCodes.Passed,
        };
        var ingest = ReportJsonTests.Sample() with
        {
            Thresholds = [new ThresholdResult("max-p99-ms (ack latency)", 150, 14.2, true)],
            Passed = true,
            ExitCode = ExitCodes.Passed,
        };
        var query = new RunReport
        {
            RunId = "q1",
            CommandLine = "AnalyticsHub.LoadRunner --campaign release.yaml (stage mixed, query run)",
            Scenario = new ScenarioReport { Mode = "query", Target = "http://127.0.0.1:8080/api/v1/query (HTTP/1.1)", Mix = "latency-24h-1h-by-model.json", WarmupSeconds = 5, DurationSeconds = 60, TargetRate = 100 },
            Rate = new RateReport { SteadySeconds = 60, MedianEventsPerSecond = 99, MeanEventsPerSecond = 98.5 },
            Latency = new LatencyReport { Batches = 5_900, P50Ms = 3.5, P95Ms = 120, P99Ms = 300, MaxMs = 410.25, MeanMs = 12 },
            Errors = [new CountReport("http 503 store_unavailable", 2)],
            Seconds = [Second(1, "steady", 100, 99, 300)],
            Thresholds =
            [
                new ThresholdResult("min-rate (median queries/s)", 97, 99, true),
                new ThresholdResult("max-p99-ms (query latency)", 250, 300, false),
            ],
            Query = new QueryReport { Url = "http://127.0.0.1:8080/api/v1/query (HTTP/1.1)", Clients = 4, Files = ["/repo/loadtest/queries/latency-24h-1h-by-model.json"], Answers = 5_900, Cached = 5_000, CachedShare = 0.8475 },
            Passed = false,
            ExitCode = ExitCodes.ThresholdUnmet,
        };

        return new CampaignReport
        {
            Name = "release",
            Description = "Ramp, then <mixed> & more",
            File = "loadtest/campaigns/release.yaml",
            CommandLine = "AnalyticsHub.LoadRunner --campaign loadtest/campaigns/release.yaml --stage 'ramp <&>',mixed",
            StartedAt = new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero),
            ElapsedSeconds = 181.25,
            Machine = new MachineReport { Cores = 2, CpuModel = "AMD EPYC", Os = "Linux", Runtime = ".NET 10", Host = "box", LoadAverage = "1.0 1.0 1.0" },
            Stages =
            [
                new StageReport
                {
                    Index = 1, Name = "ramp <&>", Description = "find the knee", Shape = "ramp 100,000 → 1,400,000 events/s, grpc-stream 1×4",
                    Load = ramp, Passed = true, ExitCode = ExitCodes.Passed, ReportDirectory = CampaignRunner.StageDirectory(0, "ramp <&>"),
                },
                new StageReport
                {
                    Index = 2, Name = "mixed", Shape = "constant 400,000 events/s, grpc-stream 1×4 + 4 query clients at 100 queries/s",
                    Load = ingest, Query = query, Passed = false, ExitCode = ExitCodes.ThresholdUnmet, ReportDirectory = CampaignRunner.StageDirectory(1, "mixed"),
                },
            ],
            Passed = false,
            ExitCode = ExitCodes.ThresholdUnmet,
        };
    }

    [Fact]
    public void Markdown_VerdictTable_HasARowPerRun()
    {
        var md = CampaignReportWriter.ToMarkdown(Sample());

        Assert.StartsWith("# Campaign release: FAILED\n", md, StringComparison.Ordinal);
        Assert.Contains("Started 2026-11-25 09:30:00 UTC, 181.3 s in all; 2 cores, AMD EPYC", md, StringComparison.Ordinal);
        Assert.Contains("| 1 | ramp <&> | ramp 100,000 → 1,400,000 events/s, grpc-stream 1×4 | kept up to 820,000 ev/s | 4.10 | 9.90 | 14.20 | 41.00 | 0 | 1.50 | pass |", md, StringComparison.Ordinal);
        Assert.Contains("| 2 | mixed | constant 400,000 events/s, grpc-stream 1×4 + 4 query clients at 100 queries/s | 812,000 ev/s | 4.10 | 9.90 | 14.20 | 41.00 | 10 |  | pass |", md, StringComparison.Ordinal);
        Assert.Contains("| 2 | mixed (queries) |  | 99 q/s | 3.50 | 120.00 | 300.00 | 410.25 | 2 |  | **FAILED** |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_StageSections_HaveThresholdsErrorsRampAndHubMetrics()
    {
        var md = CampaignReportWriter.ToMarkdown(Sample());

        Assert.Contains("## 1. ramp <&>: passed", md, StringComparison.Ordinal);
        Assert.Contains("[01-ramp----/report.md](01-ramp----/report.md).", md, StringComparison.Ordinal);
        Assert.Contains("| min-rate (ramp: highest events/s kept up with) | 800,000.00 | 820,000.00 | pass |", md, StringComparison.Ordinal);
        Assert.Contains("No errors, no rejected events.", md, StringComparison.Ordinal);
        Assert.Contains("### Ramp", md, StringComparison.Ordinal);
        Assert.Contains("up to **820,000 events/s**", md, StringComparison.Ordinal);
        Assert.Contains("### Hub metrics (scraped before and after the run)", md, StringComparison.Ordinal);
        Assert.Contains("hub CPU 1.50 cores", md, StringComparison.Ordinal);

        var mixed = md[md.IndexOf("## 2. mixed", StringComparison.Ordinal)..];
        Assert.StartsWith("## 2. mixed: FAILED", mixed, StringComparison.Ordinal);
        Assert.Contains("[02-mixed/report.md](02-mixed/report.md), [02-mixed/query/report.md](02-mixed/query/report.md).", mixed, StringComparison.Ordinal);
        // Both runs' thresholds, in one table.
        Assert.Contains("| max-p99-ms (ack latency) | 150.00 | 14.20 | pass |", mixed, StringComparison.Ordinal);
        Assert.Contains("| min-rate (median queries/s) | 97.00 | 99.00 | pass |", mixed, StringComparison.Ordinal);
        Assert.Contains("| max-p99-ms (query latency) | 250.00 | 300.00 | FAIL |", mixed, StringComparison.Ordinal);
        Assert.Contains("| grpc UNAVAILABLE | 10 |", mixed, StringComparison.Ordinal);
        Assert.Contains("| query http 503 store_unavailable | 2 |", mixed, StringComparison.Ordinal);
        Assert.Contains("| rejected: timestamp_out_of_range | 1,000 |", mixed, StringComparison.Ordinal);
        Assert.DoesNotContain("### Ramp", mixed, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_NothingAcknowledged_AndInterrupted_AreSaid()
    {
        var report = Sample() with { Interrupted = true, ExitCode = ExitCodes.NoAcks };
        report = report with { Stages = [report.Stages[0] with { Passed = false, ExitCode = ExitCodes.NoAcks }] };
        var md = CampaignReportWriter.ToMarkdown(report);
        Assert.StartsWith("# Campaign release: NOTHING ACKNOWLEDGED (interrupted)\n", md, StringComparison.Ordinal);
        Assert.Contains("## 1. ramp <&>: NOTHING ACKNOWLEDGED", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_RoundTrip_KeepsStagesExitCodesAndServerMetrics()
    {
        var report = Sample();
        var json = CampaignReportWriter.ToJson(report);
        var back = CampaignReportWriter.FromJson(json);

        Assert.Equal(json, CampaignReportWriter.ToJson(back));
        Assert.Contains("\"exit_code\": 1", json, StringComparison.Ordinal);
        Assert.Contains("\"report_directory\": \"01-ramp----\"", json, StringComparison.Ordinal);
        Assert.Equal(["ramp <&>", "mixed"], back.Stages.Select(s => s.Name));
        Assert.Equal([ExitCodes.Passed, ExitCodes.ThresholdUnmet], back.Stages.Select(s => s.ExitCode));
        Assert.Equal([true, false], back.Stages.Select(s => s.Passed));
        Assert.Equal((false, ExitCodes.ThresholdUnmet), (back.Passed, back.ExitCode));
        Assert.Equal(report.StartedAt, back.StartedAt);
        Assert.Equal(report.Machine, back.Machine);

        var server = back.Stages[0].Load.Server!;
        Assert.Equal(report.Stages[0].Load.Server!.Counters, server.Counters);
        Assert.Equal(report.Stages[0].Load.Server!.Gauges, server.Gauges);
        Assert.Equal(report.Stages[0].Load.Server!.Histograms, server.Histograms);
        Assert.Equal(1.5, server.CpuCores);
        Assert.Equal(report.Stages[0].Load.Ramp, back.Stages[0].Load.Ramp);
        Assert.Null(back.Stages[0].Query);

        var query = back.Stages[1].Query!;
        Assert.Equal(report.Stages[1].Query!.Thresholds, query.Thresholds);
        Assert.Equal(4, query.Query!.Clients);
        Assert.Equal(report.Stages[1].Query!.Latency, query.Latency);
        Assert.Null(back.Stages[1].Load.Server);
    }

    [Fact]
    public void Write_CampaignFilesAndEveryStagesReports()
    {
        var (md, json, html) = CampaignReportWriter.Write(Sample(), _directory);

        Assert.Equal(Path.Combine(_directory, "campaign.md"), md);
        Assert.Equal(Path.Combine(_directory, "campaign.json"), json);
        Assert.Equal(Path.Combine(_directory, "campaign.html"), html);
        Assert.Equal(CampaignReportWriter.ToMarkdown(Sample()), File.ReadAllText(md));
        Assert.Equal(["ramp <&>", "mixed"], CampaignReportWriter.FromJson(File.ReadAllText(json)).Stages.Select(s => s.Name));
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(html), StringComparison.Ordinal);

        Assert.Equal(1.5, ReportWriter.FromJson(File.ReadAllText(Path.Combine(_directory, "01-ramp----", "report.json"))).Server!.CpuCores);
        Assert.True(File.Exists(Path.Combine(_directory, "01-ramp----", "report.md")));
        Assert.True(File.Exists(Path.Combine(_directory, "02-mixed", "report.md")));
        Assert.Equal(4, ReportWriter.FromJson(File.ReadAllText(Path.Combine(_directory, "02-mixed", "query", "report.json"))).Query!.Clients);
        Assert.True(File.Exists(Path.Combine(_directory, "02-mixed", "query", "report.md")));
        Assert.False(Directory.Exists(Path.Combine(_directory, "01-ramp----", "query")));
    }
}
