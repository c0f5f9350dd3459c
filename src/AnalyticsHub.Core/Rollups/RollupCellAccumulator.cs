using System.Buffers;
using AnalyticsHub.Core.Events;
using AnalyticsHub.Core.Query;

namespace AnalyticsHub.Core.Rollups;

/// <summary>
/// Answers a metric query from rollups: picks the series that match (tenant, metric or
/// composite, filters on series dimensions), groups them by the query's group_by dimensions and
/// merges their buckets into the query's buckets — hot rings column by column with the SIMD
/// kernels (a window copied out of the ring, re-bucketed with the window kernels, added to the
/// group), persisted rows one by one. Sketches are borrowed: a cell with one source reads its
/// frozen quantiles or its sketch; one with several has them merged into a scratch sketch when the
/// cells are made and keeps only the percentiles asked for (or, when series are ordered by a
/// percentile, keeps a merged copy); cells are therefore only valid while the engine's read lock
/// is held.
/// </summary>
public sealed class RollupCellAccumulator
{
    private readonly MetricQuery _query;
    private readonly long _levelWidthNanos;
    private readonly long _outWidthNanos;
    private readonly int _factor;
    private readonly long _firstLevelBucket;
    private readonly int _outCount;
    private readonly bool _wantSketch;
    private readonly bool _useFrozen;
    private readonly bool _deferMerges;
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private QuantileSketch? _scratch;

    public RollupCellAccumulator(MetricQuery query, int level)
    {
        _query = query;
        Level = level;
        _levelWidthNanos = RollupEngine.LevelSeconds[level] * 1_000_000_000L;
        long range = query.EndUnixNano - query.StartUnixNano;
        _outWidthNanos = query.BucketSeconds == 0 ? range : query.BucketSeconds * 1_000_000_000L;
        _factor = (int)Math.Max(1, _outWidthNanos / _levelWidthNanos);
        _firstLevelBucket = RollupEngine.FloorDiv(query.StartUnixNano, _levelWidthNanos);
        _outCount = (int)((range + _outWidthNanos - 1) / _outWidthNanos);
        _wantSketch = query.AsksPercentiles;
        // Frozen quantiles answer a bucket with one source; ordering by a percentile over the whole
        // range needs the sketches themselves.
        _useFrozen = _factor == 1 && !query.OrdersByPercentile;
        // Unless series are ordered by a percentile over the whole range (which needs each cell's sketch), a cell's
        // sources are only noted, and merged one cell at a time into one scratch sketch when the cells are made: no
        // sketch per cell (a 24 h answer at 1 m has ~72,000 cells of 3-4 KB each).
        _deferMerges = _wantSketch && !query.OrdersByPercentile;
    }

    /// <summary>The rollup level read: the widest of 1 m, 1 h, 1 d that divides the query's buckets and range bounds.</summary>
    public int Level { get; }

    /// <summary>Level buckets the query covers: [<see cref="FirstBucket"/>, <see cref="EndBucket"/>).</summary>
    public long FirstBucket => _firstLevelBucket;

    public long EndBucket => RollupEngine.FloorDiv(_query.EndUnixNano + _levelWidthNanos - 1, _levelWidthNanos);

    public static int LevelFor(MetricQuery query)
    {
        for (int level = RollupEngine.LevelSeconds.Length - 1; level > 0; level--)
        {
            long width = RollupEngine.LevelSeconds[level] * 1_000_000_000L;
            bool bucketsFit = query.BucketSeconds == 0 || query.BucketSeconds % RollupEngine.LevelSeconds[level] == 0;
            if (bucketsFit && query.StartUnixNano % width == 0 && query.EndUnixNano % width == 0)
            {
                return level;
            }
        }
        return 0;
    }

    /// <summary>The series that may match: the metric's when the query names one, else all the tenant's.</summary>
    public IReadOnlyList<SeriesInfo> Candidates(SeriesRegistry registry) =>
        _query.Metric is { } metric ? registry.OfMetric(_query.TenantId, metric) : registry.OfTenant(_query.TenantId);

