using AnalyticsHub.Core.Query;
using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Storage.Stores.Internal;

/// <summary>
/// The cells of one metric query as they are read from a store: keyed by (bucket, group values),
/// merged when two store rows spell the same group (a text "1.5" and a number 1.5), bounded by
/// <see cref="EventQueryLimits.MaxCells"/>.
/// </summary>
internal sealed class CellTable
{
    private readonly Dictionary<CellKey, AggregateCell> _cells = new(CellKeyComparer.Instance);
    private readonly int _maxCells;
    private readonly bool _sketches;

    public CellTable(int maxCells, bool sketches)
    {
        _maxCells = maxCells;
        _sketches = sketches;
    }

    public IReadOnlyList<AggregateCell> Cells => [.. _cells.Values];

    /// <summary>True when the query asks for a percentile (values go to sketches, row by row).</summary>
    public static bool WantsSketch(MetricQuery query) =>
        query.Functions.Any(f => f is AggregateFunction.P50 or AggregateFunction.P90 or AggregateFunction.P95 or AggregateFunction.P99);

    /// <summary>Adds a store's aggregate row.</summary>
    public void AddAggregate(long bucket, string[] group, in BucketStats stats, double tokens, ulong errors)
    {
        var cell = Cell(bucket, group);
        var merged = cell.Stats;
        merged.Merge(stats);
        cell.Stats = merged;
        cell.Tokens += tokens;
        cell.Errors += errors;
    }

    /// <summary>Adds one event's measured value (the streaming path, with sketches).</summary>
    public void AddValue(long bucket, string[] group, double value, double tokens, bool error)
    {
        var cell = Cell(bucket, group);
        var stats = cell.Stats;
        stats.Add(value);
        cell.Stats = stats;
        cell.Tokens += tokens;
        if (error)
        {
            cell.Errors++;
        }

        if (_sketches)
        {
            (cell.Sketch ??= new QuantileSketch()).Add(value);
        }
    }

    private AggregateCell Cell(long bucket, string[] group)
    {
        var key = new CellKey(bucket, group);
        if (!_cells.TryGetValue(key, out var cell))
        {
            if (_cells.Count >= _maxCells)
            {
                throw QueryRejectedException.TooManyGroups(_maxCells);
            }

            cell = new AggregateCell(bucket, group);
            _cells.Add(key, cell);
        }

        return cell;
    }

    private readonly record struct CellKey(long Bucket, string[] Group);

    private sealed class CellKeyComparer : IEqualityComparer<CellKey>
    {
        public static readonly CellKeyComparer Instance = new();

        public bool Equals(CellKey x, CellKey y) =>
            x.Bucket == y.Bucket && x.Group.AsSpan().SequenceEqual(y.Group);

        public int GetHashCode(CellKey key)
        {
            var hash = new HashCode();
            hash.Add(key.Bucket);
            foreach (var value in key.Group)
            {
                hash.Add(value, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}
