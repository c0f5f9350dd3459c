using System.Diagnostics;
using System.Text.Json;
using AnalyticsHub.Core.Query;
using AnalyticsHub.Server.Endpoints;

namespace AnalyticsHub.Server.Query;

/// <summary>
/// A rollup answer as the cache keeps it: the result, what it reflects (the engine version, the time through which
/// buckets were complete) and, made on first use, its REST <c>data</c> object rendered once per format — a hit
/// then costs a copy of bytes, not a re-serialisation of tens of thousands of points.
/// </summary>
public sealed class CachedAnswer
{
    private readonly MetricQuery _query;
    private readonly Lazy<ChunkedBuffer>[] _rendered;
    private readonly long _resultBytes;
    private long _renderedBytes;

    public CachedAnswer(MetricQuery query, QueryResult result, long version, long asOfUnixNano, long liveEdgeFromUnixNano)
    {
        _query = query;
        Result = result;
        Version = version;
        AsOfUnixNano = asOfUnixNano;
        LiveEdgeFromUnixNano = liveEdgeFromUnixNano;
        _rendered = [.. Enum.GetValues<ResultFormat>().Select(format => new Lazy<ChunkedBuffer>(() => Render(format)))];
        _resultBytes = EstimateBytes(result);
    }

    /// <summary>The question answered (its range resolved).</summary>
    public MetricQuery Query => _query;

    public QueryResult Result { get; }

    /// <summary>The engine version the answer was computed at (or after).</summary>
    public long Version { get; }

    /// <summary>Buckets were complete for every event before this time that had arrived (meta <c>as_of</c>).</summary>
    public long AsOfUnixNano { get; }

    /// <summary>Changes at or after this time are the live edge: tolerated for a short while (see <see cref="QueryResultCache"/>).</summary>
    public long LiveEdgeFromUnixNano { get; }

    /// <summary><see cref="Stopwatch"/> timestamp of when the answer was computed.</summary>
    public long ComputedAt { get; init; } = Stopwatch.GetTimestamp();

    /// <summary>How long computing the answer took (the next refresh starts early enough to land within the lag).</summary>
    public TimeSpan ComputeTime { get; init; }

    /// <summary>Whether the computation extended an earlier answer (recomputing its tail) rather than covering the whole range.</summary>
    public bool Extended { get; init; }

    /// <summary>Memory the entry holds: the result's objects (estimated) plus what has been rendered so far.</summary>
    public long Bytes => _resultBytes + Interlocked.Read(ref _renderedBytes);

    /// <summary>Set while a background refresh of this answer runs, so only one starts.</summary>
    internal int Refreshing;

    public TimeSpan Age => Stopwatch.GetElapsedTime(ComputedAt);

    /// <summary>Whether <paramref name="format"/> has been rendered (asked for) already.</summary>
    public bool IsRendered(ResultFormat format) => _rendered[(int)format].IsValueCreated;

    /// <summary>The <c>data</c> object in <paramref name="format"/>, rendered by the first caller and shared after.</summary>
    public ChunkedBuffer Rendered(ResultFormat format, out bool renderedNow)
    {
        var lazy = _rendered[(int)format];
        renderedNow = !lazy.IsValueCreated;
        return lazy.Value;
    }

    private ChunkedBuffer Render(ResultFormat format)
    {
        var buffer = new ChunkedBuffer();
        using (var json = new Utf8JsonWriter(buffer, HubJsonWriter.Options))
        {
            QueryDataWriter.Write(json, _query, Result, format);
        }
        Interlocked.Add(ref _renderedBytes, buffer.Length);
        return buffer.Complete();
    }

    /// <summary>Per point: the struct (16 B) in its list, its values array (24 B header + 8 B per value); per series its dictionaries.</summary>
    private static long EstimateBytes(QueryResult result)
    {
        long bytes = 256;
        foreach (var series in result.Series)
        {
            bytes += 256 + (series.Points.Count * (16L + 24 + (8L * result.Columns.Count)));
        }
        return bytes;
    }
}
