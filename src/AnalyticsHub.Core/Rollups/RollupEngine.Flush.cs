namespace AnalyticsHub.Core.Rollups;

public sealed partial class RollupEngine
{
    /// <summary>
    /// Everything changed since the last flush, as rows for the store: main rows with each
    /// changed bucket's whole aggregate, rows of buckets that left memory unflushed, and late
    /// parts. Rolls every 1 s bucket first, so the rows hold every event applied so far and
    /// <paramref name="version"/> (the WAL position after the last applied record) is a
    /// consistent checkpoint. Hand the rows back with <see cref="RestoreFlush"/> if the store
    /// does not take them.
    /// </summary>
    public List<RollupRow> CollectFlush(long version, long nowUnixNano)
    {
        Roll(nowUnixNano, everything: true);
        _lock.EnterWriteLock();
        try
        {
            var rows = new List<RollupRow>(_dirty.Count + _evicted.Count + _late.Count);
            foreach (var dirty in _dirty)
            {
                var ring = _rings[dirty.Series].Levels[dirty.Level];
                int slot = ring.SlotOf(dirty.Bucket);
                if (ring.Buckets[slot] == dirty.Bucket && ring.Dirty[slot])
                {
                    rows.Add(RowOf(dirty.Series, dirty.Level, ring, slot, version));
                    ring.Dirty[slot] = false;
                    ring.FreezeQuantiles(slot);
                }
            }
            _dirty.Clear();

            foreach (var row in _evicted)
            {
                rows.Add(row with { Version = version });
            }
            _evicted.Clear();

            foreach (var ((id, level, bucket), late) in _late)
            {
                rows.Add(RowOf(id, level, bucket, part: version, late.Stats, late.Tokens, late.Errors, Serialize(late.Sketch), version));
            }
            _late.Clear();
            return rows;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Called once the store holds <paramref name="rows"/>: rows of buckets no longer in memory
    /// (late parts, evicted buckets) change what queries read from the store only now, so cached
    /// results covering them become stale now, not when their events were applied.
    /// </summary>
    public void NotePersisted(IReadOnlyList<RollupRow> rows)
    {
        _lock.EnterWriteLock();
        try
        {
            long version = Version + 1;
            bool any = false;
            foreach (var row in rows)
            {
                int level = Array.IndexOf(LevelSeconds, row.ResolutionSeconds);
                if (row.Part != 0 || level < 0 || !InWindow(level, row.Bucket))
                {
                    long start = row.BucketStartUnixNano;
                    Changes.Record(version, row.TenantId, start, start + (row.ResolutionSeconds * NanosPerSecond));
                    PersistedChanges.Record(version, row.TenantId, start, start + (row.ResolutionSeconds * NanosPerSecond));
                    any = true;
                }
            }
            if (any)
            {
                Version = version;
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Takes back rows of a flush the store refused or did not confirm, to be written by the next one.</summary>
    public void RestoreFlush(IReadOnlyList<RollupRow> rows)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var row in rows)
            {
                int level = Array.IndexOf(LevelSeconds, row.ResolutionSeconds);
                if (row.Part != 0)
                {
                    int id = IdOf(row);
                    var key = (id, level, row.Bucket);
                    if (!_late.TryGetValue(key, out var part))
                    {
                        _late[key] = part = new LatePart();
                    }
                    part.Merge(row);
                    continue;
                }

                int series = IdOf(row);
                var ring = RingsOf(series).Levels[level];
                int slot = ring.SlotOf(row.Bucket);
                if (ring.Buckets[slot] == row.Bucket)
                {
                    MarkDirty(series, level, ring, slot, row.Bucket); // memory holds this bucket, with anything newer
                }
                else
                {
                    _evicted.Add(row);
                }
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Restart warm-up: main rows this node persisted for buckets still inside the memory
    /// windows go back into memory (not dirty: the store has them), before the WAL is replayed
    /// from the flush's position. Rows outside the windows are ignored.
    /// </summary>
    public void Load(IEnumerable<RollupRow> rows, Func<RollupRow, SeriesInfo?> describe)
    {
        _lock.EnterWriteLock();
        try
        {
            var sketch = new QuantileSketch();
            var tenants = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                int level = Array.IndexOf(LevelSeconds, row.ResolutionSeconds);
                if (level < 0 || row.Part != 0 || !InWindow(level, row.Bucket) || describe(row) is not { } info)
                {
                    continue;
                }

                int id = _registry.Register(info);
                var ring = RingsOf(id).Levels[level];
                int slot = ring.Claim(row.Bucket);
                sketch.Clear();
                ring.Load(slot, row, QuantileSketch.TryReadFrom(row.Sketch, sketch) ? sketch : null);
                tenants.Add(info.TenantId);
            }
            Version++;
            foreach (var tenant in tenants)
            {
                Changes.Record(Version, tenant, long.MinValue, long.MaxValue); // results cached before the reload are stale
                PersistedChanges.Record(Version, tenant, long.MinValue, long.MaxValue);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Heap bytes held by rings and sketches (walks every series: for a gauge, not a hot path).</summary>
    public long MemoryBytes()
    {
        using var _ = EnterRead();
        long bytes = 0;
        foreach (var rings in _rings)
        {
            bytes += rings.Seconds.MemoryBytes();
            foreach (var ring in rings.Levels)
            {
                bytes += ring.MemoryBytes();
            }
        }
        return bytes;
    }

    private int IdOf(RollupRow row) =>
        _registry.FindByKey(row.TenantId, row.SeriesKey) ?? throw new InvalidOperationException($"A flushed row names series {row.SeriesKey} this engine does not know.");

    // The main row of a ring's bucket.
    private RollupRow RowOf(int id, int level, BucketRing ring, int slot, long version) =>
        RowOf(
            id,
            level,
            ring.Buckets[slot],
            part: 0,
            new BucketStats(ring.Counts[slot], ring.Sums[slot], ring.SumsOfSquares[slot], ring.Mins[slot], ring.Maxes[slot]),
            ring.Tokens[slot],
            ring.Errors[slot],
            ring.Sketches[slot] is { } sketch ? Serialize(sketch) : [],
            version);

    private RollupRow RowOf(int id, int level, long bucket, long part, BucketStats stats, double tokens, ulong errors, byte[] sketch, long version)
    {
        var series = _registry[id];
        return new RollupRow
        {
            TenantId = series.TenantId,
            Metric = series.Metric,
            SeriesKey = series.Key,
            SourceModule = series.SourceModule,
            EventType = series.EventType,
            ResolutionSeconds = LevelSeconds[level],
            Bucket = bucket,
            Part = part,
            Stats = stats,
            Tokens = tokens,
            Errors = errors,
            Sketch = sketch,
            Version = version,
        };
    }

    private static byte[] Serialize(QuantileSketch sketch)
    {
        var bytes = new byte[sketch.GetSerializedLength()];
        sketch.WriteTo(bytes);
        return bytes;
    }
}
