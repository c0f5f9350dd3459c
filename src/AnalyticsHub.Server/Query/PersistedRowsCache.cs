using System.Diagnostics;
using AnalyticsHub.Core.Rollups;
using AnalyticsHub.Storage.Stores;

namespace AnalyticsHub.Server.Query;

/// <summary>
/// Rows of persisted rollups read from the store for buckets no longer in memory, parsed (series, sketches) and kept,
/// so refreshing a long-range answer under live ingestion reads only the buckets memory holds. Rows of a bucket out of
/// memory change only when a late part or an evicted bucket reaches the store, which the engine logs in
/// <see cref="RollupEngine.PersistedChanges"/>: an entry is used while that log shows nothing in its tenant and range
/// since it was read, and for at most <see cref="MaxAge"/> (other hubs sharing the store, retention). LRU, bounded in
/// entries and bytes.
/// </summary>
public sealed class PersistedRowsCache(int maxEntries, long maxBytes, TimeSpan maxAge)
{
    private readonly Dictionary<Key, LinkedListNode<PersistedRows>> _entries = [];
    private readonly LinkedList<PersistedRows> _recency = new();
    private readonly object _gate = new();
    private long _bytes;

    public TimeSpan MaxAge => maxAge;

    public bool Enabled => maxEntries > 0 && maxBytes > 0 && maxAge > TimeSpan.Zero;

    /// <summary>The rows for <paramref name="request"/> (sketches parsed when <paramref name="withSketches"/>), from the cache or read by <paramref name="read"/>.</summary>
    public async Task<PersistedRows> GetAsync(
        RollupReadRequest request, bool withSketches, RollupChangeLog persistedChanges, long version,
        Func<CancellationToken, Task<IReadOnlyList<PersistedRow>>> read, CancellationToken cancellationToken)
    {
        var key = new Key(request, withSketches);
        if (Enabled)
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(key, out var node)
                    && Stopwatch.GetElapsedTime(node.Value.ReadAt) < maxAge
                    && persistedChanges.ChangesSince(node.Value.Version, request.TenantId, request.StartUnixNano, request.EndUnixNano, long.MaxValue) == RangeChange.None)
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    return node.Value;
                }
            }
        }

        var rows = new PersistedRows(key, await read(cancellationToken).ConfigureAwait(false), version);
        if (Enabled)
        {
            lock (_gate)
            {
                if (_entries.Remove(key, out var old))
                {
                    _recency.Remove(old);
                    _bytes -= old.Value.Bytes;
                }
                _entries[key] = _recency.AddFirst(rows);
                _bytes += rows.Bytes;
                while (_entries.Count > maxEntries || (_bytes > maxBytes && _entries.Count > 1))
                {
                    var last = _recency.Last!.Value;
                    _recency.RemoveLast();
                    _entries.Remove(last.Key);
                    _bytes -= last.Bytes;
                }
            }
        }
        return rows;
    }

    /// <summary>A store read: what was asked and whether sketches were parsed.</summary>
    public readonly record struct Key(RollupReadRequest Request, bool WithSketches);
}

/// <summary>One persisted row with its series (null: a key this hub cannot read) and parsed sketch (null when not wanted or empty).</summary>
public readonly record struct PersistedRow(SeriesInfo? Series, RollupRow Row, QuantileSketch? Sketch);

/// <summary>The rows of one store read, the engine version before the read, and when it was made.</summary>
public sealed class PersistedRows(PersistedRowsCache.Key key, IReadOnlyList<PersistedRow> rows, long version)
{
    public PersistedRowsCache.Key Key { get; } = key;

    public IReadOnlyList<PersistedRow> Rows { get; } = rows;

    public long Version { get; } = version;

    public long ReadAt { get; } = Stopwatch.GetTimestamp();

    /// <summary>Estimated: per row its objects and key, the serialized sketch and about twice that for the parsed one.</summary>
    public long Bytes { get; } = rows.Sum(r => 200L + (2L * r.Row.SeriesKey.Length) + (3L * r.Row.Sketch.Length));
}
