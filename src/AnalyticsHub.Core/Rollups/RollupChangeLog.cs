namespace AnalyticsHub.Core.Rollups;

/// <summary>
/// What recently changed in the rollups readers see — per engine version, the tenant and the
/// event-time range touched — so a cached query result stays valid until a change overlaps its
/// tenant and time range (new buckets for "now" do not evict yesterday's answers). Bounded: a
/// result older than the log's memory is treated as stale.
/// </summary>
public sealed class RollupChangeLog
{
    private readonly Change[] _changes;
    private readonly object _gate = new();
    private long _next; // changes ever recorded

    public RollupChangeLog(int capacity = 8192)
    {
        _changes = new Change[capacity];
    }

    /// <summary>Records that <paramref name="tenant"/>'s buckets in [start, end) changed at <paramref name="version"/>.</summary>
    public void Record(long version, string tenant, long startUnixNano, long endUnixNano)
    {
        lock (_gate)
        {
            _changes[_next % _changes.Length] = new Change(version, tenant, startUnixNano, endUnixNano);
            _next++;
        }
    }

    /// <summary>True when nothing recorded after <paramref name="version"/> touches <paramref name="tenant"/> in [start, end), and the log still reaches back that far.</summary>
    public bool UnchangedSince(long version, string tenant, long startUnixNano, long endUnixNano) =>
        ChangesSince(version, tenant, startUnixNano, endUnixNano, long.MaxValue) == RangeChange.None;

    /// <summary>
    /// What changed for <paramref name="tenant"/> in [start, end) after <paramref name="version"/>: nothing; only buckets
    /// at or after <paramref name="liveEdgeFromUnixNano"/> (the seconds live ingestion keeps filling); or anything older,
    /// or more than the log still remembers.
    /// </summary>
    public RangeChange ChangesSince(long version, string tenant, long startUnixNano, long endUnixNano, long liveEdgeFromUnixNano)
    {
        var seen = RangeChange.None;
        lock (_gate)
        {
            long oldest = Math.Max(0, _next - _changes.Length);
            for (long i = _next - 1; i >= oldest; i--)
            {
                var change = _changes[i % _changes.Length];
                if (change.Version <= version)
                {
                    return seen;
                }
                if (change.Tenant == tenant && change.Start < endUnixNano && change.End > startUnixNano)
                {
                    if (change.Start < liveEdgeFromUnixNano)
                    {
                        return RangeChange.Changed;
                    }
                    seen = RangeChange.LiveEdgeOnly;
                }
            }
            // Every remembered change is newer than the result: it may predate what the log holds.
            return _next <= _changes.Length ? seen : RangeChange.Changed;
        }
    }

    private readonly record struct Change(long Version, string Tenant, long Start, long End);
}
