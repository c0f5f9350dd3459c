namespace AnalyticsHub.Core.Query;

/// <summary>What a metric query returns: series (one per group) of bucketed points, and how it was served.</summary>
public sealed record QueryResult
{
    /// <summary>Names of the values in every point, in order: the functions asked for, or the composite's name.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    public required IReadOnlyList<ResultSeries> Series { get; init; }

    /// <summary><c>rollup</c> (hot memory and persisted rollups) or <c>store</c> (SQL on raw events).</summary>
    public required string Source { get; init; }

    public bool Cached { get; init; }

    public int RowCount => Series.Sum(s => s.Points.Count);
}

/// <summary>One group's points. <see cref="Group"/> maps each group_by field's name to its value.</summary>
public sealed record ResultSeries(IReadOnlyDictionary<string, string> Group, IReadOnlyList<ResultPoint> Points);

/// <summary>One bucket: its start and one value per <see cref="QueryResult.Columns"/> entry (NaN where undefined, e.g. the average of no events).</summary>
public readonly record struct ResultPoint(long BucketStartUnixNano, double[] Values);
