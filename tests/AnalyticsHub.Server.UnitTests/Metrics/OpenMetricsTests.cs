using AnalyticsHub.Server.Metrics;

namespace AnalyticsHub.Server.UnitTests.Metrics;

/// <summary>OpenMetrics 1.0 text: family names without <c>_total</c>, <c># UNIT</c>, canonical <c>le</c>, final <c># EOF</c>.</summary>
public sealed class OpenMetricsTests : IDisposable
{
    private readonly ExporterHarness _harness = new();

    [Fact]
    public void Counter_FamilyWithoutTotal_SampleWithTotal_UnitLine_EndsWithEof()
    {
        _harness.Meter.CreateCounter<double>("hub.gc.pause", "ms", "GC \"pause\" time.").Add(1500);

        Assert.Equal(
            "# TYPE hub_gc_pause_seconds counter\n" +
            "# UNIT hub_gc_pause_seconds seconds\n" +
            "# HELP hub_gc_pause_seconds GC \\\"pause\\\" time.\n" +
            "hub_gc_pause_seconds_total 1.5\n" +
            "# EOF\n",
            _harness.Scrape(ExpositionFormat.OpenMetrics));
    }

    [Fact]
    public void EmptyScrape_IsJustEof()
    {
        Assert.Equal("# EOF\n", _harness.Scrape(ExpositionFormat.OpenMetrics));
        Assert.Equal("", _harness.Scrape(ExpositionFormat.PrometheusText));
    }

    [Fact]
    public void HistogramBounds_AreCanonicalFloats()
    {
        _harness.Meter.CreateHistogram<double>("hub.ack", "s", "a").Record(0.7);

        var samples = _harness.Samples(ExpositionFormat.OpenMetrics);
        Assert.Contains("hub_ack_seconds_bucket{le=\"1.0\"} 1", samples);
        Assert.Contains("hub_ack_seconds_bucket{le=\"0.5\"} 0", samples);
        Assert.Contains("hub_ack_seconds_bucket{le=\"30.0\"} 1", samples);
        Assert.Contains("hub_ack_seconds_bucket{le=\"+Inf\"} 1", samples);
        Assert.Contains("hub_ack_seconds_count 1", samples);
    }

    [Fact]
    public void Gauge_WithoutUnit_HasNoUnitLine()
    {
        _harness.Meter.CreateObservableGauge("hub.rollup.series", () => 3L, "{series}", "s");

        Assert.Equal(
            "# TYPE hub_rollup_series gauge\n# HELP hub_rollup_series s\nhub_rollup_series 3\n# EOF\n",
            _harness.Scrape(ExpositionFormat.OpenMetrics));
    }

    public void Dispose() => _harness.Dispose();
}
