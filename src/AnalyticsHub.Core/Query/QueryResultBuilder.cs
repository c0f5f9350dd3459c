using AnalyticsHub.Core.Rollups;

namespace AnalyticsHub.Core.Query;

/// <summary>
/// Turns aggregate cells (from rollups or the store) into a query's result: each function or the
/// composite computed per cell, cells grouped into series by group values, series ordered
/// (order_by: an aggregate over the whole range, or a group value; by default group values
/// ascending) and cut to the limit. Both paths share it, so they differ only in where cells come from.
/// </summary>
public static class QueryResultBuilder
{
    public static QueryResult Build(MetricQuery query, IReadOnlyList<AggregateCell> cells, string source, int defaultLimit)
    {
        var columns = query.Composite == CompositeMetric.None
            ? query.Functions.Select(QueryNames.Name).ToArray()
            : [QueryNames.Name(query.Composite)];
        double bucketSeconds = query.BucketSeconds != 0 ? query.BucketSeconds : (query.EndUnixNano - query.StartUnixNano) / 1e9;

        var bySeries = new Dictionary<string, List<AggregateCell>>(StringComparer.Ordinal);
        string[]? previousGroup = null;
        List<AggregateCell>? current = null;
        foreach (var cell in cells)
        {
            // Rollup cells of one group share one array and come together: join only when it changes.
            if (!ReferenceEquals(cell.Group, previousGroup))
            {
                string key = string.Join('\u001f', cell.Group);
                if (!bySeries.TryGetValue(key, out current))
                {
                    bySeries[key] = current = [];
                }
                previousGroup = cell.Group;
            }
            current!.Add(cell);
        }

        var series = new List<(string[] Group, List<AggregateCell> Cells)>(bySeries.Count);
        foreach (var list in bySeries.Values)
        {
            if (!IsSorted(list))
            {
                list.Sort((a, b) => a.BucketStartUnixNano.CompareTo(b.BucketStartUnixNano));
            }
            series.Add((list[0].Group, list));
        }

        Order(query, series);
        int limit = EffectiveLimit(query, defaultLimit);
        var result = new List<ResultSeries>(Math.Min(limit, series.Count));
        foreach (var (group, list) in series.Take(limit))
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < query.GroupBy.Count; i++)
            {
                labels[query.GroupBy[i].Name] = group[i];
            }

