namespace AnalyticsHub.LoadRunner.Reporting;

/// <summary>
/// What the hub's own <c>/metrics</c> said over a run: scraped before and after it (after the
/// drain), so counters are deltas over <see cref="Seconds"/>. Other producers of the same hub count
/// too: on a shared hub the deltas are not the run's alone.
/// </summary>
public sealed record ServerMetricsReport
{
    public string Url { get; init; } = "";

    /// <summary>Time between the two scrapes.</summary>
    public double Seconds { get; init; }

    /// <summary>Why a scrape failed (the other fields are then empty).</summary>
    public string? Error { get; init; }

    /// <summary>The hub process's CPU over the run, in cores (<c>process_cpu_seconds_total</c> delta ÷ seconds).</summary>
    public double? CpuCores { get; init; }

    /// <summary>Events the hub counted as accepted over the run (<c>hub_ingest_events_accepted_total</c> delta).</summary>
    public double? EventsAccepted { get; init; }

    public IReadOnlyList<CounterDelta> Counters { get; init; } = [];

    public IReadOnlyList<GaugeChange> Gauges { get; init; } = [];

    public IReadOnlyList<HistogramDelta> Histograms { get; init; } = [];
}

/// <param name="Labels">The label text as exported (<c>reason="invalid_uuid"</c>), "" for none.</param>
public sealed record CounterDelta(string Name, string Labels, double Before, double After, double Delta, double PerSecond);

/// <param name="Before">Null when the gauge was absent from that scrape (or not a finite number).</param>
public sealed record GaugeChange(string Name, string Labels, double? Before, double? After);

/// <summary>
/// A histogram's observations between the scrapes, with quantiles interpolated inside its buckets
/// (as Prometheus' <c>histogram_quantile</c> does: as exact as the bucket bounds).
/// </summary>
public sealed record HistogramDelta(string Name, string Labels, double Count, double P50Ms, double P95Ms, double P99Ms, double MeanMs);
