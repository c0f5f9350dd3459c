using AnalyticsHub.Server.Metrics;

namespace AnalyticsHub.Server.UnitTests.Metrics;

/// <summary>Prometheus text format 0.0.4 as written by <see cref="PrometheusExporter"/>: names, types, values, labels, order.</summary>
public sealed class PrometheusTextTests : IDisposable
{
    private readonly ExporterHarness _harness = new();

    [Fact]
    public void Counter_GetsTotalSuffix_HelpAndTypeNameTheSample()
    {
        var counter = _harness.Meter.CreateCounter<long>("hub.ingest.batches", "{batch}", "Batches admitted.");
        counter.Add(3);
        counter.Add(4);

        Assert.Equal(
            "# HELP hub_ingest_batches_total Batches admitted.\n" +
            "# TYPE hub_ingest_batches_total counter\n" +
            "hub_ingest_batches_total 7\n",
            _harness.Scrape());
    }

    [Fact]
    public void Counter_AlreadyEndingInTotal_IsNotSuffixedTwice_AndBytesKeepTheirUnit()
    {
        _harness.Meter.CreateCounter<long>("hub_requests_total", "{request}", "r").Add(1);
        _harness.Meter.CreateCounter<long>("hub.ingest.bytes", "By", "b").Add(1024);

        Assert.Equal(["hub_ingest_bytes_total 1024", "hub_requests_total 1"], _harness.Samples());
    }

    [Fact]
    public void MillisecondHistogram_IsExposedInSeconds_WithCumulativeBuckets_AndInf()
    {
        var histogram = _harness.Meter.CreateHistogram<double>("hub.query.duration", "ms", "Query time.");
        histogram.Record(5);     // 0.005 s: on the 0.005 bound, counted in it (le is inclusive)
        histogram.Record(50);    // 0.05 s
        histogram.Record(60000); // 60 s: above the last bound, only in +Inf

        var text = _harness.Scrape();
        Assert.Contains("# TYPE hub_query_duration_seconds histogram\n", text, StringComparison.Ordinal);
        var samples = _harness.Samples();
        Assert.Equal(
            [
                "hub_query_duration_seconds_bucket{le=\"0.0005\"} 0",
                "hub_query_duration_seconds_bucket{le=\"0.001\"} 0",
                "hub_query_duration_seconds_bucket{le=\"0.0025\"} 0",
                "hub_query_duration_seconds_bucket{le=\"0.005\"} 1",
                "hub_query_duration_seconds_bucket{le=\"0.01\"} 1",
                "hub_query_duration_seconds_bucket{le=\"0.025\"} 1",
                "hub_query_duration_seconds_bucket{le=\"0.05\"} 2",
                "hub_query_duration_seconds_bucket{le=\"0.1\"} 2",
                "hub_query_duration_seconds_bucket{le=\"0.25\"} 2",
                "hub_query_duration_seconds_bucket{le=\"0.5\"} 2",
                "hub_query_duration_seconds_bucket{le=\"1\"} 2",
                "hub_query_duration_seconds_bucket{le=\"2.5\"} 2",
                "hub_query_duration_seconds_bucket{le=\"5\"} 2",
                "hub_query_duration_seconds_bucket{le=\"10\"} 2",
                "hub_query_duration_seconds_bucket{le=\"30\"} 2",
                "hub_query_duration_seconds_bucket{le=\"+Inf\"} 3",
                "hub_query_duration_seconds_sum 60.055",
                "hub_query_duration_seconds_count 3",
            ],
            samples);
    }

    [Fact]
    public void CountHistogram_UsesPowersOfFour_AndLabelsPrecedeLe()
    {
        var histogram = _harness.Meter.CreateHistogram<long>("hub.store.batch.rows", "{event}", "Rows per write.");
        histogram.Record(10_000, new KeyValuePair<string, object?>("store", "embedded"));

        var samples = _harness.Samples();
        Assert.Contains("hub_store_batch_rows_bucket{store=\"embedded\",le=\"4096\"} 0", samples);
        Assert.Contains("hub_store_batch_rows_bucket{store=\"embedded\",le=\"16384\"} 1", samples);
        Assert.Contains("hub_store_batch_rows_bucket{store=\"embedded\",le=\"+Inf\"} 1", samples);
        Assert.Contains("hub_store_batch_rows_count{store=\"embedded\"} 1", samples);
    }

