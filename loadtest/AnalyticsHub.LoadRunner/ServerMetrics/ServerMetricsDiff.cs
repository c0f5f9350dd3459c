using AnalyticsHub.LoadRunner.Reporting;

namespace AnalyticsHub.LoadRunner.ServerMetrics;

/// <summary>
/// Two scrapes → <see cref="ServerMetricsReport"/>: the counters, gauges and latency histograms an
/// SRE reads after a load run (names from docs/METRICS.md). A counter absent from a scrape has not
/// been incremented yet and counts as 0.
/// </summary>
public static class ServerMetricsDiff
{
    /// <summary>Counters reported with their delta and rate (every label set).</summary>
    public static readonly IReadOnlyList<string> CounterNames =
    [
        "hub_ingest_events_received_total", "hub_ingest_events_accepted_total", "hub_ingest_events_rejected_total",
        "hub_ingest_events_duplicate_total", "hub_ingest_batches_total", "hub_ingest_batches_retried_total", "hub_ingest_bytes_total",
        "hub_wal_appended_bytes_total", "hub_wal_commits_total",
        "hub_store_rows_total", "hub_store_write_errors_total", "hub_store_write_retries_total", "hub_store_dead_letters_total",
        "hub_rollup_overflow_events_total",
        "hub_query_cache_hits_total", "hub_query_cache_misses_total", "hub_query_computations_total", "hub_query_rejected_total",
        "process_cpu_seconds_total", "dotnet_gc_collections_total", "dotnet_gc_pause_time_seconds_total", "dotnet_exceptions_total",
    ];

    /// <summary>Gauges reported before and after.</summary>
    public static readonly IReadOnlyList<string> GaugeNames =
    [
        "hub_wal_retained_bytes", "hub_store_backlog_bytes", "hub_store_backlog_age_seconds", "hub_store_up",
        "hub_rollup_series", "hub_ingest_streams_active", "process_resident_memory_bytes", "process_open_fds",
        "dotnet_gc_last_collection_heap_size_bytes",
    ];

    /// <summary>Duration histograms (seconds) reported as quantiles of the run's observations.</summary>
    public static readonly IReadOnlyList<string> HistogramNames =
    [
        "hub_ingest_ack_latency_seconds", "hub_wal_commit_duration_seconds", "hub_store_write_duration_seconds", "hub_query_duration_seconds",
    ];

    public static ServerMetricsReport Failed(string url, string error) => new() { Url = url, Error = error };

    public static ServerMetricsReport Diff(string url, MetricsScrape before, MetricsScrape after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var seconds = Math.Max((after.At - before.At).TotalSeconds, 1e-3);
        var counters = new List<CounterDelta>();
        foreach (var name in CounterNames)
        {
            foreach (var labels in LabelSets(name, before, after))
            {
                var b = before.Series(name).GetValueOrDefault(labels);
                var a = after.Series(name).GetValueOrDefault(labels);
                if (double.IsFinite(a) && double.IsFinite(b))
                {
                    counters.Add(new CounterDelta(name, labels, b, a, a - b, Math.Round((a - b) / seconds, 3)));
                }
            }
        }

        var gauges = new List<GaugeChange>();
        foreach (var name in GaugeNames)
        {
            foreach (var labels in LabelSets(name, before, after))
            {
                gauges.Add(new GaugeChange(name, labels, Finite(before.Series(name), labels), Finite(after.Series(name), labels)));
            }
        }

        var histograms = new List<HistogramDelta>();
        foreach (var name in HistogramNames)
        {
            histograms.AddRange(Histograms(name, before, after));
        }

        return new ServerMetricsReport
        {
            Url = url,
            Seconds = Math.Round(seconds, 3),
            CpuCores = Delta("process_cpu_seconds_total") is { } cpu ? Math.Round(cpu / seconds, 3) : null,
            EventsAccepted = Delta("hub_ingest_events_accepted_total"),
            Counters = counters,
            Gauges = gauges,
            Histograms = histograms,
        };

        double? Delta(string name)
        {
            var series = counters.Where(c => c.Name == name).ToList();
            return series.Count == 0 ? null : series.Sum(c => c.Delta);
        }
    }

