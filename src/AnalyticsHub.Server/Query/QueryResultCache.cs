using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Server.Query;

/// <summary>
/// In-process LRU cache of rollup answers keyed by the normalised query (relative ranges already
/// resolved, so "last 24h" hits while its aligned bounds stay the same). An entry is served while
/// the engine's change log shows no change to its tenant inside its time range since it was
/// computed; hits and misses feed the hit-rate metric.
/// </summary>
public sealed class QueryResultCache(int capacity, QueryMetrics metrics)
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private readonly object _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(MetricQuery query, RollupChangeLog changes, out QueryResult result)
    {
        result = null!;
        if (capacity <= 0 || !query.IsRollupAnswerable)
        {
            return false;
        }

        Entry? entry = null;
        lock (_gate)
        {
            if (_entries.TryGetValue(query.NormalizedKey, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                entry = node.Value;
            }
        }

        if (entry is not null && changes.UnchangedSince(entry.Version, query.TenantId, query.StartUnixNano, query.EndUnixNano))
        {
            metrics.CacheHit();
            result = entry.Result;
            return true;
        }

        metrics.CacheMiss();
        return false;
    }

    /// <summary>Keeps <paramref name="result"/>, computed from rollups at engine version <paramref name="version"/> or later.</summary>
    public void Add(MetricQuery query, QueryResult result, long version)
    {
        if (capacity <= 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_entries.Remove(query.NormalizedKey, out var old))
            {
                _recency.Remove(old);
            }

            _entries[query.NormalizedKey] = _recency.AddFirst(new Entry(query.NormalizedKey, result, version));
            while (_entries.Count > capacity)
            {
                var last = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(last.Value.Key);
            }
        }
    }

    private sealed record Entry(string Key, QueryResult Result, long Version);
}