    [Fact]
    public void LabelValues_AreEscaped_AndLabelNamesSanitised()
    {
        var counter = _harness.Meter.CreateCounter<long>("hub.test", null, "t");
        counter.Add(1, new KeyValuePair<string, object?>("http.route", "a\\b\"c\nd"), new KeyValuePair<string, object?>("le", 5));

        Assert.Equal(["hub_test_total{http_route=\"a\\\\b\\\"c\\nd\",le_=\"5\"} 1"], _harness.Samples());
    }

    [Fact]
    public void Help_EscapesBackslashAndNewline()
    {
        _harness.Meter.CreateCounter<long>("hub.test", null, "one\\two\nthree \"q\"").Add(1);

        Assert.StartsWith("# HELP hub_test_total one\\\\two\\nthree \"q\"\n", _harness.Scrape(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(0.25, "0.25")]
    [InlineData(-3.0, "-3")]
    [InlineData(1e-7, "1E-07")]
    public void GaugeValues_AreFormattedAsPrometheusParsesThem(double value, string expected)
    {
        _harness.Meter.CreateObservableGauge("hub.test.value", () => value, "{x}", "v");

        Assert.Equal([$"hub_test_value {expected}"], _harness.Samples());
    }

    [Fact]
    public void Series_AreSortedByLabels_FamiliesByName_TagOrderDoesNotSplitASeries()
    {
        var b = _harness.Meter.CreateCounter<long>("hub.b", null, "b");
        var a = _harness.Meter.CreateCounter<long>("hub.a", null, "a");
        b.Add(1, new("reason", "z"), new("path", "rest"));
        b.Add(1, new("reason", "a"), new("path", "rest"));
        b.Add(1, new("path", "rest"), new("reason", "z"));
        a.Add(1);

        Assert.Equal(
            ["hub_a_total 1", "hub_b_total{path=\"rest\",reason=\"a\"} 1", "hub_b_total{path=\"rest\",reason=\"z\"} 2"],
            _harness.Samples());
    }

    [Fact]
    public void UpDownCounter_Sums_ObservableCounter_TakesTheReportedTotal_GaugeReservedSuffixRenamed()
    {
        var active = _harness.Meter.CreateUpDownCounter<int>("hub.ingest.streams.active", "{stream}", "a");
        active.Add(3);
        active.Add(-1);
        long total = 41;
        _harness.Meter.CreateObservableCounter("hub.rollup.overflow.events", () => total, "{event}", "o");
        _harness.Meter.CreateObservableGauge("dotnet.timer.count", () => 7L, "{timer}", "t");
        _harness.Meter.CreateObservableGauge("hub.cache.hit_ratio", () => 0.5, "1", "h");

        total = 42;
        Assert.Equal(
            ["dotnet_timer_count_value 7", "hub_cache_hit_ratio 0.5", "hub_ingest_streams_active 2", "hub_rollup_overflow_events_total 42"],
            _harness.Samples());
    }

    [Fact]
    public void SeriesBeyondTheCap_AreDropped_ExistingOnesStillCount()
    {
        var counter = _harness.Meter.CreateCounter<long>("hub.test", null, "t");
        for (int i = 0; i <= SeriesSet<ScalarSeries>.MaxSeries; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("id", i));
        }

        counter.Add(1, new KeyValuePair<string, object?>("id", 0));
        var samples = _harness.Samples();
        Assert.Equal(SeriesSet<ScalarSeries>.MaxSeries, samples.Length);
        Assert.Contains("hub_test_total{id=\"0\"} 2", samples);
        Assert.DoesNotContain($"hub_test_total{{id=\"{SeriesSet<ScalarSeries>.MaxSeries}\"}} 1", samples);
    }

    [Fact]
    public void InstrumentWithoutMeasurements_IsNotWritten_AndDisposedMeter_Disappears()
    {
        _harness.Meter.CreateCounter<long>("hub.never", null, "n");
        Assert.Equal("", _harness.Scrape());

        _harness.Meter.CreateCounter<long>("hub.once", null, "o").Add(1);
        Assert.NotEmpty(_harness.Samples());
        _harness.Meter.Dispose();
        Assert.Equal("", _harness.Scrape());
    }

    [Fact]
    public void SecondsGauge_GetsUnitSuffix_CpuCounterInSecondsToo()
    {
        _harness.Meter.CreateObservableGauge("hub.store.backlog.age", () => 1.5, "s", "age");
        _harness.Meter.CreateObservableCounter("process_cpu", () => 2.25, "s", "cpu");

        Assert.Equal(["hub_store_backlog_age_seconds 1.5", "process_cpu_seconds_total 2.25"], _harness.Samples());
    }

    public void Dispose() => _harness.Dispose();
}