    private static double? Finite(IReadOnlyDictionary<string, double> series, string labels) =>
        series.TryGetValue(labels, out var value) && double.IsFinite(value) ? value : null;

    private static IEnumerable<string> LabelSets(string name, MetricsScrape before, MetricsScrape after) =>
        before.Series(name).Keys.Union(after.Series(name).Keys).Order(StringComparer.Ordinal);

    /// <summary>One <see cref="HistogramDelta"/> per label set (other than <c>le</c>) with observations between the scrapes.</summary>
    private static IEnumerable<HistogramDelta> Histograms(string name, MetricsScrape before, MetricsScrape after)
    {
        var bucketName = name + "_bucket";
        var groups = new Dictionary<string, List<(double Bound, double Count)>>(StringComparer.Ordinal);
        foreach (var labels in LabelSets(bucketName, before, after))
        {
            if (!TrySplitLe(labels, out var rest, out var bound))
            {
                continue;
            }

            var count = after.Series(bucketName).GetValueOrDefault(labels) - before.Series(bucketName).GetValueOrDefault(labels);
            if (!groups.TryGetValue(rest, out var buckets))
            {
                groups[rest] = buckets = [];
            }

            buckets.Add((bound, count));
        }

        foreach (var (labels, buckets) in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            buckets.Sort((x, y) => x.Bound.CompareTo(y.Bound));
            var total = buckets.Count == 0 ? 0 : buckets[^1].Count;
            if (total <= 0)
            {
                continue;
            }

            var sum = after.Series(name + "_sum").GetValueOrDefault(labels) - before.Series(name + "_sum").GetValueOrDefault(labels);
            yield return new HistogramDelta(
                name,
                labels,
                total,
                Ms(Quantile(buckets, 0.50)),
                Ms(Quantile(buckets, 0.95)),
                Ms(Quantile(buckets, 0.99)),
                Ms(sum / total));
        }
    }

    /// <summary>
    /// Prometheus' <c>histogram_quantile</c> over cumulative buckets: linear inside the bucket the
    /// rank falls in (from 0 for the first); in the +Inf bucket, the largest finite bound.
    /// </summary>
    public static double Quantile(IReadOnlyList<(double Bound, double Count)> cumulative, double q)
    {
        ArgumentNullException.ThrowIfNull(cumulative);
        if (cumulative.Count == 0 || cumulative[^1].Count <= 0)
        {
            return double.NaN;
        }

        var rank = q * cumulative[^1].Count;
        var lowerBound = 0.0;
        var lowerCount = 0.0;
        for (var i = 0; i < cumulative.Count; i++)
        {
            var (bound, count) = cumulative[i];
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(bound))
                {
                    return i > 0 ? cumulative[i - 1].Bound : double.NaN;
                }

                var inBucket = count - lowerCount;
                return inBucket <= 0 ? bound : lowerBound + ((bound - lowerBound) * (rank - lowerCount) / inBucket);
            }

            lowerBound = bound;
            lowerCount = count;
        }

        return cumulative[^1].Bound;
    }

    /// <summary>Splits <c>a="x",le="0.5"</c> into <c>a="x"</c> and 0.5.</summary>
    private static bool TrySplitLe(string labels, out string rest, out double bound)
    {
        rest = "";
        bound = 0;
        var parts = labels.Split(',');
        var le = Array.FindIndex(parts, p => p.StartsWith("le=\"", StringComparison.Ordinal));
        if (le < 0)
        {
            return false;
        }

        var text = parts[le][4..^1];
        bound = text == "+Inf" ? double.PositiveInfinity : double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        rest = string.Join(',', parts.Where((_, i) => i != le));
        return true;
    }

    private static double Ms(double seconds) => double.IsFinite(seconds) ? Math.Round(seconds * 1000, 3) : 0;
}
