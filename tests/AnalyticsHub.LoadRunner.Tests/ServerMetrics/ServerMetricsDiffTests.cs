using AnalyticsHub.LoadRunner.Reporting;
using AnalyticsHub.LoadRunner.ServerMetrics;

namespace AnalyticsHub.LoadRunner.Tests.ServerMetrics;

public class ServerMetricsDiffTests
{
    private const string Url = "http://127.0.0.1:9090/metrics";
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static MetricsScrape Scrape(string text, double atSeconds) => MetricsScrape.Parse(text, T0.AddSeconds(atSeconds));

    [Fact]
    public void Counters_DeltaAndPerSecond_AbsentBeforeCountsAsZero()
    {
        var before = Scrape("""
            hub_ingest_events_accepted_total 1000
            hub_ingest_events_rejected_total{reason="invalid_uuid"} 4
            not_a_reported_counter_total 5
            """, 0);
        var after = Scrape("""
            hub_ingest_events_accepted_total 4000
            hub_ingest_events_rejected_total{reason="invalid_uuid"} 4
            hub_ingest_events_rejected_total{reason="timestamp_out_of_range"} 7
            not_a_reported_counter_total 50
            """, 10);

        var report = ServerMetricsDiff.Diff(Url, before, after);

        Assert.Equal(Url, report.Url);
        Assert.Null(report.Error);
        Assert.Equal(10, report.Seconds);
        Assert.Equal(3000, report.EventsAccepted);
        Assert.Equal(
            [
                new CounterDelta("hub_ingest_events_accepted_total", "", 1000, 4000, 3000, 300),
                new CounterDelta("hub_ingest_events_rejected_total", "reason=\"invalid_uuid\"", 4, 4, 0, 0),
                new CounterDelta("hub_ingest_events_rejected_total", "reason=\"timestamp_out_of_range\"", 0, 7, 7, 0.7),
            ],
            report.Counters);
        Assert.DoesNotContain(report.Counters, c => c.Name == "not_a_reported_counter_total");
        Assert.Null(report.CpuCores); // no process_cpu_seconds_total in either scrape
    }

    [Fact]
    public void Counters_PerSecond_IsRoundedToThreeDecimals()
    {
        var report = ServerMetricsDiff.Diff(Url, Scrape("hub_wal_commits_total 0", 0), Scrape("hub_wal_commits_total 10", 3));
        Assert.Equal(3.333, Assert.Single(report.Counters).PerSecond);
    }

    [Fact]
    public void CpuCores_IsTheCpuSecondsDeltaOverTheSeconds_SummedOverLabelSets()
    {
        var report = ServerMetricsDiff.Diff(
            Url,
            Scrape("process_cpu_seconds_total 12.5\nhub_ingest_events_accepted_total 0\n", 0),
            Scrape("process_cpu_seconds_total 27.5\nhub_ingest_events_accepted_total 0\n", 8));
        Assert.Equal(1.875, report.CpuCores); // 15 s of CPU in 8 s
        Assert.Equal(0, report.EventsAccepted);

        var labelled = ServerMetricsDiff.Diff(
            Url,
            Scrape("process_cpu_seconds_total{mode=\"user\"} 10\nprocess_cpu_seconds_total{mode=\"system\"} 2\n", 0),
            Scrape("process_cpu_seconds_total{mode=\"user\"} 14\nprocess_cpu_seconds_total{mode=\"system\"} 4\n", 4));
        Assert.Equal(1.5, labelled.CpuCores); // (4 + 2) / 4
        Assert.Null(labelled.EventsAccepted);
    }

    [Fact]
    public void Gauges_BeforeAndAfter_AbsentOrNotFiniteIsNull()
    {
        var before = Scrape("""
            hub_wal_retained_bytes 100
            hub_store_backlog_age_seconds NaN
            hub_rollup_series 200
            """, 0);
        var after = Scrape("""
            hub_wal_retained_bytes 250
            hub_store_backlog_age_seconds +Inf
            hub_store_up 1
            """, 5);

        var gauges = ServerMetricsDiff.Diff(Url, before, after).Gauges;

        Assert.Equal(
            [
                new GaugeChange("hub_wal_retained_bytes", "", 100, 250),
                new GaugeChange("hub_store_backlog_age_seconds", "", null, null),
                new GaugeChange("hub_store_up", "", null, 1),
                new GaugeChange("hub_rollup_series", "", 200, null),
            ],
            gauges);
    }

    [Fact]
    public void Quantile_InterpolatesInsideTheBucket_LikeHistogramQuantile()
    {
        (double, double)[] buckets = [(0.001, 10), (0.01, 60), (0.1, 100), (double.PositiveInfinity, 100)];

        // p50: rank 50 in (0.001, 0.01] holding 50 observations, 40 of them below the rank.
        Assert.Equal(0.001 + (0.009 * 40 / 50), ServerMetricsDiff.Quantile(buckets, 0.50), 12);
        Assert.Equal(0.0082, ServerMetricsDiff.Quantile(buckets, 0.50), 12);
        Assert.Equal(0.08875, ServerMetricsDiff.Quantile(buckets, 0.95), 12);
        Assert.Equal(0.09775, ServerMetricsDiff.Quantile(buckets, 0.99), 12);
        Assert.Equal(0.1, ServerMetricsDiff.Quantile(buckets, 1.0), 12);

        // The first bucket is interpolated from 0.
        Assert.Equal(0.0005, ServerMetricsDiff.Quantile(buckets, 0.05), 12);
        Assert.Equal(0.001, ServerMetricsDiff.Quantile(buckets, 0.10), 12);
    }