            var points = list.Select(c => new ResultPoint(c.BucketStartUnixNano, Values(query, c, bucketSeconds))).ToList();
            result.Add(new ResultSeries(labels, points));
        }

        return new QueryResult { Columns = columns, Series = result, Source = source };
    }

    private static bool IsSorted(List<AggregateCell> cells)
    {
        for (int i = 1; i < cells.Count; i++)
        {
            if (cells[i].BucketStartUnixNano < cells[i - 1].BucketStartUnixNano)
            {
                return false;
            }
        }
        return true;
    }

    private static double[] Values(MetricQuery query, AggregateCell cell, double seconds)
    {
        if (query.Composite != CompositeMetric.None)
        {
            return [Composite(query.Composite, cell, seconds)];
        }

        var values = new double[query.Functions.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = Function(query.Functions[i], cell, seconds);
        }
        return values;
    }

    public static double Function(AggregateFunction function, AggregateCell cell, double seconds) => function switch
    {
        AggregateFunction.Count => cell.Stats.Count,
        AggregateFunction.Sum => cell.Stats.Sum,
        AggregateFunction.Avg => cell.Stats.Mean,
        AggregateFunction.Min => cell.Stats.Count == 0 ? double.NaN : cell.Stats.Min,
        AggregateFunction.Max => cell.Stats.Count == 0 ? double.NaN : cell.Stats.Max,
        AggregateFunction.StdDev => cell.Stats.StandardDeviation,
        AggregateFunction.P50 => Quantile(cell, 0.50),
        AggregateFunction.P90 => Quantile(cell, 0.90),
        AggregateFunction.P95 => Quantile(cell, 0.95),
        AggregateFunction.P99 => Quantile(cell, 0.99),
        AggregateFunction.Rate => cell.Stats.Count / seconds,
        _ => double.NaN,
    };

    public static double Composite(CompositeMetric composite, AggregateCell cell, double seconds) => composite switch
    {
        CompositeMetric.CostPerRequest => cell.Stats.Count == 0 ? double.NaN : cell.Stats.Sum / cell.Stats.Count,
        CompositeMetric.CostPer1kTokens => cell.Tokens > 0 ? cell.Stats.Sum / cell.Tokens * 1000 : double.NaN,
        CompositeMetric.ErrorAdjustedThroughput => (cell.Stats.Count - cell.Errors) / seconds,
        _ => double.NaN,
    };

    private static double Quantile(AggregateCell cell, double q)
    {
        if (cell.Sketch is { IsEmpty: false } sketch)
        {
            return sketch.Quantile(q);
        }

        int frozen = Array.IndexOf(BucketRing.QuantileLevels, q);
        return frozen >= 0 && cell.Quantiles.Length == BucketRing.QuantileCount ? cell.Quantiles.Span[frozen] : double.NaN;
    }

    /// <summary>The most series an answer to <paramref name="query"/> holds.</summary>
    public static int EffectiveLimit(MetricQuery query, int defaultLimit) => query.Limit > 0 ? query.Limit : defaultLimit;

    /// <summary>True when series are ordered by group values only (order_by names no aggregate), so their order and the limit's cut do not depend on the data.</summary>
    public static bool OrdersByGroupOnly(MetricQuery query) => query.OrderBy.All(o => o.Field is not null);

    /// <summary>The order of two series' group values (in the query's group_by order) when <see cref="OrdersByGroupOnly"/>.</summary>
    public static int CompareByGroup(MetricQuery query, string[] a, string[] b)
    {
        foreach (var order in query.OrderBy)
        {
            int i = IndexOf(query, order.Field!.Value);
            int c = string.CompareOrdinal(a[i], b[i]);
            if (c != 0)
            {
                return order.Descending ? -c : c;
            }
        }
        return CompareGroups(a, b);
    }

    private static void Order(MetricQuery query, List<(string[] Group, List<AggregateCell> Cells)> series)
    {
        if (OrdersByGroupOnly(query))
        {
            series.Sort((a, b) => CompareByGroup(query, a.Group, b.Group));
            return;
        }

        double totalSeconds = (query.EndUnixNano - query.StartUnixNano) / 1e9;
        var keys = new Dictionary<string[], double[]>(ReferenceEqualityComparer.Instance);
        foreach (var (group, cells) in series)
        {
            var total = Total(cells, query.OrdersByPercentile);
            keys[group] = [.. query.OrderBy.Select(o =>
                o.Function is { } f ? Function(f, total, totalSeconds)
                : o.ByValue ? Composite(query.Composite, total, totalSeconds)
                : double.NaN)];
        }

        series.Sort((a, b) =>
        {
            var left = keys[a.Group];
            var right = keys[b.Group];
            for (int i = 0; i < query.OrderBy.Count; i++)
            {
                var order = query.OrderBy[i];
                int c = order.Field is { } field
                    ? string.CompareOrdinal(a.Group[IndexOf(query, field)], b.Group[IndexOf(query, field)])
                    : CompareNumbers(left[i], right[i]);
                if (c != 0)
                {
                    return order.Descending ? -c : c;
                }
            }
            return CompareGroups(a.Group, b.Group);
        });
    }

    /// <summary>The series' cells merged into one, for ordering by an aggregate over the whole range.</summary>
    private static AggregateCell Total(List<AggregateCell> cells, bool sketches)
    {
        var total = new AggregateCell(0, cells[0].Group);
        QuantileSketch? merged = sketches ? new QuantileSketch() : null;
        var stats = BucketStats.Empty;
        foreach (var cell in cells)
        {
            stats.Merge(cell.Stats);
            total.Tokens += cell.Tokens;
            total.Errors += cell.Errors;
            if (merged is not null && cell.Sketch is { } sketch)
            {
                merged.MergeFrom(sketch);
            }
        }
        total.Stats = stats;
        total.Sketch = merged;
        return total;
    }

    private static int IndexOf(MetricQuery query, QueryField field)
    {
        for (int i = 0; i < query.GroupBy.Count; i++)
        {
            if (query.GroupBy[i].Name == field.Name)
            {
                return i;
            }
        }
        return 0;
    }

    /// <summary>NaN (undefined) sorts after every number, in both directions of the caller's choice of sign.</summary>
    private static int CompareNumbers(double a, double b) =>
        double.IsNaN(a) ? (double.IsNaN(b) ? 0 : 1) : double.IsNaN(b) ? -1 : a.CompareTo(b);

    private static int CompareGroups(string[] a, string[] b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            int c = string.CompareOrdinal(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return 0;
    }
}
