using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Normalization;

namespace AnalyticsHub.Core.Rollups;

/// <summary>
/// The hub's in-memory rollups. Every accepted event updates one 1 s bucket of its series
/// (<see cref="Apply"/>: one lookup, a few adds, one sketch insert, no allocation once the series
/// and slot exist); <see cref="Roll"/> merges seconds that ended more than the grace period ago
/// into the series' 1 m, 1 h and 1 d buckets, which queries read and flushes persist. Events too
/// far from the clock for the 1 s window go straight to the 1 m / 1 h / 1 d buckets, and events
/// older than a width's memory window become late parts written to the store as they are.
/// </summary>
/// <remarks>
/// One writer (the WAL's rollup reader) calls <see cref="Apply"/>, <see cref="Roll"/> and the
/// flush methods; queries read under <see cref="EnterRead"/>. The writer takes the write lock
/// once per batch, not per event.
/// </remarks>
public sealed partial class RollupEngine
{
    /// <summary>Widths of the persisted levels, in seconds: 1 m, 1 h, 1 d.</summary>
    public static readonly int[] LevelSeconds = [60, 3600, 86400];

    private const long NanosPerSecond = 1_000_000_000L;

    private readonly RollupOptions _options;
    private readonly SeriesRegistry _registry;
    private readonly List<SeriesRings> _rings = [];
    private readonly List<int>[] _touched;
    private readonly int[] _hot;
    private readonly int[] _future;
    private readonly long[] _current;
    private readonly List<DirtyBucket> _dirty = [];
    private readonly List<RollupRow> _evicted = [];
    private readonly Dictionary<(int Series, int Level, long Bucket), LatePart> _late = [];
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private long _rolledThrough;
    private long _newestSecond = long.MinValue;
    private long _newestAppliedSecond = long.MinValue;
    private volatile bool _behind;
    private readonly Dictionary<string, (long Start, long End)> _pendingChanges = new(StringComparer.Ordinal);
    private (string? Tenant, long Start, long End) _lastNoted;

    public RollupEngine(RollupOptions options, long nowUnixNano)
    {
        options.Validate();
        _options = options;
        _registry = new SeriesRegistry(new SeriesDimensions(options.Dimensions), options.MaxSeriesPerTenant, options.MaxSeries);
        _touched = new List<int>[options.SecondBuckets];
        for (int i = 0; i < _touched.Length; i++)
        {
            _touched[i] = [];
        }

        _hot = [options.HotMinutes, options.HotHours, options.HotDays];
        _future = [.. LevelSeconds.Select(w => (options.FutureSeconds + w - 1) / w + 1)];
        long nowSecond = FloorDiv(nowUnixNano, NanosPerSecond);
        _current = [.. LevelSeconds.Select(w => FloorDiv(nowSecond, w))];
        _rolledThrough = nowSecond - 1 - options.GraceSeconds;
    }

    public RollupOptions Options => _options;

    public SeriesRegistry Series => _registry;

    /// <summary>Events whose value was NaN or infinite (not aggregated).</summary>
    public long NonFiniteValues { get; private set; }

    /// <summary>Events that took the direct path (outside the 1 s window).</summary>
    public long DirectEvents { get; private set; }

    /// <summary>Bumped by every change readers could see; the result cache compares it.</summary>
    public long Version { get; private set; }

    /// <summary>Every event before this time that arrived by the last roll is in the 1 m / 1 h / 1 d buckets queries read (read under <see cref="EnterRead"/>).</summary>
    public long RolledThroughUnixNano => (_rolledThrough + 1) * NanosPerSecond;

    /// <summary>
    /// Through when the buckets queries read are complete as far as the hub can tell (meta <c>as_of</c>, and where an
    /// answer's live edge is measured from): the rolled seconds — unless applying the log has fallen behind the clock
    /// (<see cref="NoteBacklog"/>), when the seconds after the newest event applied are still on their way.
    /// </summary>
    public long CompleteThroughUnixNano
    {
        get
        {
            long rolled = RolledThroughUnixNano;
            long applied = Volatile.Read(ref _newestAppliedSecond);
            return _behind && applied != long.MinValue ? Math.Min(rolled, (applied + 1) * NanosPerSecond) : rolled;
        }
    }

    /// <summary>Says whether the log holds committed records not yet applied (the applier is behind the clock).</summary>
    public void NoteBacklog(bool behind) => _behind = behind;

    /// <summary>Which tenants' buckets changed when, for the result cache.</summary>
    public RollupChangeLog Changes { get; } = new();

    /// <summary>
    /// The subset of <see cref="Changes"/> that changed rows of buckets no longer in memory once the store held them
    /// (late parts, evicted buckets): what a cache of rows read from the store must watch. Rare, so it reaches far back.
    /// </summary>
    public RollupChangeLog PersistedChanges { get; } = new();

