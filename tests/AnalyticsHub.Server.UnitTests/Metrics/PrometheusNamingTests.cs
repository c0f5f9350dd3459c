using AnalyticsHub.Server.Metrics;

namespace AnalyticsHub.Server.UnitTests.Metrics;

/// <summary>Instrument names and units → Prometheus names.</summary>
public sealed class PrometheusNamingTests
{
    [Theory]
    [InlineData("hub.query.duration", "ms", "Histogram", "hub_query_duration_seconds", 1e-3)]
    [InlineData("hub_ingest_ack_latency", "s", "Histogram", "hub_ingest_ack_latency_seconds", 1.0)]
    [InlineData("hub.store.backlog.bytes", "By", "Gauge", "hub_store_backlog_bytes", 1.0)]
    [InlineData("hub_ingest_bytes", "By", "Counter", "hub_ingest_bytes", 1.0)]
    [InlineData("hub_ingest_events_accepted", "{event}", "Counter", "hub_ingest_events_accepted", 1.0)]
    [InlineData("hub.requests_total", null, "Counter", "hub_requests", 1.0)]
    [InlineData("dotnet.gc.pause.time", "s", "Counter", "dotnet_gc_pause_time_seconds", 1.0)]
    [InlineData("dotnet.assembly.count", "{assembly}", "Gauge", "dotnet_assembly_count_value", 1.0)]
    [InlineData("hub.query.cache.hit_ratio", "1", "Gauge", "hub_query_cache_hit_ratio", 1.0)]
    [InlineData("kestrel.activeConnections", "{connection}", "Gauge", "kestrel_active_connections", 1.0)]
    [InlineData("9lives..weird-Name/x", null, "Gauge", "_9lives_weird_name_x", 1.0)]
    public void For(string instrument, string? unit, string type, string family, double scale)
    {
        var name = PrometheusNaming.For(instrument, unit, Enum.Parse<MetricType>(type));
        Assert.Equal(family, name.Family);
        Assert.Equal(scale, name.Scale);
    }

    [Theory]
    [InlineData("gc.heap.generation", "gc_heap_generation")]
    [InlineData("le", "le_")]
    [InlineData("quantile", "quantile_")]
    [InlineData("__name__", "name")] // Prometheus reserves leading "__"
    [InlineData("cpu.mode", "cpu_mode")]
    public void LabelName(string tag, string label) => Assert.Equal(label, PrometheusNaming.LabelName(tag));
}
