using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Server.Query;

/// <summary>
/// In-process LRU cache of rollup answers keyed by the normalised query (relative ranges already resolved, so
/// "last 24h" hits while its aligned bounds stay the same), bounded by entries and by bytes. An entry is served
/// while the engine's change log shows no change to its tenant inside its range since it was computed — or, under
/// live ingestion, when only the live edge changed and the entry is younger than <see cref="MaxLiveEdgeLag"/>
/// (the caller then refreshes it in the background). Any change to settled buckets (late events, a reload)
/// invalidates at once. Hits and misses feed the hit-rate metric.
/// </summary>
public sealed class QueryResultCache(QueryCacheSettings settings, QueryMetrics metrics)
{
    private readonly Dictionary<string, LinkedListNode<Slot>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Slot> _recency = new();
    private readonly Dictionary<string, string> _latestOfShape = new(StringComparer.Ordinal); // shape key → normalised key
    private readonly object _gate = new();
    private long _bytes;

    /// <summary>How far behind the live edge a served answer may be; zero: exact answers only.</summary>
    public TimeSpan MaxLiveEdgeLag { get; } = settings.MaxLiveEdgeLag;

    /// <summary>The newest seconds (event time) whose changes count as the live edge.</summary>
    public TimeSpan LiveEdge { get; } = settings.LiveEdge;

    public bool Enabled => settings.MaxEntries > 0 && settings.MaxBytes > 0;

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

    /// <summary>Bytes the entries hold (estimated objects plus rendered answers).</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>
    /// The entry for <paramref name="query"/> if it may be served. <paramref name="refresh"/> is set for exactly one
    /// caller when the entry is served behind the live edge and its <see cref="RefreshAge"/> has passed: that caller
    /// should recompute it in the background.
    /// </summary>
    public CachedAnswer? TryGet(MetricQuery query, RollupChangeLog changes, out bool refresh)
    {
        refresh = false;
        if (!Enabled || !query.IsRollupAnswerable)
        {
            return null;
        }

        CachedAnswer? entry = null;
        lock (_gate)
        {
            if (_entries.TryGetValue(query.NormalizedKey, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                entry = node.Value.Answer;
            }
        }

        if (entry is not null)
        {
            var change = changes.ChangesSince(entry.Version, query.TenantId, query.StartUnixNano, query.EndUnixNano, entry.LiveEdgeFromUnixNano);
            if (change == RangeChange.None || (change == RangeChange.LiveEdgeOnly && entry.Age < MaxLiveEdgeLag))
            {
                refresh = change == RangeChange.LiveEdgeOnly && entry.Age >= RefreshAge(entry)
                    && Interlocked.CompareExchange(ref entry.Refreshing, 1, 0) == 0;
                metrics.CacheHit();
                return entry;
            }
        }

        metrics.CacheMiss();
        return null;
    }

    /// <summary>
    /// When a refresh of an answer behind the live edge starts: at half its allowed lag, or earlier when computing it took
    /// long enough (twice that, for a margin) that it would otherwise land after the lag ran out — but not before a
    /// quarter of the lag, which bounds the CPU keeping one live question fresh can take.
    /// </summary>
    public TimeSpan RefreshAge(CachedAnswer entry)
    {
        var margin = MaxLiveEdgeLag - (entry.ComputeTime * 2);
        var latest = MaxLiveEdgeLag / 2;
        var earliest = MaxLiveEdgeLag / 4;
        return margin < earliest ? earliest : margin > latest ? latest : margin;
    }

    /// <summary>Keeps <paramref name="answer"/> for <paramref name="query"/>, replacing an older one, then trims to the bounds.</summary>
    public void Add(MetricQuery query, CachedAnswer answer)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_gate)
        {
            if (_entries.Remove(query.NormalizedKey, out var old))
            {
                _recency.Remove(old);
                _bytes -= old.Value.Charged;
            }

            var slot = new Slot(query.NormalizedKey, answer) { Charged = answer.Bytes };
            _entries[query.NormalizedKey] = _recency.AddFirst(slot);
            _latestOfShape[query.ShapeKey] = query.NormalizedKey;
            _bytes += slot.Charged;
            TrimLocked(query.NormalizedKey);
        }
    }

    /// <summary>
    /// The newest cached answer to a question of <paramref name="query"/>'s shape (any range), which a computation may
    /// extend rather than start over; null when there is none.
    /// </summary>
    public CachedAnswer? LatestOfShape(MetricQuery query)
    {
        if (!Enabled)
        {
            return null;
        }

        string shape = query.ShapeKey;
        lock (_gate)
        {
            if (!_latestOfShape.TryGetValue(shape, out var key))
            {
                return null;
            }
            if (_entries.TryGetValue(key, out var node))
            {
                return node.Value.Answer;
            }
            _latestOfShape.Remove(shape); // evicted
            return null;
        }
    }

    /// <summary><paramref name="answer"/>'s <c>data</c> in <paramref name="format"/>, rendered on first use and then counted against the byte bound.</summary>
    public ChunkedBuffer Render(MetricQuery query, CachedAnswer answer, ResultFormat format)
    {
        var rendered = answer.Rendered(format, out bool renderedNow);
        if (renderedNow)
        {
            Grew(query, answer);
        }
        return rendered;
    }

    /// <summary>The start of the live edge for an answer whose buckets were complete through <paramref name="asOfUnixNano"/>.</summary>
    public long LiveEdgeFrom(long asOfUnixNano) => asOfUnixNano - (LiveEdge.Ticks * 100);

    /// <summary><paramref name="answer"/> grew (it rendered a format): count the growth if it is still cached, and trim.</summary>
    public void Grew(MetricQuery query, CachedAnswer answer)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(query.NormalizedKey, out var node) && ReferenceEquals(node.Value.Answer, answer))
            {
                long now = answer.Bytes;
                _bytes += now - node.Value.Charged;
                node.Value.Charged = now;
                TrimLocked(query.NormalizedKey);
            }
        }
    }

    /// <summary>Least recently used entries go first; the one just used stays even when it alone is over the byte bound.</summary>
    private void TrimLocked(string keep)
    {
        while (_entries.Count > settings.MaxEntries || (_bytes > settings.MaxBytes && _entries.Count > 1))
        {
            var last = _recency.Last!.Value;
            if (last.Key == keep)
            {
                break;
            }
            _recency.RemoveLast();
            _entries.Remove(last.Key);
            _bytes -= last.Charged;
        }
    }

    /// <summary>An entry and the bytes counted for it in the byte bound.</summary>
    private sealed class Slot(string key, CachedAnswer answer)
    {
        public string Key { get; } = key;

        public CachedAnswer Answer { get; } = answer;

        public long Charged { get; set; }
    }
}

/// <summary>The cache's bounds and live-edge rule (<c>Hub:Query:Cache*</c>, <c>Hub:Query:LiveEdge*</c>).</summary>
public sealed record QueryCacheSettings(int MaxEntries, long MaxBytes, TimeSpan LiveEdge, TimeSpan MaxLiveEdgeLag);
