using AnalyticsHub.LoadRunner.Reporting;
using AnalyticsHub.LoadRunner.ServerMetrics;

namespace AnalyticsHub.LoadRunner.Tests.Reporting;

/// <summary>The hub's metrics (and a ramp) inside a run's report.json and report.md.</summary>
public class ServerReportTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A diff with every kind of row, and gauges missing from (or not finite in) one scrape.</summary>
    internal static ServerMetricsReport SampleServer()
    {
        var before = MetricsScrape.Parse("""
            process_cpu_seconds_total 100
            hub_ingest_events_accepted_total 0
            hub_wal_retained_bytes 1000
            hub_store_backlog_age_seconds NaN
            hub_ingest_ack_latency_seconds_bucket{le="0.01"} 0
            hub_ingest_ack_latency_seconds_bucket{le="+Inf"} 0
            hub_ingest_ack_latency_seconds_sum 0
            """, T0);
        var after = MetricsScrape.Parse("""
            process_cpu_seconds_total 115
            hub_ingest_events_accepted_total 9000000
            hub_ingest_events_rejected_total{reason="a|b"} 12
            hub_store_backlog_age_seconds +Inf
            hub_store_up 1
            hub_ingest_ack_latency_seconds_bucket{le="0.01"} 90
            hub_ingest_ack_latency_seconds_bucket{le="+Inf"} 100
            hub_ingest_ack_latency_seconds_sum NaN
            """, T0.AddSeconds(10));
        return ServerMetricsDiff.Diff("http://127.0.0.1:9090/metrics", before, after);
    }

    [Fact]
    public void Json_WithServerMetrics_HasNoNaNOrInfinity_AndRoundTrips()
    {
        var server = SampleServer();
        var report = ReportJsonTests.Sample() with { Server = server };

        var json = ReportWriter.ToJson(report); // System.Text.Json throws on NaN/Infinity by default

        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", json, StringComparison.Ordinal);
        Assert.Contains("\"cpu_cores\": 1.5", json, StringComparison.Ordinal);
        var back = ReportWriter.FromJson(json).Server!;
        Assert.Equal(server.Url, back.Url);
        Assert.Equal(10, back.Seconds);
        Assert.Equal(1.5, back.CpuCores);
        Assert.Equal(9_000_000, back.EventsAccepted);
        Assert.Equal(server.Counters, back.Counters);
        Assert.Equal(server.Gauges, back.Gauges);
        Assert.Equal(server.Histograms, back.Histograms);
        Assert.Contains(back.Gauges, g => g == new GaugeChange("hub_wal_retained_bytes", "", 1000, null));
        Assert.Contains(back.Gauges, g => g == new GaugeChange("hub_store_backlog_age_seconds", "", null, null));
        Assert.Contains(back.Gauges, g => g == new GaugeChange("hub_store_up", "", null, 1));
        var h = Assert.Single(back.Histograms);
        Assert.Equal(10, h.P99Ms); // in the +Inf bucket: the largest finite bound
        Assert.Equal(0, h.MeanMs); // a NaN sum is reported as 0, not NaN
    }

    [Fact]
    public void Json_FailedScrape_RoundTrips()
    {
        var report = ReportJsonTests.Sample() with { Server = ServerMetricsDiff.Failed("http://x/metrics", "after the run: HTTP 500") };
        var back = ReportWriter.FromJson(ReportWriter.ToJson(report)).Server!;
        Assert.Equal("after the run: HTTP 500", back.Error);
        Assert.Null(back.CpuCores);
    }

    [Fact]
    public void Markdown_ServerSection_ListsChangedCountersGaugesAndHistograms()
    {
        var md = ReportWriter.ToMarkdown(ReportJsonTests.Sample() with { Server = SampleServer() });

        Assert.Contains("## Hub metrics (scraped before and after the run)", md, StringComparison.Ordinal);
        Assert.Contains("hub CPU 1.50 cores", md, StringComparison.Ordinal);
        Assert.Contains("| `hub_ingest_events_accepted_total` |  | 9,000,000 | 900,000 |", md, StringComparison.Ordinal);
        Assert.Contains("| `hub_ingest_events_rejected_total` | `reason=\"a\\|b\"` | 12 | 1.2 |", md, StringComparison.Ordinal); // '|' escaped in a table
        Assert.Contains("| `hub_wal_retained_bytes` |  | 1,000 | - |", md, StringComparison.Ordinal);
        Assert.Contains("| `hub_ingest_ack_latency_seconds` |  | 100 | 5.56 | 10.00 | 10.00 | 0.00 |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_FailedScrape_SaysWhy()
    {
        var md = ReportWriter.ToMarkdown(ReportJsonTests.Sample() with { Server = ServerMetricsDiff.Failed("http://x/metrics", "before the run: GET http://x/metrics: HTTP 503") });
        Assert.Contains("Not available: before the run: GET http://x/metrics: HTTP 503.", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_Ramp_SaysWhereItFellBehind()
    {
        var ramp = new RampReport { FromPerSecond = 100_000, ToPerSecond = 1_400_000, SustainedPerSecond = 820_000, FellBehindAtSecond = 34, KeepUpRatio = 0.95, P99MsAtSustained = 48.5 };
        var md = ReportWriter.ToMarkdown(ReportJsonTests.Sample() with { Ramp = ramp });
        Assert.Contains("Offered 100,000 → 1,400,000 events/s", md, StringComparison.Ordinal);
        Assert.Contains("up to **820,000 events/s** (p99 48.50 ms in that second); fell behind at measured second 34.", md, StringComparison.Ordinal);

        var never = ReportWriter.ToMarkdown(ReportJsonTests.Sample() with { Ramp = ramp with { FellBehindAtSecond = 0 } });
        Assert.Contains("it never fell behind.", never, StringComparison.Ordinal);
    }
}