    /// <summary>The first bucket of <paramref name="level"/> whose whole content is in memory.</summary>
    public long HotStart(int level) => _current[level] - _hot[level] + 1;

    /// <summary>Just past the last bucket of <paramref name="level"/> memory may hold (the clock plus the allowed future skew); read no further: slots beyond alias older buckets.</summary>
    public long HotEnd(int level) => _current[level] + _future[level];

    /// <summary>Adds the batch's accepted events (rows rejected or duplicated in admission are skipped).</summary>
    public void Apply(EventBatch batch)
    {
        _lock.EnterWriteLock();
        try
        {
            var seconds = _rolledThrough;
            long newestApplied = _newestAppliedSecond;
            foreach (ref var row in batch.Rows)
            {
                if (row.DecodeError != EventDecodeError.None || row.Rejection != Validation.Rejection.None || row.IsDuplicate)
                {
                    continue;
                }

                EventNormalizer.PromoteRenamedFields(batch, ref row);
                double value = row.PayloadKind is PayloadKind.Telemetry or PayloadKind.Cost ? row.PayloadValue : 1.0;
                if (!double.IsFinite(value))
                {
                    NonFiniteValues++;
                    continue;
                }

                int id = _registry.Resolve(batch, row);
                var rings = RingsOf(id);
                double tokens = row.InputTokens + (double)row.OutputTokens;
                bool error = row.Severity >= Severity.Error;
                long second = FloorDiv(row.TimeUnixNano, NanosPerSecond);
                if (second > newestApplied)
                {
                    newestApplied = second;
                }
                if (second > seconds && second <= seconds + _touched.Length)
                {
                    var ring = rings.Seconds;
                    int slot = ring.Claim(second);
                    if (ring.Counts[slot] == 0)
                    {
                        _touched[slot].Add(id);
                    }
                    ring.Add(slot, value, tokens, error);
                    if (second > _newestSecond)
                    {
                        _newestSecond = second;
                    }
                }
                else
                {
                    AddDirect(id, rings, row.TimeUnixNano, value, tokens, error);
                }
            }
            Volatile.Write(ref _newestAppliedSecond, newestApplied);
            RecordChanges(Version + 1);
            Version++;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Merges every 1 s bucket that ended at least the grace period before <paramref name="nowUnixNano"/>
    /// (all of them when <paramref name="everything"/>, before a flush) into the persisted levels,
    /// and moves the levels' memory windows forward.
    /// </summary>
    public void Roll(long nowUnixNano, bool everything = false)
    {
        _lock.EnterWriteLock();
        try
        {
            long nowSecond = FloorDiv(nowUnixNano, NanosPerSecond);
            AdvanceWindows(nowSecond);
            long target = nowSecond - 1 - _options.GraceSeconds;
            if (everything)
            {
                target = Math.Max(target, _newestSecond);
            }
            if (target <= _rolledThrough)
            {
                return;
            }

            long last = Math.Min(target, _rolledThrough + _touched.Length);
            long version = Version + 1;
            for (long second = _rolledThrough + 1; second <= last; second++)
            {
                int slot = (int)(second % _touched.Length);
                var touched = _touched[slot];
                foreach (int id in touched)
                {
                    var rings = _rings[id];
                    if (rings.Seconds.Buckets[slot] == second)
                    {
                        MergeSecond(rings, slot, second);
                        // A query sees the second only if its range holds it (ranges align to the level they read).
                        NoteChange(_registry[id].TenantId, second * NanosPerSecond, (second + 1) * NanosPerSecond);
                    }
                }
                touched.Clear();
            }
            RecordChanges(version);
            _rolledThrough = target;
            Version = version;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void MergeSecond(SeriesRings rings, int secondSlot, long second)
    {
        for (int level = 0; level < LevelSeconds.Length; level++)
        {
            long bucket = FloorDiv(second, LevelSeconds[level]);
            if (!InWindow(level, bucket))
            {
                continue; // only when the clock jumped: the second's level bucket already left memory
            }
            var ring = rings.Levels[level];
            int slot = ring.Claim(bucket);
            MarkDirty(rings.Id, level, ring, slot, bucket);
            ring.Merge(slot, rings.Seconds, secondSlot);
        }
    }

    private void AddDirect(int id, SeriesRings rings, long timeUnixNano, double value, double tokens, bool error)
    {
        DirectEvents++;
        long second = FloorDiv(timeUnixNano, NanosPerSecond);
        NoteChange(_registry[id].TenantId, second * NanosPerSecond, (second + 1) * NanosPerSecond);
        for (int level = 0; level < LevelSeconds.Length; level++)
        {
            long bucket = FloorDiv(second, LevelSeconds[level]);
            if (InWindow(level, bucket))
            {
                var ring = rings.Levels[level];
                int slot = ring.Claim(bucket);
                MarkDirty(id, level, ring, slot, bucket);
                ring.Add(slot, value, tokens, error);
            }
            else
            {
                var key = (id, level, bucket);
                if (!_late.TryGetValue(key, out var part))
                {
                    _late[key] = part = new LatePart();
                }
                part.Add(value, tokens, error);
            }
        }
    }

    /// <summary>
    /// Widens the pending change of <paramref name="tenant"/> to cover [start, end). One <see cref="Apply"/> or
    /// <see cref="Roll"/> logs one entry per tenant (<see cref="RecordChanges"/>), not one per event or series: the log
    /// is bounded, and entries that fast would push out what a cached answer needs to see (it would then count as stale).
    /// </summary>
    private void NoteChange(string tenant, long start, long end)
    {
        if (ReferenceEquals(tenant, _lastNoted.Tenant) && start >= _lastNoted.Start && end <= _lastNoted.End)
        {
            return; // most events of a batch: the same tenant and second as the one before
        }
        if (_pendingChanges.TryGetValue(tenant, out var pending))
        {
            if (start >= pending.Start && end <= pending.End)
            {
                return;
            }
            (start, end) = (Math.Min(start, pending.Start), Math.Max(end, pending.End));
        }
        _pendingChanges[tenant] = (start, end);
        _lastNoted = (tenant, start, end);
    }

    private void RecordChanges(long version)
    {
        if (_pendingChanges.Count == 0)
        {
            return;
        }
        foreach (var (tenant, (start, end)) in _pendingChanges)
        {
            Changes.Record(version, tenant, start, end);
        }
        _pendingChanges.Clear();
        _lastNoted = default;
    }

    private void MarkDirty(int id, int level, BucketRing ring, int slot, long bucket)
    {
        if (!ring.Dirty[slot])
        {
            ring.Dirty[slot] = true;
            _dirty.Add(new DirtyBucket(id, level, bucket));
        }
    }

    private bool InWindow(int level, long bucket) =>
        bucket > _current[level] - _hot[level] && bucket <= _current[level] + _future[level] - 1;

    /// <summary>
    /// Moves each level's window to the clock: buckets leaving memory are emptied (those not yet
    /// flushed become rows for the next flush first), so every slot in a window holds its bucket
    /// or nothing and queries can add whole ranges of slots.
    /// </summary>
    private void AdvanceWindows(long nowSecond)
    {
        for (int level = 0; level < LevelSeconds.Length; level++)
        {
            long current = FloorDiv(nowSecond, LevelSeconds[level]);
            long previous = _current[level];
            if (current <= previous)
            {
                continue;
            }

            long lastNew = current + _future[level] - 1;
            long firstNew = Math.Max(previous + _future[level], lastNew - (_hot[level] + _future[level]) + 1);
            foreach (var rings in _rings)
            {
                var ring = rings.Levels[level];
                for (long bucket = firstNew; bucket <= lastNew; bucket++)
                {
                    int slot = ring.SlotOf(bucket);
                    long held = ring.Buckets[slot];
                    if (held == bucket)
                    {
                        continue;
                    }
                    if (ring.Dirty[slot])
                    {
                        _evicted.Add(RowOf(rings.Id, level, ring, slot, version: 0));
                    }
                    ring.Reset(slot, long.MinValue);
                }
            }
            _current[level] = current;
        }
    }

    private SeriesRings RingsOf(int id)
    {
        while (_rings.Count <= id)
        {
            int next = _rings.Count;
            _rings.Add(new SeriesRings(next, _options.SecondBuckets,
                [.. Enumerable.Range(0, LevelSeconds.Length).Select(l => _hot[l] + _future[l])]));
        }
        return _rings[id];
    }

    internal static long FloorDiv(long value, long divisor)
    {
        long quotient = value / divisor;
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient;
    }

    /// <summary>Holds the read lock until disposed: queries read rings and the registry inside it.</summary>
    public ReadScope EnterRead()
    {
        _lock.EnterReadLock();
        return new ReadScope(_lock);
    }

    /// <summary>The rings of series <paramref name="id"/> (call inside <see cref="EnterRead"/>).</summary>
    public BucketRing Level(int id, int level) => _rings[id].Levels[level];

    public readonly struct ReadScope(ReaderWriterLockSlim held) : IDisposable
    {
        public void Dispose() => held.ExitReadLock();
    }

    private sealed class SeriesRings(int id, int secondBuckets, int[] levelCapacities)
    {
        public int Id { get; } = id;
        public BucketRing Seconds { get; } = new(secondBuckets);
        public BucketRing[] Levels { get; } = [.. levelCapacities.Select(c => new BucketRing(c))];
    }

    private readonly record struct DirtyBucket(int Series, int Level, long Bucket);
}