    /// <summary>True when series <paramref name="series"/> contributes to the query.</summary>
    public bool Matches(SeriesInfo series)
    {
        if (series.TenantId != _query.TenantId)
        {
            return false;
        }

        bool metricMatches = _query.Composite switch
        {
            CompositeMetric.None => series.Metric == _query.Metric,
            CompositeMetric.ErrorAdjustedThroughput => series.EventType == EventType.Telemetry && (_query.Metric is null || series.Metric == _query.Metric),
            _ => series.EventType == EventType.Cost && (_query.Metric is null || series.Metric == _query.Metric),
        };
        if (!metricMatches)
        {
            return false;
        }

        foreach (var filter in _query.Filters)
        {
            if (!FilterMatcher.Matches(filter, series.ValueOf(filter.Field)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Adds the hot buckets [<paramref name="first"/>, <paramref name="end"/>) of one series' ring (every slot in that range holds its bucket or nothing).</summary>
    public void AddHot(SeriesInfo series, BucketRing ring, long first, long end)
    {
        first = Math.Max(first, _firstLevelBucket);
        end = Math.Min(end, EndBucket);
        if (end <= first)
        {
            return;
        }

        var group = GroupOf(series);
        // Copy whole output windows so the window kernels see aligned input.
        long alignedFirst = _firstLevelBucket + ((first - _firstLevelBucket) / _factor * _factor);
        int length = (int)(end - alignedFirst);
        int outFirst = (int)((alignedFirst - _firstLevelBucket) / _factor);
        int windows = RollupKernels.WindowCount(length, _factor);
        int outLength = Math.Min(windows, _outCount - outFirst);

        double[] scratch = ArrayPool<double>.Shared.Rent(length + windows);
        ulong[] scratchCounts = ArrayPool<ulong>.Shared.Rent(length + windows);
        try
        {
            var window = scratch.AsSpan(0, length);
            var windowOut = scratch.AsSpan(length, windows);
            var counts = scratchCounts.AsSpan(0, length);
            var countsOut = scratchCounts.AsSpan(length, windows);

            CopyWindow(ring, ring.Counts, alignedFirst, first, end, counts, 0UL);
            Fold(counts, countsOut, group.Counts.AsSpan(outFirst, outLength));
            CopyWindow(ring, ring.Errors, alignedFirst, first, end, counts, 0UL);
            Fold(counts, countsOut, group.Errors.AsSpan(outFirst, outLength));

            CopyWindow(ring, ring.Sums, alignedFirst, first, end, window, 0.0);
            FoldSum(window, windowOut, group.Sums.AsSpan(outFirst, outLength));
            CopyWindow(ring, ring.SumsOfSquares, alignedFirst, first, end, window, 0.0);
            FoldSum(window, windowOut, group.SumsOfSquares.AsSpan(outFirst, outLength));
            CopyWindow(ring, ring.Tokens, alignedFirst, first, end, window, 0.0);
            FoldSum(window, windowOut, group.Tokens.AsSpan(outFirst, outLength));

            CopyWindow(ring, ring.Mins, alignedFirst, first, end, window, double.PositiveInfinity);
            RollupKernels.MinWindows(window, _factor, windowOut);
            RollupKernels.Min(group.Mins.AsSpan(outFirst, outLength), windowOut[..outLength]);
            CopyWindow(ring, ring.Maxes, alignedFirst, first, end, window, double.NegativeInfinity);
            RollupKernels.MaxWindows(window, _factor, windowOut);
            RollupKernels.Max(group.Maxes.AsSpan(outFirst, outLength), windowOut[..outLength]);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
            ArrayPool<ulong>.Shared.Return(scratchCounts);
        }

        if (_wantSketch)
        {
            for (long bucket = first; bucket < end; bucket++)
            {
                int slot = ring.SlotOf(bucket);
                if (ring.Buckets[slot] != bucket || ring.Sketches[slot] is not { IsEmpty: false } sketch)
                {
                    continue;
                }

                int o = (int)((bucket - _firstLevelBucket) / _factor);
                if (_deferMerges)
                {
                    group.Sources.Add(new SketchSource(o, ring, slot, sketch));
                }
                else if (_useFrozen && ring.QuantilesFresh[slot] && group.IsEmptyAt(o))
                {
                    group.SetFrozen(o, ring, slot);
                }
                else
                {
                    group.AddSketch(o, sketch, owned: false);
                }
            }
        }
    }

    /// <summary>Adds one persisted row (its series already known to match). With <paramref name="ownsSketch"/> the accumulator may merge into <paramref name="sketch"/>; without it (a cached sketch others read) it copies before merging.</summary>
    public void AddRow(SeriesInfo series, RollupRow row, QuantileSketch? sketch, bool ownsSketch = true)
    {
        long start = row.BucketStartUnixNano;
        if (start < _query.StartUnixNano || start >= _query.EndUnixNano || row.Stats.Count == 0)
        {
            return;
        }

        var group = GroupOf(series);
        int o = (int)((start - _query.StartUnixNano) / _outWidthNanos);
        group.Counts[o] += row.Stats.Count;
        group.Errors[o] += row.Errors;
        group.Sums[o] += row.Stats.Sum;
        group.SumsOfSquares[o] += row.Stats.SumOfSquares;
        group.Tokens[o] += row.Tokens;
        group.Mins[o] = Math.Min(group.Mins[o], row.Stats.Min);
        group.Maxes[o] = Math.Max(group.Maxes[o], row.Stats.Max);
        if (_wantSketch && sketch is { IsEmpty: false })
        {
            if (_deferMerges)
            {
                group.Sources.Add(new SketchSource(o, null, 0, sketch));
            }
            else
            {
                group.AddSketch(o, sketch, owned: ownsSketch);
            }
        }
    }

    /// <summary>The non-empty cells, by group then bucket.</summary>
    public List<AggregateCell> ToCells()
    {
        var cells = new List<AggregateCell>();
        foreach (var group in _groups.Values)
        {
            var sources = _deferMerges ? group.SortSources(_outCount) : default;
            for (int o = 0; o < _outCount; o++)
            {
                if (group.Counts[o] == 0)
                {
                    continue;
                }
                var cell = new AggregateCell(_query.StartUnixNano + (o * _outWidthNanos), group.Values)
                {
                    Stats = new BucketStats(group.Counts[o], group.Sums[o], group.SumsOfSquares[o], group.Mins[o], group.Maxes[o]),
                    Tokens = group.Tokens[o],
                    Errors = group.Errors[o],
                };
                if (_deferMerges)
                {
                    SetQuantiles(cell, sources.Of(o));
                }
                else
                {
                    cell.Sketch = group.Sketches?[o];
                    cell.Quantiles = group.FrozenAt(o);
                }
                cells.Add(cell);
            }
            sources.Dispose();
        }
        return cells;
    }

    /// <summary>
    /// A cell's percentiles from its sources: one source's frozen quantiles or borrowed sketch; several merged into the
    /// scratch sketch and the percentiles asked for read from it.
    /// </summary>
    private void SetQuantiles(AggregateCell cell, ReadOnlySpan<SketchSource> sources)
    {
        if (sources.Length == 0)
        {
            return;
        }

        if (sources.Length == 1)
        {
            var only = sources[0];
            if (_useFrozen && only.Ring is { } ring && ring.QuantilesFresh[only.Slot])
            {
                cell.Quantiles = new ReadOnlyMemory<double>(ring.Quantiles, only.Slot * BucketRing.QuantileCount, BucketRing.QuantileCount);
            }
            else
            {
                cell.Sketch = only.Sketch;
            }
            return;
        }

        var merged = _scratch ??= new QuantileSketch();
        merged.CopyFrom(sources[0].Sketch);
        for (int i = 1; i < sources.Length; i++)
        {
            merged.MergeFrom(sources[i].Sketch);
        }

        var quantiles = new double[BucketRing.QuantileCount];
        for (int i = 0; i < quantiles.Length; i++)
        {
            quantiles[i] = Asks(BucketRing.QuantileLevels[i]) ? merged.Quantile(BucketRing.QuantileLevels[i]) : double.NaN;
        }
        cell.Quantiles = quantiles;
    }

    private bool Asks(double level)
    {
        foreach (var function in _query.Functions)
        {
            if (function switch
            {
                AggregateFunction.P50 => level == 0.50,
                AggregateFunction.P90 => level == 0.90,
                AggregateFunction.P95 => level == 0.95,
                AggregateFunction.P99 => level == 0.99,
                _ => false,
            })
            {
                return true;
            }
        }
        return false;
    }

    private Group GroupOf(SeriesInfo series)
    {
        var groupBy = _query.GroupBy;
        string[] values = new string[groupBy.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = series.ValueOf(groupBy[i]);
        }

        string key = string.Join('\u001f', values);
        if (!_groups.TryGetValue(key, out var group))
        {
            _groups[key] = group = new Group(values, _outCount, _wantSketch && !_deferMerges);
        }
        return group;
    }

    /// <summary>Copies level buckets [alignedFirst, end) of a ring column into <paramref name="into"/>; positions before <paramref name="first"/> get <paramref name="empty"/>.</summary>
    private static void CopyWindow<T>(BucketRing ring, T[] column, long alignedFirst, long first, long end, Span<T> into, T empty)
    {
        int lead = (int)(first - alignedFirst);
        into[..lead].Fill(empty);
        long bucket = first;
        int at = lead;
        while (bucket < end)
        {
            int slot = ring.SlotOf(bucket);
            int run = (int)Math.Min(end - bucket, ring.Capacity - slot);
            column.AsSpan(slot, run).CopyTo(into[at..]);
            at += run;
            bucket += run;
        }
    }

    private void Fold(Span<ulong> window, Span<ulong> windowOut, Span<ulong> into)
    {
        if (_factor == 1)
        {
            RollupKernels.Add(into, window[..into.Length]);
            return;
        }
        RollupKernels.SumWindows(window, _factor, windowOut);
        RollupKernels.Add(into, windowOut[..into.Length]);
    }

    private void FoldSum(Span<double> window, Span<double> windowOut, Span<double> into)
    {
        if (_factor == 1)
        {
            RollupKernels.Add(into, window[..into.Length]);
            return;
        }
        RollupKernels.SumWindows(window, _factor, windowOut);
        RollupKernels.Add(into, windowOut[..into.Length]);
    }

    private sealed class Group
    {
        public Group(string[] values, int count, bool sketches)
        {
            Values = values;
            Counts = new ulong[count];
            Errors = new ulong[count];
            Sums = new double[count];
            SumsOfSquares = new double[count];
            Tokens = new double[count];
            Mins = new double[count];
            Maxes = new double[count];
            Mins.AsSpan().Fill(double.PositiveInfinity);
            Maxes.AsSpan().Fill(double.NegativeInfinity);
            if (sketches)
            {
                Sketches = new QuantileSketch?[count];
                Owned = new bool[count];
                FrozenRings = new BucketRing?[count];
                FrozenSlots = new int[count];
            }
        }

        private BucketRing?[]? FrozenRings { get; }
        private int[]? FrozenSlots { get; }

        public bool IsEmptyAt(int o) => Sketches![o] is null && FrozenRings![o] is null;

        public void SetFrozen(int o, BucketRing ring, int slot)
        {
            FrozenRings![o] = ring;
            FrozenSlots![o] = slot;
        }

        /// <summary>The frozen quantiles of bucket <paramref name="o"/>'s only source, a view of its ring (valid under the engine's lock).</summary>
        public ReadOnlyMemory<double> FrozenAt(int o) =>
            FrozenRings?[o] is { } ring ? new ReadOnlyMemory<double>(ring.Quantiles, FrozenSlots![o] * BucketRing.QuantileCount, BucketRing.QuantileCount) : default;

        public string[] Values { get; }
        public ulong[] Counts { get; }
        public ulong[] Errors { get; }
        public double[] Sums { get; }
        public double[] SumsOfSquares { get; }
        public double[] Tokens { get; }
        public double[] Mins { get; }
        public double[] Maxes { get; }
        public QuantileSketch?[]? Sketches { get; }
        private bool[]? Owned { get; }

        /// <summary>Deferred merges: every (cell, sketch) added, in the order added.</summary>
        public List<SketchSource> Sources { get; } = [];

        /// <summary><see cref="Sources"/> sorted by cell (a counting sort, pooled arrays): dispose when done.</summary>
        public SourcesByCell SortSources(int cells)
        {
            int[] starts = ArrayPool<int>.Shared.Rent(cells + 1);
            Array.Clear(starts, 0, cells + 1);
            foreach (var source in Sources)
            {
                starts[source.Cell + 1]++;
            }
            for (int o = 0; o < cells; o++)
            {
                starts[o + 1] += starts[o];
            }

            var sorted = ArrayPool<SketchSource>.Shared.Rent(Math.Max(1, Sources.Count));
            int[] next = ArrayPool<int>.Shared.Rent(cells);
            Array.Copy(starts, next, cells);
            foreach (var source in Sources)
            {
                sorted[next[source.Cell]++] = source;
            }
            ArrayPool<int>.Shared.Return(next);
            return new SourcesByCell(sorted, starts);
        }

        public void AddSketch(int o, QuantileSketch sketch, bool owned)
        {
            var sketches = Sketches!;
            if (FrozenRings![o] is { } frozen)
            {
                // A second source: merge sketches after all, starting from the first source's.
                sketches[o] = frozen.Sketches[FrozenSlots![o]];
                Owned![o] = false;
                FrozenRings[o] = null;
            }

            var current = sketches[o];
            if (current is null)
            {
                sketches[o] = sketch;
                Owned![o] = owned;
                return;
            }

            if (!Owned![o])
            {
                var copy = new QuantileSketch();
                copy.CopyFrom(current);
                sketches[o] = current = copy;
                Owned[o] = true;
            }
            current.MergeFrom(sketch);
        }
    }
}

/// <summary>One source of a cell's percentiles: a hot ring's slot (its sketch, and frozen quantiles if fresh) or a persisted row's sketch.</summary>
internal readonly record struct SketchSource(int Cell, BucketRing? Ring, int Slot, QuantileSketch Sketch);

/// <summary>A group's sketch sources sorted by cell, in pooled arrays.</summary>
internal readonly struct SourcesByCell(SketchSource[]? sorted, int[]? starts) : IDisposable
{
    public ReadOnlySpan<SketchSource> Of(int cell) => sorted.AsSpan(starts![cell], starts[cell + 1] - starts[cell]);

    public void Dispose()
    {
        if (sorted is not null)
        {
            ArrayPool<SketchSource>.Shared.Return(sorted, clearArray: true); // holds sketch references
            ArrayPool<int>.Shared.Return(starts!);
        }
    }
}
