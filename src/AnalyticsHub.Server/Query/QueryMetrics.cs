using System.Diagnostics.Metrics;

namespace AnalyticsHub.Server.Query;

/// <summary>Meter <c>AnalyticsHub.Query</c>: query latency by path, result cache hits and misses.</summary>
public sealed class QueryMetrics : IDisposable
{
    public const string MeterName = "AnalyticsHub.Query";

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _computations;
    private long _hits;
    private long _misses;

    public QueryMetrics()
    {
        _duration = _meter.CreateHistogram<double>("hub.query.duration", "ms", "Time to answer a query, by path (rollup, store, search) and whether the cache served it.");
        _cacheHits = _meter.CreateCounter<long>("hub.query.cache.hits", "{query}", "Rollup queries answered from the result cache.");
        _cacheMisses = _meter.CreateCounter<long>("hub.query.cache.misses", "{query}", "Rollup queries the result cache could not answer.");
        _rejected = _meter.CreateCounter<long>("hub.query.rejected", "{query}", "Queries refused as invalid (400 / INVALID_ARGUMENT).");
        _computations = _meter.CreateCounter<long>(
            "hub.query.computations", "{query}", "Rollup answers computed, by kind: full (the whole range) or extended (an earlier answer's settled buckets plus its recomputed tail).");
        _meter.CreateObservableGauge("hub.query.cache.hit_ratio", HitRatio, "1", "Share of rollup queries served from the cache since start.");
    }

    public void Answered(string path, bool cached, double milliseconds) =>
        _duration.Record(milliseconds, new KeyValuePair<string, object?>("path", path), new KeyValuePair<string, object?>("cached", cached));

    public void CacheHit()
    {
        Interlocked.Increment(ref _hits);
        _cacheHits.Add(1);
    }

    public void CacheMiss()
    {
        Interlocked.Increment(ref _misses);
        _cacheMisses.Add(1);
    }

    public void Rejected() => _rejected.Add(1);

    public void Computed(bool extended) => _computations.Add(1, new KeyValuePair<string, object?>("kind", extended ? "extended" : "full"));

    private double HitRatio()
    {
        long hits = Volatile.Read(ref _hits), total = hits + Volatile.Read(ref _misses);
        return total == 0 ? 0 : (double)hits / total;
    }

    public void Dispose() => _meter.Dispose();
}
