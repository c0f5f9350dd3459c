namespace AnalyticsHub.Core.Query;

/// <summary>
/// Extends an earlier answer to the same question (same everything but the range) instead of recomputing it: the
/// earlier answer's buckets from the new start up to the tail's start, then a freshly computed tail. Under live
/// ingestion only the newest buckets change, so keeping a "last 24h" answer current costs a few buckets per series
/// rather than the whole range — both when it is refreshed and when its range slides on by a bucket.
/// </summary>
/// <remarks>
/// The caller must know (from the change log) that nothing before the tail's start changed since the earlier answer
/// was computed. Series order and the limit's cut must not depend on values (<see cref="CanExtend"/>), or a change at
/// the live edge could reorder series the splice keeps in place.
/// </remarks>
public static class QueryResultSplice
{
    /// <summary>True when an answer to <paramref name="query"/> may be built on <paramref name="earlier"/> (an answer to the same shape of question).</summary>
    public static bool CanExtend(MetricQuery query, QueryResult earlier, int defaultLimit) =>
        query.BucketSeconds > 0
        && QueryResultBuilder.OrdersByGroupOnly(query)
        && earlier.Series.Count < QueryResultBuilder.EffectiveLimit(query, defaultLimit); // nothing was cut, so every group is there

    /// <summary>
    /// Where the recomputed tail of <paramref name="query"/> starts when the earlier answer covered [earlierStart,
    /// earlierEnd) and may have missed changes from <paramref name="changedFrom"/> on; null when the earlier answer
    /// saves nothing (it starts after the query, or the tail would be the whole range).
    /// </summary>
    public static long? TailStart(MetricQuery query, long earlierStart, long earlierEnd, long changedFrom)
    {
        long width = query.BucketSeconds * 1_000_000_000L;
        long from = Math.Min(changedFrom, earlierEnd);
        long tail = from - (((from % width) + width) % width); // down to the bucket holding it
        return query.StartUnixNano < earlierStart || tail <= query.StartUnixNano || tail >= query.EndUnixNano ? null : tail;
    }

    /// <summary>
    /// The answer to <paramref name="query"/>: each group's points of <paramref name="earlier"/> in [query start,
    /// <paramref name="tailStart"/>), then its points of <paramref name="tail"/> (computed for [tailStart, query end));
    /// groups ordered and cut as a full computation would.
    /// </summary>
    public static QueryResult Splice(MetricQuery query, QueryResult earlier, QueryResult tail, long tailStart, int defaultLimit)
    {
        var groups = new Dictionary<string, Joined>(StringComparer.Ordinal);
        foreach (var series in earlier.Series)
        {
            var kept = Between(series.Points, query.StartUnixNano, tailStart);
            if (kept.Count > 0)
            {
                var values = ValuesOf(query, series.Group);
                groups[string.Join('\u001f', values)] = new Joined(values, series.Group, kept, []);
            }
        }

        foreach (var series in tail.Series)
        {
            var values = ValuesOf(query, series.Group);
            string key = string.Join('\u001f', values);
            groups[key] = groups.TryGetValue(key, out var head)
                ? head with { Tail = series.Points }
                : new Joined(values, series.Group, [], series.Points);
        }

        var ordered = groups.Values.ToList();
        ordered.Sort((a, b) => QueryResultBuilder.CompareByGroup(query, a.Values, b.Values));
        int limit = QueryResultBuilder.EffectiveLimit(query, defaultLimit);
        var result = new List<ResultSeries>(Math.Min(limit, ordered.Count));
        foreach (var joined in ordered.Take(limit))
        {
            var points = new List<ResultPoint>(joined.Head.Count + joined.Tail.Count);
            points.AddRange(joined.Head);
            points.AddRange(joined.Tail);
            result.Add(new ResultSeries(joined.Labels, points));
        }

        return new QueryResult { Columns = tail.Columns, Series = result, Source = tail.Source };
    }

    /// <summary>The points (sorted by bucket) whose bucket lies in [start, end).</summary>
    private static ArraySegment<ResultPoint> Between(IReadOnlyList<ResultPoint> points, long start, long end)
    {
        int first = LowerBound(points, start);
        int last = LowerBound(points, end);
        if (last <= first)
        {
            return ArraySegment<ResultPoint>.Empty;
        }

        var copy = new ResultPoint[last - first];
        for (int i = 0; i < copy.Length; i++)
        {
            copy[i] = points[first + i];
        }
        return copy;
    }

    private static int LowerBound(IReadOnlyList<ResultPoint> points, long bucket)
    {
        int low = 0, high = points.Count;
        while (low < high)
        {
            int mid = (low + high) >>> 1;
            if (points[mid].BucketStartUnixNano < bucket)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }

    private static string[] ValuesOf(MetricQuery query, IReadOnlyDictionary<string, string> labels)
    {
        var values = new string[query.GroupBy.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = labels[query.GroupBy[i].Name];
        }
        return values;
    }

    private sealed record Joined(string[] Values, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<ResultPoint> Head, IReadOnlyList<ResultPoint> Tail);
}
