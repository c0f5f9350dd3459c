namespace AnalyticsHub.Server.Metrics;

/// <summary>Prometheus metric types the exporter writes.</summary>
internal enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>How an instrument's measurements combine into a series' value.</summary>
internal enum Aggregation
{
    /// <summary>Measurements are increments (<c>Counter</c>, <c>UpDownCounter</c>).</summary>
    Sum,

    /// <summary>Measurements are the current value (observable instruments, <c>Gauge</c>).</summary>
    LastValue,

    /// <summary>Measurements are observations counted into buckets.</summary>
    Histogram,
}