    [Fact]
    public void Quantile_RankInTheInfBucket_IsTheLargestFiniteBound()
    {
        (double, double)[] buckets = [(0.001, 10), (0.01, 60), (0.1, 90), (double.PositiveInfinity, 100)];
        Assert.Equal(0.1, ServerMetricsDiff.Quantile(buckets, 0.95));
        Assert.Equal(0.1, ServerMetricsDiff.Quantile(buckets, 0.99));
        Assert.Equal(0.0082, ServerMetricsDiff.Quantile(buckets, 0.50), 12);

        // Everything above every finite bound.
        Assert.Equal(0.1, ServerMetricsDiff.Quantile([(0.01, 0), (0.1, 0), (double.PositiveInfinity, 5)], 0.5));
    }

    [Fact]
    public void Quantile_NoObservations_IsNaN()
    {
        Assert.True(double.IsNaN(ServerMetricsDiff.Quantile([], 0.5)));
        Assert.True(double.IsNaN(ServerMetricsDiff.Quantile([(0.1, 0), (double.PositiveInfinity, 0)], 0.5)));
        Assert.True(double.IsNaN(ServerMetricsDiff.Quantile([(double.PositiveInfinity, 3)], 0.5))); // only +Inf: no finite bound
    }

    [Fact]
    public void Histograms_AreTheRunsObservations_QuantilesInMs()
    {
        var before = Scrape("""
            hub_ingest_ack_latency_seconds_bucket{le="0.001"} 5
            hub_ingest_ack_latency_seconds_bucket{le="0.01"} 5
            hub_ingest_ack_latency_seconds_bucket{le="0.1"} 5
            hub_ingest_ack_latency_seconds_bucket{le="+Inf"} 5
            hub_ingest_ack_latency_seconds_sum 0.004
            hub_ingest_ack_latency_seconds_count 5
            """, 0);
        var after = Scrape("""
            hub_ingest_ack_latency_seconds_bucket{le="0.001"} 15
            hub_ingest_ack_latency_seconds_bucket{le="0.01"} 65
            hub_ingest_ack_latency_seconds_bucket{le="0.1"} 105
            hub_ingest_ack_latency_seconds_bucket{le="+Inf"} 105
            hub_ingest_ack_latency_seconds_sum 2.504
            hub_ingest_ack_latency_seconds_count 105
            """, 10);

        var h = Assert.Single(ServerMetricsDiff.Diff(Url, before, after).Histograms);

        Assert.Equal(new HistogramDelta("hub_ingest_ack_latency_seconds", "", 100, 8.2, 88.75, 97.75, 25), h);
    }

    [Fact]
    public void Histograms_AreGroupedByTheLabelsOtherThanLe_AndIdleGroupsAreLeftOut()
    {
        var after = Scrape("""
            hub_query_duration_seconds_bucket{source="rollup",le="0.01"} 8
            hub_query_duration_seconds_bucket{source="rollup",le="0.1"} 10
            hub_query_duration_seconds_bucket{source="rollup",le="+Inf"} 10
            hub_query_duration_seconds_sum{source="rollup"} 0.1
            hub_query_duration_seconds_bucket{le="1",source="store"} 1
            hub_query_duration_seconds_bucket{le="10",source="store"} 4
            hub_query_duration_seconds_bucket{le="+Inf",source="store"} 4
            hub_query_duration_seconds_sum{source="store"} 12
            hub_store_write_duration_seconds_bucket{le="0.1"} 3
            hub_store_write_duration_seconds_bucket{le="+Inf"} 3
            hub_store_write_duration_seconds_sum 0.2
            """, 2);
        var before = Scrape("""
            hub_store_write_duration_seconds_bucket{le="0.1"} 3
            hub_store_write_duration_seconds_bucket{le="+Inf"} 3
            hub_store_write_duration_seconds_sum 0.2
            """, 0);

        var histograms = ServerMetricsDiff.Diff(Url, before, after).Histograms;

        // No store writes between the scrapes: no row for them; buckets absent before count as 0.
        Assert.Equal(2, histograms.Count);
        var rollup = histograms[0];
        Assert.Equal(("hub_query_duration_seconds", "source=\"rollup\"", 10.0), (rollup.Name, rollup.Labels, rollup.Count));
        Assert.Equal(6.25, rollup.P50Ms, 9);   // rank 5 of 8 in (0, 0.01]
        Assert.Equal(77.5, rollup.P95Ms, 9);   // rank 9.5: 0.01 + 0.09 × 1.5/2
        Assert.Equal(10, rollup.MeanMs, 9);
        var store = histograms[1];
        Assert.Equal(("hub_query_duration_seconds", "source=\"store\"", 4.0), (store.Name, store.Labels, store.Count)); // le in front of the other label
        Assert.Equal(4000, store.P50Ms, 9);    // rank 2: 1 + 9 × 1/3
        Assert.Equal(3000, store.MeanMs, 9);
    }

    [Fact]
    public void Diff_OfTwoScrapesAtTheSameInstant_DoesNotDivideByZero()
    {
        var report = ServerMetricsDiff.Diff(Url, Scrape("hub_wal_commits_total 1", 0), Scrape("hub_wal_commits_total 2", 0));
        Assert.Equal(0.001, report.Seconds);
        Assert.Equal(1000, Assert.Single(report.Counters).PerSecond);
    }

    [Fact]
    public void Failed_CarriesTheUrlAndError_AndNothingElse()
    {
        var report = ServerMetricsDiff.Failed(Url, "before the stage: GET x: HTTP 503");
        Assert.Equal(Url, report.Url);
        Assert.Equal("before the stage: GET x: HTTP 503", report.Error);
        Assert.Empty(report.Counters);
        Assert.Empty(report.Gauges);
        Assert.Empty(report.Histograms);
        Assert.Null(report.CpuCores);
    }
}
